// The MLflow file-store reader on real `mlruns/` folders (test/fixtures/mlflow-file-*), on copies of them
// changed in temp folders (incremental re-scans, bad input), and on fuzzed and generated metric files.
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MetricPoint, ScanResult, summarize, type MetricSummary, type Run } from '../../src/core/model';
import type { TrackingStore } from '../../src/core/source';
import { mlflowFileProvider } from '../../src/sources/mlflow-file';
import { parse as parseYaml } from 'yaml';
import { readFlatYaml } from '../../src/sources/mlflow-file/flat-yaml';
import { mutations, rng } from './helpers/fuzz';
import { scanAsNobody } from './helpers/scan-as-nobody';

const FIXTURES = join(__dirname, '..', 'fixtures');
const store = (name: string) => join(FIXTURES, `mlflow-file-${name}`, 'mlruns');
const COUNTRY = store('country-guess');
const PACKT = store('packt-1x');
const MLFIX = store('mlfix');
const LIGHTNING = store('lightning-ch02');
const MLFIX_RUN = '6e6280f331a94bf388fa9d0de0ecee99';
const MLFIX_RUN_DIR = ['0', MLFIX_RUN];

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runlens-mlflow-file-'));
  temps.push(dir);
  return dir;
}
/** A writable copy of a fixture store. */
function copyOf(source: string): string {
  const dir = join(tempDir(), 'mlruns');
  cpSync(source, dir, { recursive: true });
  return dir;
}

async function scanned(location: string, includeDeleted = false): Promise<{ store: TrackingStore; result: ScanResult }> {
  const opened = mlflowFileProvider.open(location);
  const result = await opened.scan({ includeDeleted });
  assert.ok(ScanResult.safeParse(result).success, 'the scan result validates');
  return { store: opened, result };
}

const runById = (result: ScanResult, id: string): Run => {
  const run = result.runs.find((r) => r.id === id);
  assert.ok(run, `run ${id} is in the scan`);
  return run;
};

/** Every run folder (a folder with meta.yaml) of a store, found with plain fs calls. */
function runMetaFiles(location: string): string[] {
  const experiments = [
    ...readdirSync(location).filter((name) => !name.startsWith('.') && name !== 'models').map((name) => join(location, name)),
    ...readdirSync(join(location, '.trash')).map((name) => join(location, '.trash', name)),
  ];
  return experiments.flatMap((dir) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && readdirSync(join(dir, entry.name)).includes('meta.yaml'))
      .map((entry) => join(dir, entry.name, 'meta.yaml')),
  );
}

/**
 * MLflow's own reading of a metric file (`line.strip().split(" ")`: int, float, int), for ASCII input:
 * the reference the fast byte parser is checked against. Non-finite values are left out, as the reader does.
 */
function referencePoints(text: string): { points: MetricPoint[]; malformed: number } {
  const points: MetricPoint[] = [];
  let malformed = 0;
  const integer = /^[+-]?\d+$/;
  const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const special = /^[+-]?(nan|inf|infinity)$/i;
  const lines = text.split('\n');
  lines.pop(); // the text after the last newline is not a complete line
  for (const line of lines) {
    const fields = line.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '').split(' ');
    const [timestamp, value, step = '0'] = fields;
    if (fields.length < 2 || fields.length > 3 || !integer.test(timestamp!) || !integer.test(step) || !(decimal.test(value!) || special.test(value!))) {
      malformed++;
      continue;
    }
    const number = special.test(value!) ? (value!.toLowerCase().includes('nan') ? NaN : value!.startsWith('-') ? -Infinity : Infinity) : Number(value);
    if (Number.isFinite(number)) points.push({ timestamp: Number(timestamp), value: number, step: Number(step) });
  }
  return { points, malformed };
}

/** -0 and 0 are the same metric value; deepStrictEqual tells them apart. */
const normalized = (summary: MetricSummary | undefined) =>
  summary && { ...summary, last: summary.last + 0, min: summary.min + 0, max: summary.max + 0 };

const sortedPoints = (points: MetricPoint[]) => [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);

