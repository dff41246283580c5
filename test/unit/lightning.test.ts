// The Lightning CSVLogger reader on real logs (test/fixtures/lightning-csvlogger-ml-aos).
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ScanResult } from '../../src/core/model';
import type { TrackingStore } from '../../src/core/source';
import { lightningProvider } from '../../src/sources/lightning';
import { LONG_AGO, copyFixture, fuzzFile } from './helpers/store-fixture';

const FIXTURE = 'lightning-csvlogger-ml-aos';
const LATER = new Date('2024-02-01T00:00:00Z');

function logsCopy(): string {
  return join(copyFixture(FIXTURE), 'lightning_logs');
}

/** The raw file's non-empty cells of `column`, as [step, value], read without the reader's code. */
function rawSeries(file: string, column: string): [number, number][] {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  return rows.map((row) => row.split(',')).filter((cells) => cells[columns.indexOf(column)] !== '')
    .map((cells) => [Number(cells[columns.indexOf('step')]), Number(cells[columns.indexOf(column)])]);
}

/** A copy of the logs and a store that has scanned it once. */
async function scanned(): Promise<{ logs: string; store: TrackingStore }> {
  const logs = logsCopy();
  const store = lightningProvider.open(logs);
  await store.scan();
  return { logs, store };
}

function touch(file: string, at = LATER): void {
  utimesSync(file, at, at);
}

test('each version_N is a run with its sparse columns as metrics and hparams.yaml as params', async () => {
  const logs = logsCopy();
  const result = ScanResult.parse(await lightningProvider.open(logs).scan());
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.runs.map((r) => r.id), ['version_1', 'version_2', 'version_3', 'version_4']);
  assert.deepEqual(result.experiments.map((e) => e.name), [`${FIXTURE}/lightning_logs`]);
  const expected = { version_1: [302, 100, 15099], version_2: [218, 100, 10899], version_3: [604, 200, 30199], version_4: [604, 200, 30199] };
  for (const run of result.runs) {
    const [train, val, lastStep] = expected[run.id as keyof typeof expected];
    assert.deepEqual(Object.keys(run.metrics).sort(), ['train_loss', 'train_rmse', 'val_loss', 'val_rmse']);
    assert.equal(run.metrics.train_loss!.count, train, run.id);
    assert.equal(run.metrics.val_loss!.count, val, run.id);
    assert.equal(run.metrics.val_loss!.step, lastStep, run.id);
    assert.equal(run.status, 'FINISHED');
    assert.equal(run.endTime, LONG_AGO.getTime());
    assert.deepEqual(run.git, {});
    assert.deepEqual(run.params, { batch_size: '256', n_meta_layers: '3', num_workers: '16', persistent_workers: 'true', pin_memory: 'true' });
  }
  const raw = rawSeries(join(logs, 'version_1', 'metrics.csv'), 'val_loss');
  const v1 = result.runs[0]!.metrics.val_loss!;
  assert.equal(v1.last, raw.at(-1)![1]);
  assert.equal(v1.min, Math.min(...raw.map(([, v]) => v)));
  assert.equal(v1.max, Math.max(...raw.map(([, v]) => v)));
});

test('loadSeries gives the non-empty cells of a column at their rows\' steps', async () => {
  const { logs, store } = await scanned();
  const { points, diagnostics } = await store.loadSeries('version_3', 'val_loss');
  assert.deepEqual(diagnostics, []);
  const raw = rawSeries(join(logs, 'version_3', 'metrics.csv'), 'val_loss');
  assert.equal(points.length, 200);
  assert.deepEqual(points.map((p) => [p.step, p.value]), raw);
  assert.equal(points.find((p) => p.step === 150)!.value, raw.find(([step]) => step === 150)![1]);
});

