// In a real VS Code extension host: Runlens launches `runlens` tasks from its commands, records them, links
// the run they make to HEAD, passes hostile values through unchanged, stops process trees, and creates GTO
// tags; in a restricted workspace every such command refuses. Bundled to dist/test/tasks.js and run by
// test/integration/tasks.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunlensApi, TreeSnapshotNode } from '../../../src/ide/api';
import type { PromoteRequest, TrainRequest, VersionRequest } from '../../../src/ide/tasks/commands';
import { TASK_VALUES } from '../../fixtures/echo-argv-values';
import { runTests, waitFor, type TestCase } from '../suite/harness';
import { TASKS_REPO_ENV, type TasksRepo } from './protocol';

const EXTENSION_ID = 'runlens.runlens';

type Shown = { kind: 'info' | 'warning' | 'error'; message: string; rest: unknown[] };

/**
 * Answers the extension's notifications and dialogs: the suite shares the extension's `vscode` API object,
 * so replacing `window.show*Message` records what a user would see and answers `answer(message)`.
 */
function interceptMessages(answer: (message: string) => string | undefined): Shown[] {
  const shown: Shown[] = [];
  const intercept = (kind: Shown['kind']) => (message: string, ...rest: unknown[]) => {
    shown.push({ kind, message, rest });
    return Promise.resolve(answer(message));
  };
  Object.assign(vscode.window, { showInformationMessage: intercept('info'), showWarningMessage: intercept('warning'), showErrorMessage: intercept('error') });
  return shown;
}

/** Resolves with the exit code when the task process of `execution` ends. */
function processEnd(execution: vscode.TaskExecution): Promise<number | undefined> {
  return new Promise((done) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution !== execution) return;
      listener.dispose();
      done(event.exitCode);
    });
  });
}

const git = (repo: TasksRepo, ...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' }).trim();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function find(nodes: TreeSnapshotNode[], label: string, path: string[] = []): { node: TreeSnapshotNode; path: string[] } | undefined {
  for (const node of nodes) {
    if (node.label === label && node.contextValue?.startsWith('run')) return { node, path };
    const found = find(node.children ?? [], label, [...path, node.label]);
    if (found) return found;
  }
  return undefined;
}

async function activate(): Promise<RunlensApi> {
  const extension = vscode.extensions.getExtension<RunlensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  await vscode.commands.executeCommand('workbench.view.extension.runlens');
  await waitFor('activation', async () => (extension.isActive ? true : undefined));
  await extension.exports.whenIdle();
  return extension.exports;
}

const echoParams = () => Object.fromEntries(TASK_VALUES.map((value, i) => [`v${i}`, value]));

