// Runlens in a real VS Code extension host, on the demo repo (test/harness/demo-repo.ts) opened at its
// feature branch. Loaded by the workbench as `extensionTestsPath` (bundled to dist/test/suite.js) and
// run through test/harness/code-server.ts; test/integration/vscode.test.ts reports the results.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunlensApi, TreeSnapshotNode } from '../../../src/ide/api';
import type { DemoRepo, DemoRun } from '../../harness/demo-repo';
import { requestScreenshot, runTests, waitFor } from './harness';
import { DEMO_REPO_ENV, EXTENSION_ID, THIS_BRANCH, UNLINKED } from './protocol';

const OTHER_BRANCHES = 'Other branches';

export async function run(): Promise<void> {
  const demo = JSON.parse(process.env[DEMO_REPO_ENV] ?? 'null') as DemoRepo | null;
  if (!demo) throw new Error(`${DEMO_REPO_ENV} is not set: run this suite through test/integration/vscode.test.ts`);
  const fromBase = `From ${demo.baseBranch}`;
  const names = (runs: DemoRun[]) => runs.map((r) => r.name).sort();
  const featureRuns = names(demo.runs.filter((r) => r.branch === demo.featureBranch));
  const baseRuns = names(demo.runs.filter((r) => r.branch === demo.baseBranch));
  const unlinkedRuns = names(demo.runs.filter((r) => r.commit === undefined));
  const running = demo.runs.find((r) => r.status === 'RUNNING' && r.branch === demo.featureBranch)!;
  let api: RunlensApi | undefined;
  const runlens = () => api ?? assert.fail('the extension did not activate');

  const results = await runTests([
    {
      name: 'activates when its view is opened, not at startup, and returns its API',
      async run() {
        const extension = vscode.extensions.getExtension<RunlensApi>(EXTENSION_ID);
        assert.ok(extension, `${EXTENSION_ID} is not installed in the extension host`);
        assert.equal(extension.isActive, false, 'active before any Runlens view was opened');
        await vscode.commands.executeCommand('workbench.view.extension.runlens');
        await waitFor('activation', async () => (extension.isActive ? true : undefined));
        api = extension.exports;
        assert.equal(typeof api.snapshot, 'function');
        assert.equal(typeof api.whenIdle, 'function');
      },
    },
    {
      name: 'registers every command package.json contributes',
      async run() {
        const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[])
          .map((c) => c.command);
        const registered = new Set(await vscode.commands.getCommands(true));
        assert.ok(contributed.length > 0);
        assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
      },
    },
    {
      name: 'Experiments: the feature branch runs under "This branch", main runs under "From main", the notebook run unlinked',
      async run() {
        await runlens().whenIdle();
        const tree = await runlens().snapshot('experiments');
        assert.deepEqual(tree.map((group) => group.label), [THIS_BRANCH, fromBase, UNLINKED]);
        assert.deepEqual(runsIn(tree, THIS_BRANCH), featureRuns);
        assert.deepEqual(runsIn(tree, fromBase), baseRuns);
        assert.deepEqual(runsIn(tree, UNLINKED), unlinkedRuns);
        const experiments = group(tree, THIS_BRANCH).children ?? [];
        assert.deepEqual(experiments.map((e) => e.label), [demo.experiment.name]);
        for (const demoRun of demo.runs) {
          const node = findRun(tree, demoRun.name)!;
          assert.equal(metricValue(node.description, demo.primaryMetric), roundedLike(demoRun.metrics[demo.primaryMetric]!), demoRun.name);
        }
      },
    },
    {
      name: 'Models: the registered model with both versions, its stage and its alias',
      async run() {
        const models = await runlens().snapshot('models');
        const model = models.find((m) => m.label === demo.model.name);
        assert.ok(model, `no ${demo.model.name} in ${JSON.stringify(models.map((m) => m.label))}`);
        assert.equal(model.children?.length, demo.model.versions.length);
        for (const version of demo.model.versions) {
          const node = model.children!.find((v) => new RegExp(`\\b${version.version}\\b`).test(v.label));
          assert.ok(node, `no version ${version.version} in ${JSON.stringify(model.children!.map((v) => v.label))}`);
          const expected = [...(version.stage === 'None' ? [] : [version.stage]), ...version.aliases];
          for (const marker of expected) assert.match(node.description ?? '', new RegExp(marker), `version ${version.version}`);
        }
      },
    },
    {
      name: 'the sidebar shows the runs (screenshot sidebar.png)',
      async run() {
        await vscode.commands.executeCommand('workbench.view.extension.runlens');
        // Room for the runs: hide the (empty) Datasets view; "Decrease Editor Width" widens the side bar.
        await vscode.commands.executeCommand('runlens.datasets.removeView');
        for (let i = 0; i < 2; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
        await expandAll('runlens.experiments', countNodes(await runlens().snapshot('experiments')));
        await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
        await requestScreenshot({ name: 'sidebar', waitForText: baseRuns[0]! });
      },
    },
    {
      name: 'a metric line appended by a running run updates its description without a refresh',
      async run() {
        const file = join(running.dir, 'metrics', ...demo.primaryMetric.split('/'));
        const step = readFileSync(file, 'utf8').trimEnd().split('\n').length;
        const value = 0.9912; // five significant digits: shown as is
        appendFileSync(file, `${Date.now()} ${value} ${step}\n`);
        await waitFor(`${running.name} to show ${value}`, async () => {
          const node = findRun(await runlens().snapshot('experiments'), running.name);
          return metricValue(node?.description, demo.primaryMetric) === value ? true : undefined;
        });
      },
    },
    {
      name: `\`git checkout main\` in a terminal re-scopes the tree without a refresh`,
      async run() {
        const before = JSON.stringify(await runlens().snapshot('experiments'));
        await checkout(demo.dir, demo.baseBranch);
        const tree = await waitFor('the Experiments tree to change', async () => {
          const now = await runlens().snapshot('experiments');
          return JSON.stringify(now) === before ? undefined : now;
        });
        const mainHead = demo.runs.find((r) => r.commit === demo.commits[demo.baseBranch]!.at(-1))!;
        assert.ok(runsIn(tree, THIS_BRANCH).includes(mainHead.name), `${mainHead.name} (on main's HEAD) not under ${THIS_BRANCH}`);
        assert.deepEqual(allRuns(tree).filter((name) => featureRuns.includes(name)), [], 'feature runs still shown');
        assert.deepEqual([...runsIn(tree, THIS_BRANCH), ...runsIn(tree, fromBase)].sort(), baseRuns);
        assert.deepEqual(runsIn(tree, UNLINKED), unlinkedRuns);
      },
    },
    {
      name: 'Show All Branches adds the feature runs under "Other branches"; Show Current Branch hides them',
      async run() {
        await vscode.commands.executeCommand('runlens.showAllBranches');
        const all = await runlens().snapshot('experiments');
        assert.deepEqual(runsIn(all, OTHER_BRANCHES), featureRuns);
        await vscode.commands.executeCommand('runlens.showCurrentBranch');
        const current = await runlens().snapshot('experiments');
        assert.equal(current.find((g) => g.label === OTHER_BRANCHES), undefined);
      },
    },
  ]);
  const failed = results.filter((result) => !result.passed).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} in-host tests failed`);
}

function group(tree: TreeSnapshotNode[], label: string): TreeSnapshotNode {
  const node = tree.find((g) => g.label === label);
  assert.ok(node, `no group "${label}" in ${JSON.stringify(tree.map((g) => g.label))}`);
  return node;
}

const isRun = (node: TreeSnapshotNode) => node.contextValue?.startsWith('run') ?? false;

function allRuns(nodes: TreeSnapshotNode[]): string[] {
  return nodes.flatMap((node) => (isRun(node) ? [node.label] : allRuns(node.children ?? []))).sort();
}

/** Names of the runs in the group `label` (experiment → run), sorted. */
const runsIn = (tree: TreeSnapshotNode[], label: string) =>
  tree.some((g) => g.label === label) ? allRuns([group(tree, label)]) : [];

function findRun(nodes: TreeSnapshotNode[], name: string): TreeSnapshotNode | undefined {
  for (const node of nodes) {
    const found = isRun(node) && node.label === name ? node : findRun(node.children ?? [], name);
    if (found) return found;
  }
  return undefined;
}

/** The number in a run's description "<metric> <value>", or undefined when it names another metric. */
function metricValue(description: string | undefined, metric: string): number | undefined {
  const match = new RegExp(`^${metric.replace(/[/.]/g, '\\$&')} (\\S+)$`).exec(description ?? '');
  return match ? Number(match[1]) : undefined;
}

/** A metric as the tree shows it: five significant digits. */
const roundedLike = (value: number) => Number(value.toPrecision(5));

const countNodes = (nodes: TreeSnapshotNode[]): number =>
  nodes.reduce((sum, node) => sum + 1 + countNodes(node.children ?? []), 0);

/**
 * Expands every row of a tree view through the workbench's list commands (the API has no "expand
 * all"): on a collapsed row `list.expand` expands it, on an expanded one it moves to the first child.
 */
async function expandAll(viewId: string, rows: number): Promise<void> {
  await vscode.commands.executeCommand(`${viewId}.focus`);
  await vscode.commands.executeCommand('list.focusFirst');
  for (let row = 0; row < rows; row++) {
    await vscode.commands.executeCommand('list.expand');
    await vscode.commands.executeCommand('list.focusDown');
  }
  await vscode.commands.executeCommand('list.focusFirst');
}

/** `git checkout` as a user types it; retried while VS Code's git extension holds the index lock. */
async function checkout(cwd: string, ref: string): Promise<void> {
  await waitFor(`git checkout ${ref}`, async () => {
    try {
      execFileSync('git', ['checkout', '--quiet', ref], { cwd, stdio: 'pipe' });
      return true;
    } catch (error) {
      if (/index\.lock/.test(String((error as { stderr?: unknown }).stderr))) return undefined;
      throw error;
    }
  }, 5_000);
}
