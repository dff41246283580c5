// The DVC source on the rebuilt history of iterative/example-get-started (test/fixtures/dvc-example-get-started):
// runs from commits and experiments, params and metrics read from git objects, plots as series, tracked data
// as datasets with their change against the merge-base, bad input, and fuzzed files.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ScanResult, type Run } from '../../src/core/model';
import type { GitView } from '../../src/core/scope';
import { readGitView } from '../../src/git';
import { dvcProvider } from '../../src/sources/dvc';
import { parseLock } from '../../src/sources/dvc/lock';
import { parsePipeline } from '../../src/sources/dvc/pipeline';
import { readTrackedData } from '../../src/sources/dvc/datasets';
import { CommitRevision } from '../../src/sources/dvc/revision';
import { MAX_COMMIT_RUNS, WORKSPACE } from '../../src/sources/dvc/store';
import { exampleRepo, FIXTURE } from './helpers/dvc-repo';
import { mutations } from './helpers/fuzz';
import { tempDir } from './helpers/git-fixture';

const MAIN = join(FIXTURE, 'commits', '06ea489');
const LEGACY_HEAD = join(FIXTURE, 'legacy-chain-pr57', 'commits', 'bcfae8c');

async function scanAt(dir: string) {
  const store = dvcProvider.open(join(dir, '.dvc'));
  const result = await store.scan({ git: await readGitView(dir) });
  ScanResult.parse(result);
  return { store, result };
}

function byId(runs: readonly Run[], id: string): Run {
  const run = runs.find((r) => r.id === id);
  assert.ok(run, `run ${id}`);
  return run;
}

test('runs: the workspace, every commit of main that changed params.yaml or dvc.lock, and the 5 experiments', async (t) => {
  const example = exampleRepo(t);
  const { result } = await scanAt(example.repo.dir);
  // By hand from the fixture's files: params.yaml appears at 4370628 and changes at e4bc9b0; dvc.lock appears at
  // 6c5ba05 and changes at 5d3ccf5, 0d46eb4, e4bc9b0 and 06ea489. eval/metrics.json is a DVC output, never in git.
  const commits = ['06ea489', 'e4bc9b0', '0d46eb4', '5d3ccf5', '6c5ba05', '4370628'].map(example.sha);
  const experiments = ['messy-tire', 'minor-coos', 'nubby-inks', 'potty-quiz', 'raked-vise'];
  assert.deepEqual(result.runs.map((r) => r.id), [WORKSPACE, ...commits, ...experiments.map((name) => result.runs.find((r) => r.name === name)!.id)]);
  assert.equal(byId(result.runs, example.sha('e4bc9b0')).name, `${example.sha('e4bc9b0').slice(0, 7)} Reproduce model using bigrams`);
  assert.equal(byId(result.runs, example.sha('e4bc9b0')).git.commit, example.sha('e4bc9b0'));
  assert.equal(byId(result.runs, example.sha('e4bc9b0')).startTime, Date.parse('2023-08-25T22:19:15Z'));
  const workspace = byId(result.runs, WORKSPACE);
  assert.deepEqual(workspace.git, { commit: example.sha('06ea489'), branch: 'main', dirty: false });
  assert.deepEqual(result.experiments.map((e) => e.name), [workspace.experiment]);
  assert.equal(result.diagnostics.length, 0, JSON.stringify(result.diagnostics));
});

test('experiments are runs linked to their baseline commit, with their own params', async (t) => {
  const example = exampleRepo(t);
  const { result } = await scanAt(example.repo.dir);
  const exp = result.runs.find((r) => r.name === 'messy-tire')!;
  // refs/exps/06/ea48980a…/messy-tire → 974b8eb, whose params.yaml sets train.n_est 100 and train.min_split 2.
  assert.equal(exp.id, example.sha('974b8eb'));
  assert.equal(exp.git.commit, example.sha('06ea489'));
  assert.equal(exp.tags['dvc.exp.baseline'], example.sha('06ea489'));
  assert.equal(exp.params['train.n_est'], '100');
  assert.equal(exp.params['train.min_split'], '2');
  assert.equal(result.runs.find((r) => r.name === 'minor-coos')!.params['train.min_split'], '64');
  assert.equal(result.runs.find((r) => r.name === 'nubby-inks')!.params['train.n_est'], '50');
});

