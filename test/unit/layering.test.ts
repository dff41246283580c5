// The editor-free layers stay editor-free, and dependencies point down (DESIGN.md, "Layers").
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const imports = (file: string) => importsOf(readFileSync(join(ROOT, file), 'utf8'));

for (const layer of ['src/core', 'src/sources', 'src/git', 'src/service', 'src/cli']) {
  test(`${layer} never imports vscode`, () => {
    const files = sourceFiles(layer);
    assert.ok(files.length > 0, `${layer} has files`);
    const offenders = files.filter((f) => imports(f).some((m) => m === 'vscode' || m.startsWith('vscode/')));
    assert.deepEqual(offenders, []);
  });
}

test('src/core imports nothing of ours outside src/core', () => {
  const offenders = sourceFiles('src/core').flatMap((f) => imports(f).filter((m) => m.startsWith('.') && !m.startsWith('./')).map((m) => `${f} -> ${m}`));
  assert.deepEqual(offenders, []);
});

test('the layering check itself catches a vscode import', () => {
  const sample = "import * as vscode from 'vscode';\nconst x = require('vscode');\nimport type { Y } from '../ide/y';";
  assert.deepEqual(importsOf(sample), ['vscode', 'vscode', '../ide/y']);
});