test('detect accepts the real stores and rejects other folders', async () => {
  for (const location of [COUNTRY, PACKT, MLFIX, LIGHTNING]) assert.equal(await mlflowFileProvider.detect(location), true, location);
  const empty = tempDir();
  assert.equal(await mlflowFileProvider.detect(empty), false);
  assert.equal(await mlflowFileProvider.detect(join(empty, 'missing')), false);
  mkdirSync(join(empty, 'models', 'weights'), { recursive: true });
  writeFileSync(join(empty, 'models', 'weights', 'model.pt'), 'not a registry');
  assert.equal(await mlflowFileProvider.detect(empty), false, 'a plain models/ folder is not a registry');
  assert.equal(await mlflowFileProvider.claims({ name: 'mlruns', path: MLFIX, isDirectory: true }), true);
  assert.equal(await mlflowFileProvider.claims({ name: 'other', path: MLFIX, isDirectory: true }), false);
});

test('country-guess: experiments, runs and deleted ones, as on disk', async () => {
  const visible = (await scanned(COUNTRY)).result;
  const all = (await scanned(COUNTRY, true)).result;
  assert.deepEqual(visible.experiments.map((e) => e.name), ['default', 'efficientnet', 'local', 'server']);
  assert.deepEqual(all.experiments.filter((e) => e.deleted).map((e) => e.name).sort(), ['experiment name', 'hyperparameter_search']);
  assert.equal(all.runs.length, runMetaFiles(COUNTRY).length);
  assert.equal(all.runs.length, 127);
  assert.equal(all.runs.filter((r) => r.deleted).length, 24, '23 deleted runs + the run of the trashed experiment');
  assert.equal(visible.runs.length, 103);
  assert.ok(visible.runs.every((r) => !r.deleted));
  const byStatus = (status: string) => all.runs.filter((r) => r.status === status).length;
  assert.deepEqual([byStatus('RUNNING'), byStatus('FINISHED'), byStatus('FAILED')], [4, 109, 14]);
  assert.deepEqual(all.diagnostics, []);
  const trashedRun = runById(all, '40e7df9597cb4418aa529f5df086dde3');
  assert.equal(trashedRun.experiment, 'hyperparameter_search');
  assert.equal(trashedRun.name, 'funny-ape-739');
});

test('country-guess: 77 runs carry a git commit (75 of them not deleted)', async () => {
  const all = (await scanned(COUNTRY, true)).result;
  const tagged = runMetaFiles(COUNTRY).filter((meta) => readdirSync(join(meta, '..', 'tags')).includes('mlflow.source.git.commit'));
  assert.equal(tagged.length, 77);
  assert.equal(all.runs.filter((r) => r.git.commit).length, 77);
  assert.equal((await scanned(COUNTRY)).result.runs.filter((r) => r.git.commit).length, 75);
  const run = runById(all, '40e7df9597cb4418aa529f5df086dde3');
  assert.equal(run.git.commit, readFileSync(join(COUNTRY, '.trash', '463992216276311978', run.id, 'tags', 'mlflow.source.git.commit'), 'utf8').trim());
});

test('country-guess registry: versions, stages, aliases from files and meta.yaml', async () => {
  const visible = (await scanned(COUNTRY)).result;
  assert.deepEqual(
    visible.models.map((m) => `${m.model}@${m.version}:${m.aliases.join(',')}`),
    ['default@1:champion', 'triplet_model@7:', 'triplet_model@8:', 'triplet_model@9:champion'],
  );
  assert.ok(visible.models.every((m) => m.stages.length === 0), 'current_stage None is no stage');
  const champion = visible.models.find((m) => m.model === 'triplet_model' && m.version === '9')!;
  assert.equal(champion.run, 'a3b8e407b8374354ac3223126596a3b0');
  assert.equal(champion.status, 'READY');
  assert.equal(champion.sourceUri, 'file:///Users/jortdejong/GitHub/country-guess/mlruns/178990134822744935/a3b8e407b8374354ac3223126596a3b0/artifacts/model');
  assert.ok(visible.runs.some((r) => r.id === champion.run), 'the version links to a run of the store');
  const all = (await scanned(COUNTRY, true)).result;
  assert.equal(all.models.length, 11);
  assert.deepEqual(all.models.filter((m) => m.stages[0] === 'Deleted_Internal').map((m) => m.version), ['1', '2', '3', '4', '5', '6', '10']);
});

test('aliases merge the aliases/ files with the model meta.yaml map', async () => {
  const location = copyOf(COUNTRY);
  const model = join(location, 'models', 'triplet_model');
  writeFileSync(join(model, 'aliases', 'challenger'), '8');
  writeFileSync(join(model, 'meta.yaml'), readFileSync(join(model, 'meta.yaml'), 'utf8').replace("champion: '9'", "champion: '9'\n  staging: '7'"));
  const { result } = await scanned(location);
  assert.deepEqual(
    result.models.filter((m) => m.model === 'triplet_model').map((m) => `${m.version}:${m.aliases.join(',')}`),
    ['7:staging', '8:challenger', '9:champion'],
  );
});