test('nested hparams are flattened to a.b keys', async () => {
  const logs = logsCopy();
  writeFileSync(join(logs, 'version_2', 'hparams.yaml'), 'model:\n  layers: [64, 32]\n  act: relu\noptim:\n  lr: 1.0e-3\n  sched: null\nseed: 7\n');
  const run = (await lightningProvider.open(logs).scan()).runs.find((r) => r.id === 'version_2')!;
  assert.deepEqual(run.params, { 'model.layers': '[64,32]', 'model.act': 'relu', 'optim.lr': '0.001', 'optim.sched': 'null', seed: '7' });
});

test('an appended row is read from the last offset; only that file is read', async () => {
  const { logs, store } = await scanned();
  assert.deepEqual(store.lastScanStats.filesRead, 8);
  await store.scan();
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 });

  const file = join(logs, 'version_1', 'metrics.csv');
  const header = 'train_rmse,train_loss,epoch,step,val_rmse,val_loss\r\n';
  assert.ok(readFileSync(file, 'utf8').startsWith(header));
  const row = '0.5,0.25,100,15149,,\r\n';
  appendFileSync(file, row);
  touch(file);
  const run = (await store.scan()).runs[0]!;
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: header.length + row.length });
  assert.deepEqual(run.metrics.train_loss, { key: 'train_loss', last: 0.25, step: 15149, timestamp: LATER.getTime(), min: run.metrics.train_loss!.min, max: run.metrics.train_loss!.max, count: 303 });
  assert.equal(run.metrics.val_loss!.count, 100);
  assert.equal(run.status, 'FINISHED');
});

test('a partial trailing line waits for its line break', async () => {
  const logs = logsCopy();
  const store = lightningProvider.open(logs);
  const file = join(logs, 'version_1', 'metrics.csv');
  appendFileSync(file, '0.5,0.25,100,15149,');
  touch(file);
  assert.equal((await store.scan()).runs[0]!.metrics.train_loss!.count, 302);
  appendFileSync(file, ',\r\n');
  touch(file, new Date('2024-03-01'));
  assert.equal((await store.scan()).runs[0]!.metrics.train_loss!.count, 303);
  assert.equal(store.lastScanStats.filesRead, 1);
});

test('a file rewritten with a new column is read again whole and the new key appears', async () => {
  const { logs, store } = await scanned();
  const file = join(logs, 'version_2', 'metrics.csv');
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\r\n');
  const rewritten = [`${header},lr`, ...rows.map((row, i) => `${row},${i % 4 === 0 ? 0.001 : ''}`)].join('\r\n') + '\r\n';
  writeFileSync(file, rewritten);
  touch(file);
  const run = (await store.scan()).runs.find((r) => r.id === 'version_2')!;
  // the first bytes are read to compare the header, then the whole file
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: Buffer.byteLength(`${header}\r\n`) + Buffer.byteLength(rewritten) });
  assert.equal(run.metrics.lr!.count, Math.ceil(rows.length / 4));
  assert.equal(run.metrics.train_loss!.count, 218);

  writeFileSync(file, rewritten.split('\r\n').slice(0, 11).join('\r\n') + '\r\n');
  touch(file, new Date('2024-03-01'));
  const shrunk = (await store.scan()).runs.find((r) => r.id === 'version_2')!;
  assert.equal(store.lastScanStats.filesRead, 1);
  assert.equal(Object.values(shrunk.metrics).reduce((n, m) => n + m.count, 0), rawCells(file));
});

/** Non-empty metric cells of a file, counted without the reader's code. */
function rawCells(file: string): number {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  return rows.flatMap((row) => row.split(',').filter((cell, i) => cell !== '' && columns[i] !== 'step' && columns[i] !== 'epoch')).length;
}

test('a scan told which paths changed trusts that list', async () => {
  const { logs, store } = await scanned();
  const file = join(logs, 'version_2', 'metrics.csv');
  appendFileSync(file, '0.5,0.25,100,15149,,\r\n');
  touch(file);
  await store.scan({ changedPaths: [join(logs, 'version_1')] });
  assert.equal(store.lastScanStats.filesRead, 0);
  await store.scan({ changedPaths: [join(logs, 'version_2')] });
  assert.equal(store.lastScanStats.filesRead, 1);
});