test('params are read at each commit and flattened to a.b keys', async (t) => {
  const example = exampleRepo(t);
  const { result } = await scanAt(example.repo.dir);
  const keys = ['prepare.split', 'prepare.seed', 'featurize.max_features', 'featurize.ngrams', 'train.seed', 'train.n_est', 'train.min_split'];
  assert.deepEqual(Object.keys(byId(result.runs, example.sha('4370628')).params), keys);
  // 4370628 ("Add source code files") starts with 100 features of unigrams; e4bc9b0 moves to 200 bigrams.
  assert.equal(byId(result.runs, example.sha('4370628')).params['featurize.max_features'], '100');
  assert.equal(byId(result.runs, example.sha('4370628')).params['featurize.ngrams'], '1');
  assert.equal(byId(result.runs, example.sha('e4bc9b0')).params['featurize.ngrams'], '2');
  assert.equal(byId(result.runs, WORKSPACE).params['prepare.split'], '0.2');
  assert.equal(byId(result.runs, WORKSPACE).params['train.min_split'], '0.01');
});

test('metrics at commits where DVCLive output was committed (the legacy chain), and plots as series', async (t) => {
  const example = exampleRepo(t);
  example.repo.checkout('legacy-pr57');
  const { store, result } = await scanAt(example.repo.dir);
  // Legacy chain: params.yaml from 2ac430a, dvc.lock from ee2c12d, eval/live/metrics.json from b6caa57 on.
  const commits = ['bcfae8c', 'ae0920e', '349f108', 'b6caa57', '6850307', 'ee2c12d', '2ac430a'].map(example.sha);
  assert.deepEqual(result.runs.filter((r) => r.tags['dvc.exp.name'] === undefined).map((r) => r.id), [WORKSPACE, ...commits]);
  const head = byId(result.runs, example.sha('bcfae8c'));
  assert.equal(head.metrics['avg_prec.test']!.last, 0.9249974999612706);
  assert.equal(head.metrics['roc_auc.train']!.last, 0.9866678562450621);
  assert.equal(byId(result.runs, example.sha('349f108')).metrics['avg_prec.test']!.last, 0.9014016422240393);
  assert.deepEqual(Object.keys(byId(result.runs, example.sha('6850307')).metrics), []);
  // "Update params.yaml:featurize.max_features" (bcfae8c) set it back to 100 from ae0920e's 200.
  assert.equal(head.params['featurize.max_features'], '100');
  assert.equal(byId(result.runs, example.sha('ae0920e')).params['featurize.max_features'], '200');
  // The working tree is bcfae8c checked out: the workspace run reads the same files from disk.
  assert.equal(byId(result.runs, WORKSPACE).metrics['roc_auc.test']!.last, 0.9460213440787918);
  // eval/prc/test.json holds 998 {precision, recall, threshold} records; dvc.yaml plots precision over recall.
  const prc = head.metrics['eval/prc/test.json:precision']!;
  assert.deepEqual([prc.count, prc.min, prc.max], [998, 0.312375249500998, 1]);
  assert.equal(head.metrics['eval/live/plots/sklearn/roc/test.json:tpr']!.count, 283);
  const series = await store.loadSeries(head.id, 'eval/prc/test.json:precision');
  assert.deepEqual(series.diagnostics, []);
  assert.equal(series.points.length, 998);
  assert.ok(series.points.every((p, i) => i === 0 || series.points[i - 1]!.step <= p.step), 'ordered by recall');
  const fromDisk = await store.loadSeries(WORKSPACE, 'eval/prc/test.json:precision');
  assert.deepEqual(fromDisk.points.map((p) => [p.step, p.value]), series.points.map((p) => [p.step, p.value]));
});