function trustedTests(repo: TasksRepo, shown: Shown[]): TestCase[] {
  let api: RunlensApi;
  const train = (request: Omit<TrainRequest, 'folder'>) =>
    vscode.commands.executeCommand<vscode.TaskExecution | undefined>('runlens.train', { folder: repo.dir, ...request });
  return [
    {
      name: 'activates; "Run Task" lists the configured commands that run with their defaults',
      async run() {
        api = await activate();
        assert.equal(vscode.workspace.isTrusted, true);
        const tasks = await vscode.tasks.fetchTasks({ type: 'runlens' });
        // `echo` and `hold` have parameters without defaults: they are launched through Train…, not listed.
        assert.deepEqual(tasks.map((task) => task.name), ['train']);
        assert.deepEqual(tasks[0]!.definition, { type: 'runlens', kind: 'command', name: 'train' });
        const execution = tasks[0]!.execution as vscode.ProcessExecution;
        assert.deepEqual([execution.process, ...execution.args], ['node', 'train.mjs', '--lr', '0.01', '--epochs', '3']);
      },
    },
    {
      name: 'Train runs the command as a task; the Lightning run it logs appears under "This branch", linked to HEAD',
      async run() {
        const execution = await train({ spec: 'command::train', params: { lr: '0.05', epochs: '4' } });
        assert.ok(execution, 'runlens.train returned no task execution');
        assert.deepEqual(execution.task.definition, { type: 'runlens', kind: 'command', name: 'train', params: { lr: '0.05', epochs: '4' } });
        const process = execution.task.execution as vscode.ProcessExecution;
        assert.deepEqual(process.args, ['train.mjs', '--lr', '0.05', '--epochs', '4']);
        assert.equal(await processEnd(execution), 0);
        const run = await waitFor('version_1 linked to HEAD in the Experiments view', async () => {
          const found = find(await api.snapshot('experiments'), 'version_1');
          return found?.path[0] === 'This branch' ? found : undefined;
        });
        assert.match(run.node.tooltip ?? '', new RegExp(`Commit:\\*\\* ${repo.head.slice(0, 7)}`));
        assert.equal(run.node.contextValue, 'run.linked');
        const earlier = find(await api.snapshot('experiments'), repo.earlierRun);
        assert.equal(earlier?.path[0], 'Not linked to a commit', 'the run logged before any launch stays unlinked');
        const done = await waitFor('the notification at the end', async () => shown.find((s) => /train finished with exit code 0/.test(s.message)));
        assert.deepEqual(done.rest, ['Compare with Previous Best', 'Reveal Run']);
      },
    },
    {
      name: 'VS Code replaces ${…} variables in a task\'s process arguments, so Runlens refuses values that contain "${"',
      async run() {
        const out = join(repo.dir, 'out', 'probe-argv.json');
        const sent = ['${workspaceFolder}', '${env:HOME}', 'plain'];
        const probe = new vscode.Task({ type: 'runlens-probe' }, vscode.TaskScope.Workspace, 'probe', 'probe', new vscode.ProcessExecution('node', ['echo-argv.js', ...sent], { cwd: repo.dir, env: { ECHO_ARGV_OUT: out } }));
        const execution = await vscode.tasks.executeTask(probe);
        assert.equal(await processEnd(execution), 0);
        const received = JSON.parse(readFileSync(out, 'utf8')) as string[];
        assert.deepEqual(received, [repo.dir, process.env.HOME, 'plain'], 'VS Code resolved the variables');
        const before = shown.length;
        assert.equal(await train({ spec: 'command::echo', params: { ...echoParams(), v0: '${env:HOME}' } }), undefined);
        assert.match(shown[before]?.message ?? '', /cannot run echo: v0 contains "\$\{", which VS Code's task system would replace/);
      },
    },
    {
      name: `${TASK_VALUES.length} hostile values reach the program unchanged through a real task (no shell)`,
      async run() {
        const execution = await train({ spec: 'command::echo', params: echoParams() });
        assert.ok(execution);
        assert.equal(await processEnd(execution), 0);
        const received = JSON.parse(readFileSync(join(repo.dir, 'out', 'train-argv.json'), 'utf8')) as string[];
        assert.deepEqual(received, TASK_VALUES);
      },
    },
    {
      name: 'terminating a long task ends its whole process tree',
      async run() {
        const pidfile = join(repo.dir, 'out', 'hold.json');
        const execution = await train({ spec: 'command::hold', params: { pidfile } });
        assert.ok(execution);
        const ended = processEnd(execution);
        const pids = await waitFor('the pid file', async () => (existsSync(pidfile) ? (JSON.parse(readFileSync(pidfile, 'utf8')) as { pid: number; child: number }) : undefined));
        assert.ok(isAlive(pids.pid) && isAlive(pids.child), 'both processes run');
        execution.terminate();
        await ended;
        await waitFor('both processes to exit', async () => (!isAlive(pids.pid) && !isAlive(pids.child) ? true : undefined), 10_000);
        await waitFor('the notification that it stopped', async () => shown.find((s) => /hold was stopped/.test(s.message)));
      },
    },
    {
      name: 'Deploy runs a configured target with the version\'s values as single arguments',
      async run() {
        const models = await api.snapshot('models');
        assert.ok(models.some((m) => m.label === repo.artifact), `no ${repo.artifact} in ${JSON.stringify(models.map((m) => m.label))}`);
        const request: VersionRequest = { model: repo.artifact, version: repo.version };
        const execution = await vscode.commands.executeCommand<vscode.TaskExecution | undefined>('runlens.deployModelVersion', request);
        assert.ok(execution);
        assert.equal(await processEnd(execution), 0);
        assert.deepEqual(JSON.parse(readFileSync(join(repo.dir, 'out', 'deploy-argv.json'), 'utf8')), [repo.artifact, repo.version, repo.head]);
      },
    },
    {
      name: 'Promote creates the annotated GTO tag after a modal confirmation; the Models view shows the stage',
      async run() {
        const request: PromoteRequest = { model: repo.artifact, version: repo.version, stage: 'prod' };
        const tag = await vscode.commands.executeCommand<string | undefined>('runlens.promoteModelVersion', request);
        assert.equal(tag, `${repo.artifact}#prod#1`);
        const confirm = shown.find((s) => s.message === `Create git tag ${tag}?`);
        assert.ok(confirm, 'no confirmation');
        assert.deepEqual((confirm.rest[0] as vscode.MessageOptions).modal, true);
        assert.equal(git(repo, 'cat-file', '-t', tag), 'tag');
        assert.equal(git(repo, 'tag', '-l', '--format=%(contents:subject)', tag), `Assigning stage prod to artifact ${repo.artifact} version ${repo.version}`);
        assert.equal(git(repo, 'rev-parse', `${tag}^{commit}`), repo.head);
        await waitFor('the stage in the Models view', async () => {
          const model = (await api.snapshot('models')).find((m) => m.label === repo.artifact);
          return model?.children?.find((v) => v.label === repo.version)?.description?.includes('prod') ? true : undefined;
        });
      },
    },
  ];
}

function restrictedTests(repo: TasksRepo, shown: Shown[]): TestCase[] {
  return [
    {
      name: 'restricted mode: the extension activates and reads the data',
      async run() {
        const api = await activate();
        assert.equal(vscode.workspace.isTrusted, false);
        assert.ok(find(await api.snapshot('experiments'), repo.earlierRun));
      },
    },
    {
      name: 'restricted mode: Train, Re-run, Deploy and Promote refuse with a message and launch nothing',
      async run() {
        let started = 0;
        const listener = vscode.tasks.onDidStartTask(() => started++);
        const calls: Array<[string, unknown]> = [
          ['runlens.train', { folder: repo.dir, spec: 'command::train', params: { lr: '0.1', epochs: '1' } }],
          ['runlens.rerunWithChanges', undefined],
          ['runlens.deployModelVersion', { model: repo.artifact, version: repo.version }],
          ['runlens.promoteModelVersion', { model: repo.artifact, version: repo.version, stage: 'prod' }],
        ];
        for (const [command, arg] of calls) {
          const before = shown.length;
          assert.equal(await vscode.commands.executeCommand(command, arg), undefined, command);
          assert.match(shown[before]?.message ?? '', /need a trusted workspace/, command);
        }
        listener.dispose();
        assert.equal(started, 0);
        assert.equal(git(repo, 'tag', '-l', `${repo.artifact}#*`), '');
        assert.ok(!existsSync(join(repo.dir, 'lightning_logs', 'version_1')));
      },
    },
  ];
}

export async function run(): Promise<void> {
  const repo = JSON.parse(process.env[TASKS_REPO_ENV] ?? 'null') as TasksRepo | null;
  if (!repo) throw new Error(`${TASKS_REPO_ENV} is not set: run this suite through test/integration/tasks.test.ts`);
  const shown = interceptMessages((message) => (message.startsWith('Create git tag ') ? 'Create Tag' : undefined));
  const results = await runTests(repo.trusted ? trustedTests(repo, shown) : restrictedTests(repo, shown));
  const failed = results.filter((result) => !result.passed).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} in-host tests failed`);
}
