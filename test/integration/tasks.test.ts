// Train, deploy and promote in a real VS Code extension host (code-server): a git repo with a configured
// training command (test/fixtures/train-logger), an argv echo (test/fixtures/echo-argv.js), a long-running
// task and a GTO-registered model. Runs the in-host suite test/integration/tasks twice: in a trusted
// workspace, and in a restricted one where every launch command must refuse.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TASK_VALUES } from '../fixtures/echo-argv-values';
import { ROOT, runSuite } from '../harness/in-host';
import { makeRepo } from '../unit/helpers/git-fixture';
import { TASKS_REPO_ENV, type TasksRepo } from './tasks/protocol';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const ARTIFACT = 'churn';
const VERSION = 'v1.0.0';

function settings(echoParams: number): string {
  const echo = Array.from({ length: echoParams }, (_, i) => `v${i}`);
  return JSON.stringify({
    'runlens.primaryMetric': 'val_accuracy',
    'runlens.training': [
      {
        name: 'train',
        command: ['node', 'train.mjs', '--lr', '${lr}', '--epochs', '${epochs}'],
        parameters: [{ name: 'lr', type: 'float', default: 0.01 }, { name: 'epochs', type: 'int', default: 3 }],
      },
      {
        name: 'echo',
        command: ['node', 'echo-argv.js', ...echo.map((name) => `\${${name}}`)],
        parameters: echo.map((name) => ({ name })),
        env: { ECHO_ARGV_OUT: '${workspaceFolder}/out/train-argv.json' },
      },
      { name: 'hold', command: ['node', 'train.mjs', '--hold', '${pidfile}'], parameters: [{ name: 'pidfile', type: 'string' }] },
    ],
    'runlens.deployTargets': [
      { name: 'echo', args: ['node', 'echo-argv.js', '${model.name}', '${model.version}', '${git.commit}'], env: { ECHO_ARGV_OUT: '${workspaceFolder}/out/deploy-argv.json' } },
    ],
  }, null, 2);
}

/** The workspace: scripts and settings committed, a GTO version registered, one Lightning run logged already. */
function createRepo(dir: string, trusted: boolean): TasksRepo {
  const repo = makeRepo(dir);
  const head = repo.commit('Training script and Runlens settings', {
    '.gitignore': 'lightning_logs/\nout/\n',
    '.vscode/settings.json': settings(TASK_VALUES.length),
    'train.mjs': readFileSync(join(FIXTURES, 'train-logger', 'train.mjs'), 'utf8'),
    'echo-argv.js': readFileSync(join(FIXTURES, 'echo-argv.js'), 'utf8'),
  });
  mkdirSync(join(dir, 'out'));
  repo.git('tag', '-a', `${ARTIFACT}@${VERSION}`, '-m', `Registering artifact ${ARTIFACT} version ${VERSION}`, head);
  execFileSync(process.execPath, ['train.mjs', '--lr', '0.5', '--epochs', '3'], { cwd: dir, stdio: 'pipe' });
  return { dir, head, artifact: ARTIFACT, version: VERSION, earlierRun: 'version_0', trusted };
}

/** The workspace for one run, with what the in-host suite needs to know about it. */
function workspace(trusted: boolean) {
  return (work: string) => {
    const repo = createRepo(join(work, trusted ? 'trusted' : 'restricted'), trusted);
    return { dir: repo.dir, env: { [TASKS_REPO_ENV]: JSON.stringify(repo) } };
  };
}

test('train, deploy and promote in a trusted workspace (code-server)', { timeout: 300_000 }, (t) =>
  runSuite(t, { suite: 'tasks', workspace: workspace(true) }));

test('train, deploy and promote refuse in a restricted workspace (code-server)', { timeout: 300_000 }, (t) =>
  runSuite(t, { suite: 'tasks', workspace: workspace(false), trustWorkspace: false }));