test('DVCLive output in the working tree: metrics.json values and the plots/metrics TSV history', async (t) => {
  const example = exampleRepo(t);
  const dir = example.repo.dir;
  mkdirSync(join(dir, 'dvclive', 'plots', 'metrics', 'train'), { recursive: true });
  writeFileSync(join(dir, 'dvclive', 'metrics.json'), JSON.stringify({ train: { loss: 0.25 }, step: 2 }));
  writeFileSync(join(dir, 'dvclive', 'plots', 'metrics', 'train', 'loss.tsv'), 'timestamp\tstep\tloss\n1000\t0\t0.9\n2000\t1\t0.5\n3000\t2\t0.25\n');
  const { store, result } = await scanAt(dir);
  const loss = byId(result.runs, WORKSPACE).metrics['train.loss']!;
  assert.deepEqual([loss.last, loss.step, loss.min, loss.max, loss.count], [0.25, 2, 0.25, 0.9, 3]);
  const { points } = await store.loadSeries(WORKSPACE, 'train.loss');
  assert.deepEqual(points, [{ step: 0, value: 0.9, timestamp: 1000 }, { step: 1, value: 0.5, timestamp: 2000 }, { step: 2, value: 0.25, timestamp: 3000 }]);
});

test('datasets: dvc.lock outs and data/data.xml.dvc with md5, size, nfiles and the stages that use them', async (t) => {
  const example = exampleRepo(t);
  const { result } = await scanAt(example.repo.dir);
  const datasets = Object.fromEntries(result.datasets.map((d) => [d.path, [d.digest, d.size, d.nfiles, d.usedBy, d.changedOnBranch]]));
  // From 06ea489's dvc.lock and data/data.xml.dvc; usedBy from dvc.yaml's deps. On main itself nothing changed.
  assert.deepEqual(datasets, {
    'data/prepared': ['153aad06d376b6595932470e459ef42a.dir', 8437363, 2, ['featurize'], false],
    'data/features': ['f35d4cc2c552ac959ae602162b8543f3.dir', 2232588, 2, ['train', 'evaluate'], false],
    'model.pkl': ['d1f6e055f7f5e2827fcfae68d9b64d4c', 1958115, undefined, ['evaluate'], false],
    eval: ['80a081570c800c60b9b98ca4b3c91dd7.dir', 1292342, 8, [], false],
    'data/data.xml': ['22a1a2931c8370d3aeedd7183606fd7f', 14445097, undefined, ['prepare'], false],
  });
  const xml = result.datasets.find((d) => d.path === 'data/data.xml')!;
  assert.equal(xml.sourceType, 'data/data.xml.dvc');
  assert.equal(xml.sourceUri, 'https://github.com/iterative/dataset-registry#get-started/data.xml');
});

test('changedOnBranch: a feature branch that changes one hash, and the real try-large-dataset branch', async (t) => {
  const example = exampleRepo(t);
  const { repo } = example;
  repo.git('checkout', '--quiet', '-b', 'feature');
  const lock = readFileSync(join(MAIN, 'dvc.lock'), 'utf8').replaceAll('d1f6e055f7f5e2827fcfae68d9b64d4c', '0123456789abcdef0123456789abcdef');
  repo.commit('retrain', { 'dvc.lock': lock });
  const view: GitView = await readGitView(repo.dir);
  assert.equal(view.mergeBase, example.sha('06ea489'));
  const { result } = await scanAt(repo.dir);
  const changed = (r: typeof result) => Object.fromEntries(r.datasets.map((d) => [d.path, d.changedOnBranch]));
  assert.deepEqual(changed(result), { 'data/prepared': false, 'data/features': false, 'model.pkl': true, eval: false, 'data/data.xml': false });
  // The new commit is a run on the branch.
  assert.equal(result.runs[1]!.name.endsWith(' retrain'), true);
  // try-large-dataset (c0c556d) swapped in the 40K dataset: every hash differs from main's.
  repo.checkout('try-large-dataset');
  const large = (await scanAt(repo.dir)).result;
  assert.deepEqual(changed(large), { 'data/prepared': true, 'data/features': true, 'model.pkl': true, eval: true, 'data/data.xml': true });
});

