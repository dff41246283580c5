// The Hugging Face Trainer reader on a real trainer_state.json (test/fixtures/hf-trainer-state-viz).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { ScanResult } from '../../src/core/model';
import { hfTrainerProvider } from '../../src/sources/hf-trainer';
import { LONG_AGO, copyFixture, dateTree, fuzzFile } from './helpers/store-fixture';

const FIXTURE = 'hf-trainer-state-viz';

interface RawState {
  global_step: number;
  best_metric: number | null;
  log_history: Record<string, number>[];
  [field: string]: unknown;
}

function rawState(dir: string, file = 'trainer_state.json'): RawState {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as RawState;
}

/** The raw values of `key`, in file order, as [step, value]. */
function rawSeries(state: RawState, key: string): [number, number][] {
  return state.log_history.filter((entry) => key in entry).map((entry) => [entry.step!, entry[key]!]);
}

test('a training output dir is one run with every numeric log_history key as a metric', async () => {
  const dir = copyFixture(FIXTURE);
  const raw = rawState(dir);
  const store = hfTrainerProvider.open(dir);
  const result = ScanResult.parse(await store.scan());
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.runs.length, 1);
  assert.deepEqual(result.experiments.map((e) => e.name), [basename(dirname(dir))]);
  const run = result.runs[0]!;
  assert.equal(run.id, FIXTURE);
  assert.equal(run.status, 'FINISHED');
  assert.deepEqual(run.git, {});

  const rawKeys = new Set(raw.log_history.flatMap((entry) => Object.keys(entry)).filter((key) => key !== 'step' && key !== 'epoch'));
  assert.equal(rawKeys.size, 33); // loss, learning_rate, grad_norm + 5 fields for each of eval_g0..g5
  assert.deepEqual(Object.keys(run.metrics).sort(), [...rawKeys].sort());

  const loss = rawSeries(raw, 'loss');
  assert.equal(raw.log_history.length, 216);
  assert.equal(loss.length, 30);
  assert.deepEqual(run.metrics.loss, {
    key: 'loss', last: loss.at(-1)![1], step: 12030, timestamp: LONG_AGO.getTime(),
    min: Math.min(...loss.map(([, v]) => v)), max: Math.max(...loss.map(([, v]) => v)), count: 30,
  });
  // six eval sets log at the same step; each keeps its own value
  const atEnd = raw.log_history.find((entry) => entry.step === 12030 && 'eval_g3_loss' in entry)!;
  assert.equal(run.metrics.eval_g3_loss!.last, atEnd.eval_g3_loss);
  assert.equal(run.metrics.eval_g3_loss!.count, 31);

  assert.deepEqual(run.params, { max_steps: '12030', num_train_epochs: '30', train_batch_size: '4', logging_steps: '500', eval_steps: '500', save_steps: '500' });
  assert.equal(raw.best_metric, null);
  assert.deepEqual(run.tags, { global_step: '12030', epoch: '30', state_file: 'trainer_state.json' });
});

test('loadSeries returns every logged value of a key, by step, stamped with the file mtime', async () => {
  const dir = copyFixture(FIXTURE);
  const store = hfTrainerProvider.open(dir);
  await store.scan();
  const { points, diagnostics } = await store.loadSeries(FIXTURE, 'eval_g0_loss');
  assert.deepEqual(diagnostics, []);
  const raw = rawSeries(rawState(dir), 'eval_g0_loss');
  assert.equal(points.length, 31);
  assert.deepEqual(points.map((p) => [p.step, p.value]), raw);
  assert.ok(points.every((p) => p.timestamp === LONG_AGO.getTime()));
  assert.equal((await store.loadSeries('other', 'loss')).diagnostics.length, 1);
});

/** An output dir with `checkpoint-6000/` (history cut at step 6000) and `checkpoint-12030/` (the real file). */
function withCheckpoints(): { dir: string; raw: RawState } {
  const dir = copyFixture(FIXTURE);
  const raw = rawState(dir);
  const early = { ...raw, global_step: 6000, log_history: raw.log_history.filter((entry) => entry.step! <= 6000) };
  mkdirSync(join(dir, 'checkpoint-6000'));
  writeFileSync(join(dir, 'checkpoint-6000', 'trainer_state.json'), JSON.stringify(early));
  mkdirSync(join(dir, 'checkpoint-12030'));
  renameSync(join(dir, 'trainer_state.json'), join(dir, 'checkpoint-12030', 'trainer_state.json'));
  dateTree(dir, LONG_AGO);
  return { dir, raw };
}

