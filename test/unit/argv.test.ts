// Parameter values reach the program exactly: the argument arrays Runlens builds for a task's
// ProcessExecution are spawned here as the task would spawn them (no shell), and test/fixtures/echo-argv.js
// reports what arrived. 49 hostile values: spaces, quotes, `;`, `$()`, backticks, newlines, globs, braces.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ModelVersion } from '../../src/core/model';
import { deploySpecs } from '../../src/ide/tasks/deploy';
import { DeployTarget, TrainingCommand } from '../../src/ide/tasks/settings';
import type { Invocation } from '../../src/ide/tasks/spec';
import { commandSpec, mlprojectSpecs } from '../../src/ide/tasks/training';
import { parseMLproject } from '../../src/sources/mlproject/parse';
import { HOSTILE } from '../fixtures/echo-argv-values';

const ECHO = join(__dirname, '..', 'fixtures', 'echo-argv.js');
const FOLDER = join(__dirname, '..', 'fixtures');

/** What the program receives when the invocation is spawned as a ProcessExecution spawns it. */
function received(invocation: Invocation): string[] {
  const out = execFileSync(invocation.process, invocation.args, { cwd: invocation.cwd, env: { ...process.env, ...invocation.env }, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

test('there are more than 30 hostile values, all different', () => {
  assert.ok(HOSTILE.length > 30);
  assert.equal(new Set(HOSTILE).size, HOSTILE.length);
});

test('runlens.training: each value is exactly one argument, alone or inside a longer one', () => {
  const spec = commandSpec(TrainingCommand.parse({
    name: 'echo',
    command: ['node', ECHO, '${value}', '--value=${value}', 'fixed'],
    parameters: [{ name: 'value' }],
  }), { folder: FOLDER });
  for (const value of HOSTILE) {
    const invocation = spec.invocation({ value }, {});
    assert.deepEqual(received(invocation), [value, `--value=${value}`, 'fixed'], JSON.stringify(value));
  }
});

test('MLproject entry points run directly (no mlflow on PATH): each value is one argument of the rendered template', () => {
  const project = parseMLproject(`entry_points:\n  main:\n    parameters: {value: string}\n    command: "node '${ECHO}' --value {value} \\"pre {value} post\\""\n`);
  const [spec] = mlprojectSpecs({ dir: FOLDER, relativeDir: '.', project }, {}, undefined);
  for (const value of HOSTILE) {
    assert.deepEqual(received(spec!.invocation({ value }, {})), ['--value', value, `pre ${value} post`], JSON.stringify(value));
  }
});

test('deploy targets: model values and parameter values are each one argument', () => {
  const version: ModelVersion = { model: 'm', version: '1', stages: [], aliases: [], source: 'mlflow-file', store: '/tmp/mlruns', sourceUri: 'file:///tmp/mlruns/1/r/artifacts/model', run: 'r' };
  const target = DeployTarget.parse({ name: 'echo', args: ['node', ECHO, '${model.uri}', '${note}', '${run.id}'], parameters: [{ name: 'note' }] });
  const [spec] = deploySpecs(version, undefined, { folder: FOLDER, targets: [target], path: '' });
  for (const value of HOSTILE) {
    assert.deepEqual(received(spec!.invocation({ note: value }, {})), ['models:/m/1', value, 'r'], JSON.stringify(value));
  }
});