test('MLflow 1.x runs: the legacy empty name, the mlflow.runName tag, project git tags', async () => {
  const packt = (await scanned(PACKT)).result;
  assert.equal(packt.runs.length, 2);
  const fineTuning = runById(packt, 'd01fc81e11e842f5b9556ae04136c0d3');
  assert.equal(fineTuning.name, fineTuning.id, "name: '' and no mlflow.runName tag: the id");
  assert.equal(fineTuning.experiment, 'dl_model_chapter08');
  assert.deepEqual(fineTuning.git, {
    commit: '70ed534e0a914f9ccb2d9cd474dbb6a7f4f72940',
    repoUrl: 'https://github.com/PacktPublishing/Practical-Deep-Learning-at-Scale-with-MLFlow.git',
  });
  assert.equal(Object.keys(fineTuning.params).length, 24);
  assert.equal(fineTuning.tags['mlflow.project.entryPoint'], 'fine_tuning_model');
  const lightning = (await scanned(LIGHTNING)).result;
  assert.deepEqual(lightning.runs.map((r) => r.name), ['chapter02', 'chapter02'], "name: '' but the mlflow.runName tag");
  assert.deepEqual(lightning.experiments.map((e) => e.name), ['Default', 'dl_model_chapter02']);
  const mlfix = (await scanned(MLFIX)).result;
  assert.equal(mlfix.runs[0]!.params.alpha, '0.5', 'a param file without a trailing newline');
  assert.equal(mlfix.runs[0]!.git.commit, 'f8db0b09fb5ca2c6ffcb6989e5cb910f7ed6cc83');
});

test('every metric summary equals an independent computation from the raw file', async () => {
  for (const location of [COUNTRY, PACKT, MLFIX, LIGHTNING]) {
    const { result } = await scanned(location, true);
    let checked = 0;
    for (const run of result.runs) {
      const dir = join(run.path, 'metrics');
      const keys = existsSync(dir) ? readdirSync(dir) : [];
      for (const key of keys) {
        const expected = summarize(key, referencePoints(readFileSync(join(dir, key), 'utf8')).points);
        assert.deepEqual(run.metrics[key], expected, `${run.id} ${key}`);
        checked++;
      }
      assert.equal(Object.keys(run.metrics).length, keys.length);
    }
    assert.ok(checked > 0);
  }
  const run = runById((await scanned(COUNTRY)).result, '4e97bf19913841d8ab3e99d8b76fa78c');
  assert.deepEqual(run.metrics.loss, {
    key: 'loss', last: 0.05257533076736662, step: 59, timestamp: 1718538293553, min: 0.0043895685941808755, max: 0.36298958046568763, count: 60,
  });
});

test('loadSeries returns a real file in step order, and sorts out-of-order files by step then timestamp', async () => {
  const opened = mlflowFileProvider.open(COUNTRY);
  const { points, diagnostics } = await opened.loadSeries('4e97bf19913841d8ab3e99d8b76fa78c', 'loss');
  assert.deepEqual(diagnostics, []);
  const raw = referencePoints(readFileSync(join(COUNTRY, '0', '4e97bf19913841d8ab3e99d8b76fa78c', 'metrics', 'loss'), 'utf8')).points;
  assert.deepEqual(points, raw);
  assert.equal(points.length, 60);
  const location = copyOf(MLFIX);
  const file = join(location, ...MLFIX_RUN_DIR, 'metrics', 'shuffled');
  writeFileSync(file, '30 3.5 2\n10 1.5 1\n20 2.5 1\n5 9.5 0\n15 4.5 1\n15 4.25 1\n');
  const series = await mlflowFileProvider.open(location).loadSeries(MLFIX_RUN, 'shuffled');
  assert.deepEqual(series.points.map((p) => [p.step, p.timestamp, p.value]), [[0, 5, 9.5], [1, 10, 1.5], [1, 15, 4.5], [1, 15, 4.25], [1, 20, 2.5], [2, 30, 3.5]]);
  const missing = await mlflowFileProvider.open(location).loadSeries(MLFIX_RUN, 'nope');
  assert.deepEqual(missing.points, []);
  assert.equal(missing.diagnostics[0]?.file, join(location, ...MLFIX_RUN_DIR, 'metrics', 'nope'));
  const escaping = await mlflowFileProvider.open(location).loadSeries(MLFIX_RUN, '../params/alpha');
  assert.deepEqual(escaping.points, []);
  assert.match(escaping.diagnostics[0]!.message, /invalid metric key/);
});