test('checkpoint folders belong to the run: the newest state is read and the checkpoints are listed', async () => {
  const { dir, raw } = withCheckpoints();
  const result = await hfTrainerProvider.open(dir).scan();
  assert.equal(result.runs.length, 1);
  const run = result.runs[0]!;
  assert.equal(run.tags.state_file, join('checkpoint-12030', 'trainer_state.json'));
  assert.equal(run.tags.checkpoints, 'checkpoint-6000, checkpoint-12030');
  assert.equal(run.metrics.loss!.count, rawSeries(raw, 'loss').length);
  assert.equal(await hfTrainerProvider.claims({ name: basename(dir), path: dir, isDirectory: true }), true);
  assert.equal(await hfTrainerProvider.claims({ name: 'checkpoint-6000', path: join(dir, 'checkpoint-6000'), isDirectory: true }), false);
});

test('the top-level state wins a tie with its checkpoint and brings best_metric and the final summary entry', async () => {
  const { dir, raw } = withCheckpoints();
  const final = { ...raw, best_metric: 0.0531, best_model_checkpoint: 'out/checkpoint-6000', best_global_step: 6000,
    log_history: [...raw.log_history, { epoch: 30, step: 12030, train_runtime: 3600.5, train_loss: 0.21, total_flos: 2.38e17 }] };
  writeFileSync(join(dir, 'trainer_state.json'), JSON.stringify(final));
  dateTree(dir, LONG_AGO);
  const run = (await hfTrainerProvider.open(dir).scan()).runs[0]!;
  assert.equal(run.tags.state_file, 'trainer_state.json');
  assert.equal(run.tags.best_metric, '0.0531');
  assert.equal(run.tags.best_model_checkpoint, 'out/checkpoint-6000');
  assert.equal(run.metrics.train_runtime!.last, 3600.5);
  assert.equal(run.endTime, LONG_AGO.getTime());
  assert.equal(run.startTime, LONG_AGO.getTime() - 3600500);
});

test('claims an output dir, not a folder without a state file nor a file', async () => {
  const dir = copyFixture(FIXTURE);
  assert.equal(await hfTrainerProvider.claims({ name: FIXTURE, path: dir, isDirectory: true }), true);
  assert.equal(await hfTrainerProvider.detect(dir), true);
  assert.equal(await hfTrainerProvider.claims({ name: 'parent', path: dirname(dir), isDirectory: true }), false);
  assert.equal(await hfTrainerProvider.claims({ name: 'trainer_state.json', path: join(dir, 'trainer_state.json'), isDirectory: false }), false);
});

test('a re-scan reads only a state file that changed', async () => {
  const dir = copyFixture(FIXTURE);
  const store = hfTrainerProvider.open(dir);
  await store.scan();
  assert.equal(store.lastScanStats.filesRead, 1);
  await store.scan();
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 });
  const file = join(dir, 'trainer_state.json');
  utimesSync(file, new Date('2024-02-01'), new Date('2024-02-01'));
  await store.scan({ changedPaths: [join(dir, 'elsewhere')] });
  assert.equal(store.lastScanStats.filesRead, 0, 'a scan told what changed trusts it');
  await store.scan({ changedPaths: [file] });
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: statSync(file).size });
});

test('a state file written in the last two minutes makes the run RUNNING', async () => {
  const dir = copyFixture(FIXTURE, new Date());
  const run = (await hfTrainerProvider.open(dir).scan()).runs[0]!;
  assert.equal(run.status, 'RUNNING');
  assert.equal(run.endTime, undefined);
});

test('a malformed state file is reported and the run falls back to its checkpoint; NaN values are skipped', async () => {
  const { dir, raw } = withCheckpoints();
  const top = join(dir, 'trainer_state.json');
  writeFileSync(top, '{"global_step": 12030, "log_history": [');
  const nanState = JSON.stringify({ ...raw, log_history: [...raw.log_history, { step: 12031, loss: 0 }] }).replace('"loss":0}', '"loss":NaN}');
  writeFileSync(join(dir, 'checkpoint-12030', 'trainer_state.json'), nanState);
  const result = ScanResult.parse(await hfTrainerProvider.open(dir).scan());
  assert.deepEqual(result.diagnostics.map((d) => d.file), [top]);
  const run = result.runs[0]!;
  assert.equal(run.tags.state_file, join('checkpoint-12030', 'trainer_state.json'));
  assert.equal(run.metrics.loss!.count, 30, 'the NaN loss is not a point');
});

test('fuzzed state files never break a scan', async () => {
  const dir = copyFixture(FIXTURE);
  const file = join(dir, 'trainer_state.json');
  const reported = await fuzzFile(hfTrainerProvider.open(dir), file, 1500, 0x4f1);
  assert.ok(reported > 1000, `${reported} of 1500 mutations were reported`);
});
