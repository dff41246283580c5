// The README's command lines use real flags: each `runlens ...` in a code block parses with the CLI's parser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/main';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** Words of a command line as a POSIX shell splits them, with `${{ ... }}` and `$VAR` left as placeholders. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** `runlens <command> <args>` invocations (`npx runlens` or at a line's start) in fenced code blocks, cut at a pipe or redirection. */
function invocations(markdown: string): string[][] {
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const invocation = /(?:^\s*|npx\s+)runlens\s+[a-z]/;
  const lines = blocks.flatMap((b) => b.split('\n')).filter((l) => invocation.test(l));
  return lines.map((line) => {
    const command = line.slice(line.search(/runlens\s+[a-z]/)).replace(/\$\{\{[^}]*\}\}/g, 'X').split(/\s[|>]\s?/)[0]!;
    return words(command).slice(1).filter((w) => !w.startsWith('#'));
  });
}

test('the README shows the CI examples: diff --markdown and a check gate, for GitHub Actions and GitLab', () => {
  const calls = invocations(README);
  assert.ok(calls.filter((c) => c[0] === 'diff' && c.includes('--markdown')).length >= 2);
  assert.ok(calls.filter((c) => c[0] === 'check').length >= 2);
  assert.match(README, /actions\/checkout/);
  assert.match(README, /CI_MERGE_REQUEST_TARGET_BRANCH_NAME/);
});

test("every runlens command line in the README parses with the CLI's option parser", () => {
  const calls = invocations(README).filter((c) => !c.some((w) => /^[<[]/.test(w) || w.includes('|')));
  assert.ok(calls.length >= 4, `found ${calls.length} concrete command lines`);
  for (const [name, ...args] of calls) {
    const command = COMMANDS.find((c) => c.name === name);
    assert.ok(command, `README uses an unknown command: runlens ${name}`);
    assert.doesNotThrow(() => command.parse(args), `runlens ${name} ${args.join(' ')}`);
  }
});

test('the parser check is not vacuous: a misspelt flag is refused', () => {
  const diff = COMMANDS.find((c) => c.name === 'diff')!;
  assert.throws(() => diff.parse(['main', '--metrics', 'val/loss']), /Unknown option '--metrics'/);
  const check = COMMANDS.find((c) => c.name === 'check')!;
  assert.throws(() => check.parse(['--max-drop', '1%']), /must follow the --metric/);
});
