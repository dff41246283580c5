// The manifest promises what the extension does; the .vsix ships only what users need.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

test('activates only from its views and commands, never at startup', () => {
  const events: string[] = manifest.activationEvents ?? [];
  assert.ok(!events.includes('*') && !events.some((e) => e.startsWith('onStartupFinished')), `activation events: ${events}`);
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.equal(manifest.main, './dist/extension.js');
});

test('declares limited support for untrusted workspaces', () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('an activity-bar container with the three views', () => {
  assert.deepEqual(contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), ['runlens']);
  assert.deepEqual(contributes.views.runlens.map((v: { id: string }) => v.id), ['runlens.experiments', 'runlens.datasets', 'runlens.models']);
  const welcomes = contributes.viewsWelcome.map((w: { when: string }) => w.when).join('\n');
  assert.match(welcomes, /workbenchState == empty/);
  assert.match(welcomes, /runlens\.state == empty/);
});

test('every command has the Runlens category, and commands that need an argument are hidden from the palette', () => {
  for (const command of contributes.commands) assert.equal(command.category, 'Runlens', command.command);
  const hidden = new Set(contributes.menus.commandPalette.filter((m: { when: string }) => m.when === 'false').map((m: { command: string }) => m.command));
  assert.deepEqual([...hidden].sort(), ['runlens.openDiagnostic', 'runlens.revealRun']);
  const ids = new Set(contributes.commands.map((c: { command: string }) => c.command));
  const menuCommands = Object.values(contributes.menus).flat().map((m) => (m as { command: string }).command);
  for (const id of menuCommands) assert.ok(ids.has(id), `menu refers to unknown command ${id}`);
});

test('the .vsix holds only dist/, media/, README, LICENSE and package.json', { timeout: 120_000 }, () => {
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'pipe' });
  const files = zipEntries(readFileSync(join(ROOT, 'runlens.vsix'))).filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
  const allowed = (f: string) => f.startsWith('dist/') || f.startsWith('media/') || ['package.json', 'readme.md', 'LICENSE.txt', 'README.md', 'LICENSE'].includes(f);
  assert.deepEqual(files.filter((f) => !allowed(f)), []);
  for (const required of ['dist/extension.js', 'dist/cli.js', 'dist/node-sqlite3-wasm.wasm', 'dist/webview/compare.js', 'dist/webview/compare.css', 'package.json']) assert.ok(files.includes(required), `${required} in ${files}`);
  assert.ok(!files.some((f) => f.startsWith('dist/test/')), 'test bundle shipped');
});

/** Names in a zip's central directory (enough of the format to list a .vsix). */
function zipEntries(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'bad central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
