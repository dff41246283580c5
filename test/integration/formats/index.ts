// Every tracker in one repository, in a real VS Code extension host: DVC's example project (runs, a tracked
// dataset changed on the branch), GTO's tags (model versions and stages) and a TensorBoard log folder
// (test/harness/formats-repo.ts). Bundled to dist/test/formats.js; test/integration/formats.test.ts runs it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { RunlensApi, TreeSnapshotNode, ViewName } from '../../../src/ide/api';
import { nextStageTag } from '../../../src/sources/gto/tags';
import type { FormatsModelVersion, FormatsRepo } from '../../harness/formats-repo';
import { requestScreenshot, runTests, waitFor } from '../suite/harness';
import { EXTENSION_ID, THIS_BRANCH, UNLINKED } from '../suite/protocol';
import { FORMATS_REPO_ENV } from './protocol';

const PROMOTED_STAGE = 'prod';

export async function run(): Promise<void> {
  const repo = JSON.parse(process.env[FORMATS_REPO_ENV] ?? 'null') as FormatsRepo | null;
  if (!repo) throw new Error(`${FORMATS_REPO_ENV} is not set: run this suite through test/integration/formats.test.ts`);
  const fromBase = `From ${repo.baseBranch}`;
  const { dvc, dataset, tensorboard, model } = repo;
  const newest = model.versions[0]!;
  let api: RunlensApi | undefined;
  const snapshot = (view: ViewName) => (api ?? assert.fail('the extension did not activate')).snapshot(view);
  /** The versions after `newest` took PROMOTED_STAGE over from whichever version held it. */
  const promoted = model.versions.map((v) => ({
    ...v,
    stages: v === newest ? [...v.stages, PROMOTED_STAGE].sort() : v.stages.filter((s) => s !== PROMOTED_STAGE),
  }));

  const results = await runTests([
    {
      name: 'activates when the Runlens view is opened and finishes its first scan',
      async run() {
        const extension = vscode.extensions.getExtension<RunlensApi>(EXTENSION_ID);
        assert.ok(extension, `${EXTENSION_ID} is not installed in the extension host`);
        await vscode.commands.executeCommand('workbench.view.extension.runlens');
        await waitFor('activation', async () => (extension.isActive ? true : undefined));
        api = extension.exports;
        await api.whenIdle();
      },
    },
    {
      name: 'Experiments: DVC commits scoped by branch, experiments from main, the TensorBoard run not linked to a commit',
      async run() {
        const tree = await snapshot('experiments');
        assert.deepEqual(tree.map((group) => group.label), [THIS_BRANCH, fromBase, UNLINKED]);
        assert.deepEqual(labels(child(tree, THIS_BRANCH).children), [dvc.experiment]);
        assert.deepEqual(runsOf(tree, THIS_BRANCH, dvc.experiment), [...dvc.branchRuns].sort());
        assert.deepEqual(runsOf(tree, fromBase, dvc.experiment), [...dvc.baseRuns].sort());
        assert.deepEqual(labels(child(tree, UNLINKED).children), [tensorboard.store]);
        assert.deepEqual(runsOf(tree, UNLINKED, tensorboard.store), [tensorboard.run]);
        const tbRun = child(child(child(tree, UNLINKED).children, tensorboard.store).children, tensorboard.run);
        // the tree shows five significant digits of the last value (a float32 in the event file)
        assert.equal(tbRun.description, `${tensorboard.metric} ${Number(tensorboard.last.toPrecision(5))}`);
      },
    },
    {
      name: `Datasets: ${dataset.path} (a .dvc file) shows its branch digest and "changed on this branch"`,
      async run() {
        const node = child(await snapshot('datasets'), dataset.path);
        assert.match(node.description ?? '', new RegExp(`^${dataset.digest.slice(0, 8)} · `));
        assert.doesNotMatch(node.description ?? '', new RegExp(dataset.baseDigest.slice(0, 8)));
        assert.match(node.description ?? '', / · changed on this branch$/);
        assert.equal(node.contextValue, 'dataset.changed');
      },
    },
    {
      name: `Models: the GTO artifact ${model.name} with its versions, their stages and @latest`,
      async run() {
        assertVersions(child(await snapshot('models'), model.name), model.versions);
      },
    },
    {
      name: `\`git tag -a ${model.name}#${PROMOTED_STAGE}#N\` in a terminal moves ${PROMOTED_STAGE} to ${newest.version} without a refresh`,
      async run() {
        const tags = execFileSync('git', ['tag', '--list'], { cwd: repo.dir, encoding: 'utf8' }).split('\n');
        const tag = nextStageTag(tags, model.name, PROMOTED_STAGE);
        const message = `Assigning stage ${PROMOTED_STAGE} to artifact ${model.name} version ${newest.version}`;
        execFileSync('git', ['tag', '-a', tag, '-m', message, newest.commit], { cwd: repo.dir, stdio: 'pipe' });
        const modelNode = await waitFor(`${newest.version} to show ${PROMOTED_STAGE}`, async () => {
          const node = (await snapshot('models')).find((m) => m.label === model.name);
          const version = node?.children?.find((v) => v.label === newest.version);
          return version?.description?.split(' · ').includes(PROMOTED_STAGE) ? node : undefined;
        });
        assertVersions(modelNode, promoted);
      },
    },
    {
      name: 'the sidebar shows the three trees (screenshot formats.png)',
      async run() {
        await vscode.commands.executeCommand('workbench.view.extension.runlens');
        // "Decrease Editor Width" widens the side bar, so descriptions are not cut off.
        for (let i = 0; i < 2; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
        await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
        await requestScreenshot({ name: 'formats', waitForText: newest.version });
      },
    },
  ]);
  const failed = results.filter((result) => !result.passed).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} in-host tests failed`);
}

const labels = (nodes: TreeSnapshotNode[] | undefined) => (nodes ?? []).map((node) => node.label);

function child(nodes: TreeSnapshotNode[] | undefined, label: string): TreeSnapshotNode {
  const node = nodes?.find((n) => n.label === label);
  assert.ok(node, `no "${label}" in ${JSON.stringify(labels(nodes))}`);
  return node;
}

/** Names of the runs of one experiment in one scope group, sorted. */
const runsOf = (tree: TreeSnapshotNode[], group: string, experiment: string) =>
  labels(child(child(tree, group).children, experiment).children).sort();

/** Versions greatest first, each described by its stages and, for the greatest, GTO's `latest`. */
function assertVersions(modelNode: TreeSnapshotNode, versions: FormatsModelVersion[]): void {
  assert.deepEqual(labels(modelNode.children), versions.map((v) => v.version));
  versions.forEach((version, i) => {
    const markers = [...version.stages, ...(i === 0 ? ['@latest'] : [])];
    assert.equal(child(modelNode.children, version.version).description, markers.join(' · ') || undefined, version.version);
  });
}