test('a re-scan reads no file that did not change; a new commit is read alone', async (t) => {
  const example = exampleRepo(t);
  const { repo } = example;
  const store = dvcProvider.open(join(repo.dir, '.dvc'));
  await store.scan({ git: await readGitView(repo.dir) });
  assert.ok(store.lastScanStats.filesRead > 0);
  await store.scan({ git: await readGitView(repo.dir) });
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 });
  const params = readFileSync(join(MAIN, 'params.yaml'), 'utf8').replace('n_est: 50', 'n_est: 70');
  const sha = repo.commit('more trees', { 'params.yaml': params });
  const result = await store.scan({ git: await readGitView(repo.dir) });
  assert.equal(byId(result.runs, sha).params['train.n_est'], '70');
  // params.yaml of the working tree; the new commit's dvc.yaml, then its params.yaml (dvc.lock did not change:
  // it is no run data); and, as main's merge-base moved to the new commit, its dvc.lock and data/data.xml.dvc.
  assert.equal(store.lastScanStats.filesRead, 5);
});

test('a broken dvc.yaml is a diagnostic naming it; params, history and datasets still load', async (t) => {
  const example = exampleRepo(t);
  writeFileSync(join(example.repo.dir, 'dvc.yaml'), 'stages:\n  train: [unclosed\n');
  const { result } = await scanAt(example.repo.dir);
  assert.deepEqual(result.diagnostics.map((d) => [d.file, d.severity]), [[join(example.repo.dir, 'dvc.yaml'), 'error']]);
  assert.equal(byId(result.runs, WORKSPACE).params['train.n_est'], '50');
  assert.equal(result.runs.length, 12);
  assert.equal(result.datasets.length, 5);
  assert.equal(byId(result.runs, WORKSPACE).git.dirty, true);
});

test('a metrics file that does not parse is a diagnostic naming it; the rest of the run loads', async (t) => {
  const example = exampleRepo(t);
  example.repo.checkout('legacy-pr57');
  const metrics = join(example.repo.dir, 'eval', 'live', 'metrics.json');
  writeFileSync(metrics, '{"avg_prec": {"train": 0.97,');
  const { result } = await scanAt(example.repo.dir);
  assert.deepEqual(result.diagnostics.map((d) => d.file), [metrics]);
  const workspace = byId(result.runs, WORKSPACE);
  assert.equal(workspace.metrics['avg_prec.test'], undefined);
  assert.equal(workspace.metrics['eval/prc/test.json:precision']!.count, 998);
  assert.equal(workspace.params['featurize.max_features'], '100');
  assert.equal(byId(result.runs, example.sha('bcfae8c')).metrics['avg_prec.test']!.last, 0.9249974999612706);
});

test('claims the .dvc folder of a project; detect accepts the folder or the project root', async (t) => {
  const example = exampleRepo(t);
  const dir = example.repo.dir;
  assert.equal(await dvcProvider.claims({ name: '.dvc', path: join(dir, '.dvc'), isDirectory: true }), true);
  assert.equal(await dvcProvider.claims({ name: 'dvc.yaml', path: join(dir, 'dvc.yaml'), isDirectory: false }), false);
  assert.equal(await dvcProvider.detect(dir), true);
  const empty = tempDir('runlens-nodvc-');
  mkdirSync(join(empty, '.dvc'));
  assert.equal(await dvcProvider.claims({ name: '.dvc', path: join(empty, '.dvc'), isDirectory: true }), false);
  assert.equal(await dvcProvider.detect(empty), false);
  rmSync(empty, { recursive: true });
});

test('history is bounded', () => {
  assert.equal(MAX_COMMIT_RUNS, 200);
});