test('a deleted version disappears and a fresh one is RUNNING', async () => {
  const { logs, store } = await scanned();
  rmSync(join(logs, 'version_4'), { recursive: true });
  mkdirSync(join(logs, 'version_5'));
  writeFileSync(join(logs, 'version_5', 'metrics.csv'), 'train_loss,epoch,step\r\n0.9,0,49\r\n');
  const result = await store.scan();
  assert.deepEqual(result.runs.map((r) => [r.id, r.status]), [['version_1', 'FINISHED'], ['version_2', 'FINISHED'], ['version_3', 'FINISHED'], ['version_5', 'RUNNING']]);
});

test('claims lightning_logs with CSV versions, not a TensorBoard lightning_logs', async () => {
  const logs = logsCopy();
  assert.equal(await lightningProvider.claims({ name: 'lightning_logs', path: logs, isDirectory: true }), true);
  assert.equal(await lightningProvider.claims({ name: 'logs', path: logs, isDirectory: true }), false);
  const tensorboard = join(logs, '..', 'tb', 'lightning_logs');
  mkdirSync(join(tensorboard, 'version_0'), { recursive: true });
  writeFileSync(join(tensorboard, 'version_0', 'events.out.tfevents.1680000000.host.1.0'), '');
  writeFileSync(join(tensorboard, 'version_0', 'hparams.yaml'), '{}\n');
  assert.equal(await lightningProvider.claims({ name: 'lightning_logs', path: tensorboard, isDirectory: true }), false);
});

test('a garbage row and an unparsable hparams.yaml are reported; everything else loads', async () => {
  const logs = logsCopy();
  const csv = join(logs, 'version_2', 'metrics.csv');
  const lines = readFileSync(csv, 'utf8').split('\r\n');
  lines.splice(5, 0, 'abc,def', '0.1,xyz,0,5,,');
  writeFileSync(csv, lines.join('\r\n'));
  const yaml = join(logs, 'version_3', 'hparams.yaml');
  writeFileSync(yaml, 'batch_size: [256\nn_meta_layers: 3\n');
  const result = ScanResult.parse(await lightningProvider.open(logs).scan());
  assert.deepEqual(result.diagnostics.map((d) => [d.file, d.severity]), [[csv, 'warning'], [yaml, 'error']]);
  assert.match(result.diagnostics[0]!.message, /^2 rows .*line 6/);
  const byId = Object.fromEntries(result.runs.map((r) => [r.id, r]));
  assert.equal(result.runs.length, 4);
  assert.equal(byId.version_2!.metrics.train_rmse!.count, 219, 'the row with a bad train_loss keeps its train_rmse');
  assert.equal(byId.version_2!.metrics.train_loss!.count, 218);
  assert.deepEqual(byId.version_3!.params, {});
  assert.equal(byId.version_3!.metrics.val_loss!.count, 200);
  assert.equal(byId.version_1!.params.batch_size, '256');
});

test('fuzzed metrics.csv and hparams.yaml never break a scan', async () => {
  const logs = logsCopy();
  for (const version of ['version_2', 'version_3', 'version_4']) rmSync(join(logs, version), { recursive: true });
  const store = lightningProvider.open(logs);
  const csvReported = await fuzzFile(store, join(logs, 'version_1', 'metrics.csv'), 1200, 0x11);
  const yamlReported = await fuzzFile(store, join(logs, 'version_1', 'hparams.yaml'), 1000, 0x12);
  assert.ok(csvReported > 500, `${csvReported} of 1200 csv mutations were reported`);
  assert.ok(yamlReported > 200, `${yamlReported} of 1000 yaml mutations were reported`);
  assert.equal(statSync(join(logs, 'version_1', 'metrics.csv')).size, 22055);
});