test('keys with "/" are sub-folders: metrics, params and tags', async () => {
  const location = copyOf(MLFIX);
  const run = join(location, ...MLFIX_RUN_DIR);
  mkdirSync(join(run, 'metrics', 'val', 'deep'), { recursive: true });
  writeFileSync(join(run, 'metrics', 'val', 'deep', 'loss'), '100 0.5 0\n200 0.25 1\n');
  mkdirSync(join(run, 'params', 'optimizer'));
  writeFileSync(join(run, 'params', 'optimizer', 'lr'), '0.01');
  mkdirSync(join(run, 'tags', 'team'));
  writeFileSync(join(run, 'tags', 'team', 'owner'), 'ml');
  const { store: opened, result } = await scanned(location);
  const scannedRun = result.runs[0]!;
  assert.deepEqual(scannedRun.metrics['val/deep/loss'], { key: 'val/deep/loss', last: 0.25, step: 1, timestamp: 200, min: 0.25, max: 0.5, count: 2 });
  assert.equal(scannedRun.params['optimizer/lr'], '0.01');
  assert.equal(scannedRun.tags['team/owner'], 'ml');
  assert.deepEqual((await opened.loadSeries(MLFIX_RUN, 'val/deep/loss')).points.map((p) => p.value), [0.5, 0.25]);
});

test('a grown metric file is read from where the last scan stopped, with and without changedPaths', async () => {
  const location = copyOf(MLFIX);
  const file = join(location, ...MLFIX_RUN_DIR, 'metrics', 'rmse');
  const opened = mlflowFileProvider.open(location);
  const first = await opened.scan();
  assert.equal(first.runs[0]!.metrics.rmse!.count, 1);
  assert.equal((await opened.scan()).runs.length, 1);
  assert.deepEqual(opened.lastScanStats, { filesRead: 0, bytesRead: 0 }, 'nothing changed: nothing read');

  const appended = '1597955530000 0.125 1\n';
  appendFileSync(file, appended);
  const unhinted = await opened.scan();
  assert.deepEqual(unhinted.runs[0]!.metrics.rmse, { key: 'rmse', last: 0.125, step: 1, timestamp: 1597955530000, min: 0.125, max: 0.24901379434298318, count: 2 });
  assert.deepEqual(opened.lastScanStats, { filesRead: 1, bytesRead: appended.length });

  appendFileSync(file, '1597955531000 0.5 2\n');
  const hinted = await opened.scan({ changedPaths: [file] });
  assert.deepEqual(hinted.runs[0]!.metrics.rmse, { key: 'rmse', last: 0.5, step: 2, timestamp: 1597955531000, min: 0.125, max: 0.5, count: 3 });
  assert.equal(opened.lastScanStats.filesRead, 1);
  assert.deepEqual(hinted.runs[0]!.metrics.r2, first.runs[0]!.metrics.r2, 'the other metrics come from the cache');

  writeFileSync(file, '1597955540000 7 0\n');
  const rewritten = await opened.scan({ changedPaths: [file] });
  assert.deepEqual(rewritten.runs[0]!.metrics.rmse, { key: 'rmse', last: 7, step: 0, timestamp: 1597955540000, min: 7, max: 7, count: 1 }, 'a shrunk file is read whole');
});

test('a trailing line without newline is left for the next scan and is not a diagnostic', async () => {
  const location = copyOf(MLFIX);
  const file = join(location, ...MLFIX_RUN_DIR, 'metrics', 'mae');
  const opened = mlflowFileProvider.open(location);
  await opened.scan();
  appendFileSync(file, '1597955530000 0.0625');
  const partial = await opened.scan();
  assert.equal(partial.runs[0]!.metrics.mae!.count, 1);
  assert.deepEqual(partial.diagnostics, []);
  appendFileSync(file, ' 7\n');
  const complete = await opened.scan({ changedPaths: [file] });
  assert.deepEqual(complete.runs[0]!.metrics.mae, { key: 'mae', last: 0.0625, step: 7, timestamp: 1597955530000, min: 0.0625, max: 0.21757945918512583, count: 2 });
  assert.deepEqual(complete.diagnostics, []);
});