const NO_GIT: GitView = { isRepo: false, branchCommits: new Set(), reachable: new Set(), shallow: false };

test('fuzz: mutated dvc.yaml, dvc.lock, params, metrics and plot files never throw out of scan and always validate', async () => {
  const dir = tempDir('runlens-dvc-fuzz-');
  const legacy = (path: string) => readFileSync(join(LEGACY_HEAD, path));
  const files: [string, Buffer][] = [
    ['dvc.yaml', legacy('dvc.yaml')],
    ['dvc.lock', legacy('dvc.lock')],
    ['params.yaml', legacy('params.yaml')],
    ['eval/live/metrics.json', legacy('eval/live/metrics.json')],
    ['eval/prc/test.json', legacy('eval/prc/test.json').subarray(0, 600)],
    ['dvclive/plots/metrics/loss.tsv', Buffer.from('timestamp\tstep\tloss\n1000\t0\t0.9\n2000\t1\t0.5\n')],
  ];
  for (const [path, bytes] of files) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  writeFileSync(join(dir, 'dvclive', 'metrics.json'), '{"loss": 0.5, "step": 1}');
  let cases = 0;
  for (const [index, [path, bytes]] of files.entries()) {
    for (const mutated of mutations(bytes, 250, 1000 + index)) {
      writeFileSync(join(dir, path), mutated);
      const result = await dvcProvider.open(dir).scan({ git: NO_GIT });
      ScanResult.parse(result);
      cases++;
    }
    writeFileSync(join(dir, path), bytes);
  }
  assert.equal(cases, 1500);
  rmSync(dir, { recursive: true });
});

test('fuzz: mutated .dvc files and lock files become problems, never exceptions', async () => {
  const dvcFile = readFileSync(join(MAIN, 'data', 'data.xml.dvc'));
  const lock = readFileSync(join(MAIN, 'dvc.lock'));
  let problems = 0;
  for (const mutated of mutations(dvcFile, 1500, 7)) {
    const data = await readTrackedData(new CommitRevision(new Map([['data/data.xml.dvc', mutated.toString('utf8')]])), ['data/data.xml.dvc']);
    problems += data.problems.length;
    for (const out of data.outs.values()) assert.equal(typeof out.path, 'string');
  }
  for (const mutated of mutations(lock, 1500, 8)) {
    try {
      for (const stage of parseLock(mutated.toString('utf8'))) assert.ok(Array.isArray(stage.outs));
    } catch (error) {
      assert.ok(error instanceof Error);
      problems++;
    }
  }
  assert.ok(problems > 0, 'some mutations are not YAML');
});

test('dvc.yaml forms: stage params files, stage metrics and plots, DVC 2 top-level plots mapping', () => {
  const pipeline = parsePipeline(readFileSync(join(LEGACY_HEAD, 'dvc.yaml'), 'utf8'));
  assert.deepEqual(pipeline.stages.map((s) => s.name), ['prepare', 'featurize', 'train', 'evaluate']);
  assert.deepEqual(pipeline.metricsFiles, ['eval/live/metrics.json']);
  assert.deepEqual(pipeline.plots.find((p) => p.path === 'eval/prc/test.json'), { path: 'eval/prc/test.json', x: 'recall', y: ['precision'] });
  assert.deepEqual(pipeline.artifacts.map((a) => [a.name, a.type, a.path, a.labels.length]), [['stackoverflow-dataset', 'dataset', 'data/data.xml', 0], ['text-classification', 'model', 'model.pkl', 3]]);
  const other = parsePipeline('stages:\n  s:\n    cmd: run\n    params:\n    - conf/train.json:\n      - lr\n    - seed\nplots:\n  logs/acc.csv:\n    x: epoch\n    y: acc\n');
  assert.deepEqual(other.paramsFiles, ['params.yaml', 'conf/train.json']);
  assert.deepEqual(other.plots, [{ path: 'logs/acc.csv', x: 'epoch', y: ['acc'] }]);
});