test('changedPaths: new, changed and deleted runs and experiments', async () => {
  const location = copyOf(COUNTRY);
  const opened = mlflowFileProvider.open(location);
  const before = await opened.scan();
  const newRun = join(location, '0', 'f'.repeat(32));
  cpSync(join(location, '0', '4e97bf19913841d8ab3e99d8b76fa78c'), newRun, { recursive: true });
  writeFileSync(join(newRun, 'meta.yaml'), readFileSync(join(newRun, 'meta.yaml'), 'utf8').replace('run_name: fearless-ram-835', 'run_name: copied'));
  const added = await opened.scan({ changedPaths: [newRun] });
  assert.equal(added.runs.length, before.runs.length + 1);
  assert.equal(runById(added, 'f'.repeat(32)).name, 'copied');
  assert.equal(opened.lastScanStats.filesRead, readdirSync(newRun, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length, 'only the new run is read');

  const param = join(newRun, 'params', 'margin');
  writeFileSync(param, '0.99');
  const changed = await opened.scan({ changedPaths: [param] });
  assert.equal(runById(changed, 'f'.repeat(32)).params.margin, '0.99');
  assert.equal(opened.lastScanStats.filesRead, 1);

  rmSync(newRun, { recursive: true });
  const removed = await opened.scan({ changedPaths: [newRun] });
  assert.equal(removed.runs.length, before.runs.length);

  const experiment = join(location, '834169547244898876');
  const trashed = join(location, '.trash', '834169547244898876');
  cpSync(experiment, trashed, { recursive: true });
  rmSync(experiment, { recursive: true });
  const moved = await opened.scan({ changedPaths: [experiment, trashed], includeDeleted: true });
  assert.equal(moved.experiments.find((e) => e.id === '834169547244898876')?.deleted, true, 'an experiment moved to .trash is deleted');
  assert.equal((await opened.scan({ changedPaths: [] })).experiments.length, 3);
});

test('bad input becomes one diagnostic per file and everything else loads', async () => {
  const location = copyOf(COUNTRY);
  const corruptRun = join(location, '0', '4e97bf19913841d8ab3e99d8b76fa78c', 'meta.yaml');
  writeFileSync(corruptRun, 'artifact_uri: [unclosed\nrun_id: : :\n');
  const metric = join(location, '652991089068394684', '7b74361920e345dbb83c083b03f9738c', 'metrics', 'loss');
  const lines = readFileSync(metric, 'utf8').split('\n');
  lines.splice(3, 0, 'garbage line', '1718 0.5 2 extra', '\u0000\u0001');
  writeFileSync(metric, lines.join('\n'));
  const badStatus = join(location, '652991089068394684', 'c534960db18445eea0c012301e1ff7b2', 'meta.yaml');
  writeFileSync(badStatus, readFileSync(badStatus, 'utf8').replace('status: 3', 'status: sometimes').replace(/start_time: \d+/, 'start_time: soon'));
  const corruptExperiment = join(location, '834169547244898876', 'meta.yaml');
  writeFileSync(corruptExperiment, '{{{');
  const corruptVersion = join(location, 'models', 'triplet_model', 'version-9', 'meta.yaml');
  writeFileSync(corruptVersion, '- a list\n- not a mapping\n');
  mkdirSync(join(location, '0', 'no-meta-run', 'metrics'), { recursive: true });

  const { result } = await scanned(location);
  const byFile = new Map(result.diagnostics.map((d) => [d.file, d]));
  assert.equal(result.diagnostics.length, byFile.size, 'one diagnostic per file');
  assert.match(byFile.get(corruptRun)!.message, /corrupt YAML/);
  assert.equal(byFile.get(corruptRun)!.severity, 'error');
  assert.match(byFile.get(metric)!.message, /skipped 3 malformed line\(s\); the first is line 4: "garbage line"/);
  assert.equal(byFile.get(metric)!.severity, 'warning');
  assert.match(byFile.get(badStatus)!.message, /status, start_time/);
  assert.match(byFile.get(corruptExperiment)!.message, /corrupt YAML/);
  assert.match(byFile.get(corruptVersion)!.message, /mapping/);
  assert.match(byFile.get(join(location, '0', 'no-meta-run'))!.message, /without meta.yaml/);
  assert.equal(result.diagnostics.length, 6);

  assert.equal(result.runs.length, 103 - 1, 'only the run with the corrupt meta.yaml is missing');
  const withBadLines = runById(result, '7b74361920e345dbb83c083b03f9738c');
  assert.equal(withBadLines.metrics.loss!.count, 75);
  const weird = runById(result, 'c534960db18445eea0c012301e1ff7b2');
  assert.equal(weird.status, 'UNKNOWN');
  assert.equal(weird.startTime, undefined);
  assert.equal(result.experiments.find((e) => e.id === '834169547244898876')?.name, '834169547244898876', 'an experiment with a corrupt meta.yaml still lists its runs');
  assert.equal(result.runs.filter((r) => r.experimentId === '834169547244898876').length, 4);
  assert.deepEqual(result.models.map((m) => `${m.model}@${m.version}`), ['default@1', 'triplet_model@7', 'triplet_model@8']);
});

test('a file that vanished between listing and reading is a diagnostic', async () => {
  const location = copyOf(MLFIX);
  const metrics = join(location, ...MLFIX_RUN_DIR, 'metrics');
  // a dangling link is listed by readdir and then cannot be opened: the same path as a file deleted meanwhile
  symlinkSync(join(metrics, 'deleted-meanwhile'), join(metrics, 'dangling'));
  const { result } = await scanned(location);
  assert.deepEqual(result.diagnostics.map((d) => [d.file, d.message]), [[join(metrics, 'dangling'), 'listed, but disappeared before it could be read']]);
  assert.equal(Object.keys(result.runs[0]!.metrics).length, 3);
});

test('an unreadable file is a diagnostic (scanned as an unprivileged user)', () => {
  const location = copyOf(MLFIX);
  const param = join(location, ...MLFIX_RUN_DIR, 'params', 'alpha');
  chmodSync(param, 0);
  const result = scanAsNobody('mlflow-file', location);
  assert.deepEqual(result.diagnostics.map((d) => [d.file, d.message]), [[param, 'permission denied']]);
  assert.equal(result.runs[0]!.params.l1_ratio, '0.5');
});

test('a metric line longer than the read buffer is skipped as malformed', async () => {
  const location = copyOf(MLFIX);
  const file = join(location, ...MLFIX_RUN_DIR, 'metrics', 'long');
  writeFileSync(file, `1 0.5 0
${'9'.repeat(600_000)}
2 0.75 1
`);
  const { store: opened, result } = await scanned(location);
  assert.deepEqual(result.runs[0]!.metrics.long, { key: 'long', last: 0.75, step: 1, timestamp: 2, min: 0.5, max: 0.75, count: 2 });
  assert.match(result.diagnostics.find((d) => d.file === file)!.message, /skipped 1 malformed line\(s\); the first is line 2/);
  appendFileSync(file, 'x'.repeat(600_000));
  assert.equal((await opened.scan()).runs[0]!.metrics.long!.count, 2, 'an unfinished long line is not consumed');
  appendFileSync(file, '\n3 0.25 2\n');
  const finished = await opened.scan();
  assert.equal(finished.runs[0]!.metrics.long!.min, 0.25);
  assert.match(finished.diagnostics.find((d) => d.file === file)!.message, /skipped 2 malformed line\(s\); the first is line 2/);
});

test('MLflow >= 2.4 dataset inputs (datasets/ and inputs/ as FileStore.log_inputs writes them)', async () => {
  const location = copyOf(MLFIX);
  const experiment = join(location, '0');
  const dataset = (id: string, name: string, digest: string) => {
    mkdirSync(join(experiment, 'datasets', id), { recursive: true });
    writeFileSync(join(experiment, 'datasets', id, 'meta.yaml'),
      `digest: ${digest}\nname: ${name}\nprofile: '{"num_rows": 150}'\nschema: '{"mlflow_colspec": []}'\nsource: '{"uri": "data/${name}.csv"}'\nsource_type: local\n`);
  };
  const input = (run: string, id: string, datasetId: string) => {
    mkdirSync(join(experiment, run, 'inputs', id), { recursive: true });
    // destination_id repeats the dataset id: FileStore._FileStoreInput.write_yaml writes it that way
    writeFileSync(join(experiment, run, 'inputs', id, 'meta.yaml'),
      `destination_id: ${datasetId}\ndestination_type: RUN\nsource_id: ${datasetId}\nsource_type: DATASET\ntags:\n  mlflow.data.context: training\n`);
  };
  dataset('d1', 'iris', 'a1b2c3d4');
  dataset('d2', 'wine', 'e5f6a7b8');
  input(MLFIX_RUN, 'i1', 'd1');
  input(MLFIX_RUN, 'i2', 'd2');
  const deletedRun = 'd'.repeat(32);
  cpSync(join(experiment, MLFIX_RUN), join(experiment, deletedRun), { recursive: true });
  writeFileSync(join(experiment, deletedRun, 'meta.yaml'), readFileSync(join(experiment, deletedRun, 'meta.yaml'), 'utf8').replace('lifecycle_stage: active', 'lifecycle_stage: deleted'));
  const visible = (await scanned(location)).result;
  assert.deepEqual(visible.datasets.map((d) => [d.name, d.digest, d.runs]), [['iris', 'a1b2c3d4', [MLFIX_RUN]], ['wine', 'e5f6a7b8', [MLFIX_RUN]]]);
  assert.equal(visible.datasets[0]!.sourceUri, '{"uri": "data/iris.csv"}');
  assert.equal(visible.datasets[0]!.sourceType, 'local');
  assert.equal(visible.datasets[0]!.profile, '{"num_rows": 150}');
  const all = (await scanned(location, true)).result;
  assert.deepEqual(all.datasets[0]!.runs.sort(), [MLFIX_RUN, deletedRun].sort());
});

test('the fast metric parser gives exactly what Number() gives, across chunks and formats', async () => {
  const next = rng(7);
  const formats: (() => string)[] = [
    () => String(next()), // 16-17 digits, like Python's repr
    () => String(-next() * 10 ** Math.floor(next() * 40 - 20)),
    () => (next() * 1000).toFixed(Math.floor(next() * 6)),
    () => `${Math.floor(next() * 10)}e-0${Math.floor(next() * 10)}`,
    () => `${(next() * 10).toFixed(3)}E+${Math.floor(next() * 30)}`,
    () => String(0.1 + 1e-16 * Math.floor(next() * 4)), // near-ties of the approximations
    () => ['nan', '-inf', 'inf', '0.0', '-0.0', '1e400', '.5', '5.', '+3'][Math.floor(next() * 9)]!,
    () => String(1.7976931348623157e308 * (next() < 0.5 ? 1 : -1)),
    () => String(5e-324 * Math.floor(next() * 1000)),
  ];
  const lines: string[] = [];
  for (let i = 0; i < 60_000; i++) {
    const value = formats[Math.floor(next() * formats.length)]!();
    const step = Math.floor(next() * 500);
    lines.push(next() < 0.05 ? `${1_700_000_000_000 + i} ${value}` : `${1_700_000_000_000 + Math.floor(next() * 1000)} ${value} ${step}${next() < 0.1 ? '\r' : ''}`);
  }
  const text = `${lines.join('\n')}\n`;
  assert.ok(text.length > 1_000_000, 'several read chunks');
  const location = copyOf(MLFIX);
  writeFileSync(join(location, ...MLFIX_RUN_DIR, 'metrics', 'generated'), text);
  const { store: opened, result } = await scanned(location);
  const reference = referencePoints(text);
  assert.equal(reference.malformed, 0);
  assert.deepEqual(normalized(result.runs[0]!.metrics.generated), normalized(summarize('generated', reference.points)));
  assert.deepEqual((await opened.loadSeries(MLFIX_RUN, 'generated')).points, sortedPoints(reference.points));
});

test('the fast path for flat meta.yaml files agrees with the yaml package', () => {
  const metas = [COUNTRY, PACKT, MLFIX, LIGHTNING].flatMap((location) =>
    readdirSync(location, { recursive: true, withFileTypes: true }).filter((e) => e.name === 'meta.yaml').map((e) => readFileSync(join(e.parentPath, e.name))),
  );
  assert.equal(metas.length, 155);
  const flat = metas.filter((text) => readFlatYaml(text.toString('utf8')) !== undefined);
  assert.equal(flat.length, 153, 'all but the two registered models, whose aliases: map is nested');
  let answered = 0;
  for (const [i, seed] of metas.slice(0, 20).entries()) {
    for (const variant of [seed, ...mutations(seed, 300, 100 + i)]) {
      const text = variant.toString('utf8');
      const fast = readFlatYaml(text);
      if (fast === undefined) continue;
      answered++;
      assert.deepEqual(fast, parseYaml(text), text);
    }
  }
  assert.ok(answered > 1000, `the fast path answered ${answered} of 6020 variants`);
});

test('fuzz: thousands of mutated meta.yaml, metric and registry files never break a scan', async () => {
  const base = copyOf(COUNTRY);
  const run = join(base, '0', '4e97bf19913841d8ab3e99d8b76fa78c');
  const seeds = {
    runMeta: readFileSync(join(run, 'meta.yaml')),
    metric: readFileSync(join(base, '652991089068394684', '7b74361920e345dbb83c083b03f9738c', 'metrics', 'loss')),
    param: readFileSync(join(run, 'params', 'learning_rate')),
    experimentMeta: readFileSync(join(base, '0', 'meta.yaml')),
    modelMeta: readFileSync(join(base, 'models', 'triplet_model', 'meta.yaml')),
    versionMeta: readFileSync(join(base, 'models', 'triplet_model', 'version-9', 'meta.yaml')),
    alias: readFileSync(join(base, 'models', 'triplet_model', 'aliases', 'champion')),
  };
  const RUNS = 1500;
  const OTHERS = 400;
  const location = join(tempDir(), 'mlruns');
  const experiment = join(location, '1');
  mkdirSync(experiment, { recursive: true });
  writeFileSync(join(experiment, 'meta.yaml'), seeds.experimentMeta);
  const runMetas = [...mutations(seeds.runMeta, RUNS, 1)];
  const metrics = [...mutations(seeds.metric, RUNS, 2)];
  const params = [...mutations(seeds.param, RUNS, 3)];
  for (let i = 0; i < RUNS; i++) {
    const dir = join(experiment, `run${i}`);
    mkdirSync(join(dir, 'metrics'), { recursive: true });
    mkdirSync(join(dir, 'params'));
    writeFileSync(join(dir, 'meta.yaml'), runMetas[i]!);
    writeFileSync(join(dir, 'metrics', 'loss'), metrics[i]!);
    writeFileSync(join(dir, 'params', 'learning_rate'), params[i]!);
  }
  const experimentMetas = [...mutations(seeds.experimentMeta, OTHERS, 4)];
  const modelMetas = [...mutations(seeds.modelMeta, OTHERS, 5)];
  const versionMetas = [...mutations(seeds.versionMeta, OTHERS, 6)];
  const aliases = [...mutations(seeds.alias, OTHERS, 7)];
  for (let i = 0; i < OTHERS; i++) {
    mkdirSync(join(location, `exp${i}`, 'run'), { recursive: true });
    writeFileSync(join(location, `exp${i}`, 'meta.yaml'), experimentMetas[i]!);
    writeFileSync(join(location, `exp${i}`, 'run', 'meta.yaml'), seeds.runMeta);
    const model = join(location, 'models', `model${i}`);
    mkdirSync(join(model, 'version-1'), { recursive: true });
    mkdirSync(join(model, 'aliases'));
    writeFileSync(join(model, 'meta.yaml'), modelMetas[i]!);
    writeFileSync(join(model, 'version-1', 'meta.yaml'), versionMetas[i]!);
    writeFileSync(join(model, 'aliases', 'champion'), aliases[i]!);
  }

  const opened = mlflowFileProvider.open(location);
  const checkScan = async (options: { includeDeleted: boolean; changedPaths?: string[] }) => {
    const result = await opened.scan(options);
    const parsed = ScanResult.safeParse(result);
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
    return result;
  };
  const result = await checkScan({ includeDeleted: true });
  assert.ok(result.runs.length > RUNS / 2 && result.runs.length <= RUNS + OTHERS);
  assert.ok(result.diagnostics.length > 0);
  await checkScan({ includeDeleted: false });

  for (let i = 0; i < RUNS; i++) {
    const file = join(experiment, `run${i}`, 'metrics', 'loss');
    const expected = referencePoints(metrics[i]!.toString('latin1'));
    const summary = result.runs.find((r) => r.id === `run${i}`)?.metrics.loss;
    if (result.runs.some((r) => r.id === `run${i}`)) assert.deepEqual(normalized(summary), normalized(summarize('loss', expected.points)), file);
    const series = await opened.loadSeries(`run${i}`, 'loss');
    assert.deepEqual(series.points, sortedPoints(expected.points), file);
    assert.equal(series.diagnostics.length, expected.malformed > 0 ? 1 : 0, file);
  }

  const grown = [...mutations(seeds.metric, RUNS, 8)];
  const changed: string[] = [];
  for (let i = 0; i < RUNS; i += 3) {
    const file = join(experiment, `run${i}`, 'metrics', 'loss');
    appendFileSync(file, grown[i]!);
    changed.push(file);
  }
  await checkScan({ includeDeleted: true, changedPaths: changed });
  const rescanned = await checkScan({ includeDeleted: true });
  for (const file of changed) {
    const id = file.split('/').at(-3)!;
    const run = rescanned.runs.find((r) => r.id === id);
    if (run) assert.deepEqual(normalized(run.metrics.loss), normalized(summarize('loss', referencePoints(readFileSync(file, 'latin1')).points)), file);
  }
});
