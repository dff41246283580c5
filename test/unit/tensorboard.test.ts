// The TensorBoard reader on real Lightning and CatBoost event files (test/fixtures/tfevents-*), on files this
// test writes with the reader's own encoder (TF2 tensor scalars: neither fixture has any), and on fuzzed input.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MetricPoint, ScanResult, type Run } from '../../src/core/model';
import type { TrackingStore } from '../../src/core/source';
import { crc32c, maskedCrc32c } from '../../src/sources/tensorboard/crc32c';
import { encodeEvent, encodeEventFile, frameRecord, type EventSpec } from '../../src/sources/tensorboard/encode';
import { decodeEvent } from '../../src/sources/tensorboard/event';
import { tensorboardProvider } from '../../src/sources/tensorboard/index';
import { eventFilesOf } from '../../src/sources/tensorboard/layout';
import { readRecords } from '../../src/sources/tensorboard/records';
import { parseYaml } from '../../src/sources/shared/values';
import { WireError } from '../../src/sources/tensorboard/wire';
import { mutations } from './helpers/fuzz';

const FIXTURES = join(__dirname, '..', 'fixtures');
const LIGHTNING = join(FIXTURES, 'tfevents-pytorch-lightning-packt');
const CATBOOST = join(FIXTURES, 'tfevents-catboost-packt');
const CATBOOST_FILE = join('catboost_info', 'learn', 'events.out.tfevents');
const VERSION_1_TRAIN = join('version_1', 'events.out.tfevents.1677071112.MININT-M682FNV.1984.0');
const VERSION_2_FILE = join('version_2', 'events.out.tfevents.1677118727.MININT-M682FNV.10869.0');
/** Long before any test runs: files dated then are not "written in the last two minutes". */
const LONG_AGO = new Date('2023-03-01T00:00:00Z');

/** A copy of `folder` in a temporary folder, every file dated LONG_AGO (a fresh checkout would look RUNNING). */
async function copyOf(folder: string): Promise<string> {
  const target = join(await mkdtemp(join(tmpdir(), 'runlens-tb-')), 'copy');
  await cp(folder, target, { recursive: true });
  for (const entry of await readdir(target, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), LONG_AGO, LONG_AGO);
  }
  return target;
}

async function scanned(location: string): Promise<{ store: TrackingStore; result: ScanResult; runs: Map<string, Run> }> {
  const store = tensorboardProvider.open(location);
  const result = ScanResult.parse(await store.scan());
  return { store, result, runs: new Map(result.runs.map((run) => [run.id, run])) };
}

/** Byte offsets at which the records of an event file start, by walking the length fields. */
function recordOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + 12 <= bytes.length; at += 16 + Number(bytes.readBigUInt64LE(at))) offsets.push(at);
  return offsets;
}

const entry = (path: string, isDirectory = true) => ({ name: path.split('/').pop()!, path, isDirectory });

test('CRC-32C gives the standard check values, and the masked form matches a real record header', async () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  const bytes = await readFile(join(CATBOOST, CATBOOST_FILE));
  assert.equal(maskedCrc32c(bytes, 0, 8), bytes.readUInt32LE(8));
});

test('claims log folders, not the project folders around them', async () => {
  const chapter01 = join(LIGHTNING, 'chapter01');
  assert.equal(await tensorboardProvider.claims(entry(join(chapter01, 'lightning_logs'))), true);
  assert.equal(await tensorboardProvider.claims(entry(join(CATBOOST, 'catboost_info'))), true);
  assert.equal(await tensorboardProvider.claims(entry(join(chapter01, 'lightning_logs', 'version_0'))), true);
  // lightning_logs' children hold the event files, not lightning_logs itself
  assert.equal(await tensorboardProvider.claims(entry(chapter01)), false);
  assert.equal(await tensorboardProvider.claims(entry(join(LIGHTNING, 'chapter02'))), false);
  assert.equal(await tensorboardProvider.claims(entry(join(CATBOOST, CATBOOST_FILE), false)), false);
  assert.equal(await tensorboardProvider.claims(entry(join(FIXTURES, 'no-such-folder'))), false);

  const project = await mkdtemp(join(tmpdir(), 'runlens-tb-project-'));
  await cp(join(chapter01, 'lightning_logs', 'version_2'), join(project, 'logs'), { recursive: true });
  await mkdir(join(project, 'src'));
  await writeFile(join(project, 'src', 'train.py'), 'print(1)\n');
  await mkdir(join(project, 'data'));
  await writeFile(join(project, 'data', 'train.csv'), 'a,b\n');
  await mkdir(join(project, 'empty'));
  assert.equal(await tensorboardProvider.claims(entry(project)), false, 'one log folder among three does not make a store');
  assert.equal(await tensorboardProvider.claims(entry(join(project, 'logs'))), true);
  await rm(join(project, 'data'), { recursive: true });
  await rm(join(project, 'src'), { recursive: true });
  assert.equal(await tensorboardProvider.claims(entry(project)), true, 'empty folders do not count against it');

  assert.equal(await tensorboardProvider.detect(join(chapter01, 'lightning_logs')), true);
  assert.equal(await tensorboardProvider.detect(chapter01), false);
  assert.equal(await tensorboardProvider.detect(join(CATBOOST, CATBOOST_FILE)), false);
});

test('Lightning chapter01: six version_N runs with their tags, step counts and values', async () => {
  const location = await copyOf(join(LIGHTNING, 'chapter01', 'lightning_logs'));
  const { result, runs } = await scanned(location);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.experiments, [{ id: 'copy', name: 'copy', source: 'tensorboard', store: location, deleted: false }]);
  assert.deepEqual([...runs.keys()], ['version_0', 'version_1', 'version_2', 'version_3', 'version_4', 'version_5']);
  for (const run of runs.values()) {
    assert.equal(run.name, run.id);
    assert.equal(run.status, 'FINISHED');
    assert.equal(run.path, join(location, run.id));
    assert.deepEqual(run.git, {});
  }
  const stepCounts = [...runs.values()].map((run) => run.metrics.train_accuracy_step?.count);
  assert.deepEqual(stepCounts, [75, 337, 3, 27, 4, 3]);

  const v2 = runs.get('version_2')!;
  assert.deepEqual(Object.keys(v2.metrics).sort(), ['epoch', 'hp_metric', 'train_accuracy_step', 'train_cross_entropy_step']);
  assert.equal(v2.startTime, 1677118727.253457 * 1000, 'the file_version record is the first event');
  assert.equal(v2.endTime, 1677118735.2080424 * 1000);
  assert.deepEqual(v2.metrics.train_cross_entropy_step, {
    key: 'train_cross_entropy_step', last: Math.fround(0.7493521571159363), step: 149, timestamp: 1677118735.20796 * 1000,
    min: Math.fround(0.6223286390304565), max: Math.fround(0.992834210395813), count: 3,
  });
  assert.deepEqual(v2.metrics.hp_metric, { key: 'hp_metric', last: -1, step: 0, timestamp: 1677118727.2545896 * 1000, min: -1, max: -1, count: 1 });

  // version_1 holds a training file and a test-phase file (`.1`); both are one run
  const v1 = runs.get('version_1')!;
  assert.deepEqual(Object.keys(v1.metrics).sort(), [
    'epoch', 'hp_metric', 'test_accuracy', 'test_cross_entropy', 'train_accuracy_epoch', 'train_accuracy_step',
    'train_cross_entropy_epoch', 'train_cross_entropy_step', 'val_accuracy', 'val_cross_entropy',
  ]);
  assert.equal(v1.metrics.epoch!.count, 343 + 1);
  assert.equal(v1.metrics.epoch!.step, 16875);
  assert.equal(v1.metrics.epoch!.last, 2);
  assert.equal(v1.metrics.test_accuracy!.last, Math.fround(0.6308000087738037));
  assert.equal(v1.metrics.val_accuracy!.count, 3);
  assert.equal(v1.metrics.val_accuracy!.step, 16874);
  assert.equal(v1.metrics.val_accuracy!.min, Math.fround(0.5735999941825867));
  assert.equal(v1.metrics.val_accuracy!.max, Math.fround(0.6431999802589417));
  assert.equal(v1.metrics.train_accuracy_step!.last, 0.5);
  assert.equal(v1.metrics.train_accuracy_step!.step, 16849);
  assert.equal(v1.startTime, 1677071112.5175207 * 1000);
  assert.equal(v1.endTime, 1677072216.9340935 * 1000, 'the test-phase file ends the run');

  // a run folder opened by itself is a store of one run, `.`
  const single = await scanned(join(location, 'version_2'));
  assert.deepEqual(single.result.runs.map((run) => [run.id, run.name, run.experiment]), [['.', 'version_2', 'version_2']]);
  assert.deepEqual(single.result.runs[0]!.metrics, v2.metrics);
});

test('loadSeries streams every file of the run in write order and keeps only the asked tag', async () => {
  const { store } = await scanned(await copyOf(join(LIGHTNING, 'chapter01', 'lightning_logs')));
  const epoch = await store.loadSeries('version_1', 'epoch');
  assert.deepEqual(epoch.diagnostics, []);
  assert.equal(epoch.points.length, 344);
  assert.deepEqual(epoch.points.at(-1), { step: 16875, value: 2, timestamp: 1677072216.9340935 * 1000 });
  assert.ok(epoch.points.every((point, i) => i === 0 || epoch.points[i - 1]!.step <= point.step));
  const test_accuracy = await store.loadSeries('version_1', 'test_accuracy');
  assert.deepEqual(test_accuracy.points.map((p) => [p.step, p.value]), [[16875, Math.fround(0.6308000087738037)]]);
  const missing = await store.loadSeries('version_9', 'epoch');
  assert.equal(missing.points.length, 0);
  assert.equal(missing.diagnostics.length, 1);
});

test('hparams plugin values become params and agree with the hparams.yaml Lightning wrote beside them', async () => {
  const location = await copyOf(join(LIGHTNING, 'chapter02', 'lightning_logs'));
  const { runs } = await scanned(location);
  assert.equal(runs.size, 3);
  for (const run of runs.values()) {
    const yaml = parseYaml(await readFile(join(location, run.id, 'hparams.yaml'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(run.params).sort(), Object.keys(yaml).sort());
    assert.equal(run.params.learning_rate, String(yaml.learning_rate));
    assert.equal(run.params.num_classes, String(yaml.num_classes));
    assert.equal(run.params.backbone, yaml.backbone);
    // torch's SummaryWriter writes None as the string "None" and booleans as numbers
    assert.equal(run.params.metrics, 'None');
    assert.equal(run.params.multi_label, '0');
    assert.equal(run.params.optimizer, "<class 'torch.optim.adam.Adam'>");
  }
});

test('CatBoost: one learn run whose Logloss agrees with catboost_training.json at every step', async () => {
  const location = await copyOf(join(CATBOOST, 'catboost_info'));
  const { store, result, runs } = await scanned(location);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual([...runs.keys()], ['learn']);
  // CatBoost's own log of the same training. Concurrent fits sharing the folder interleaved its lines (it is
  // not valid JSON, and learn_error.tsv is worse), but every iteration's `{"learn":[v],"iteration":n` survives.
  const json = await readFile(join(location, 'catboost_training.json'), 'utf8');
  const logged = [...json.matchAll(/\{"learn":\[([-0-9.e]+)\],"iteration":(\d+),/g)].map((m) => [Number(m[2]), Number(m[1])] as const);
  assert.deepEqual(logged.map(([step]) => step), Array.from({ length: 1000 }, (_, i) => i));
  const series = await store.loadSeries('learn', 'Logloss');
  assert.deepEqual(series.points.map((p) => p.step), logged.map(([step]) => step));
  // the event file holds float32 values, the json 10 significant digits of the same doubles: within one float32 ulp
  for (const [i, [, value]] of logged.entries()) {
    assert.ok(Math.abs(series.points[i]!.value - value) <= Math.abs(value) * 2 ** -23, `step ${i}: ${series.points[i]!.value} vs ${value}`);
  }
  const summary = runs.get('learn')!.metrics.Logloss!;
  const values = series.points.map((p) => p.value);
  assert.deepEqual([summary.count, summary.step, summary.last], [1000, 999, Math.fround(0.1723643639)]);
  assert.deepEqual([summary.min, summary.max], [Math.min(...values), Math.max(...values)]);
  assert.equal(runs.get('learn')!.startTime, 1625402580000);
  assert.deepEqual(runs.get('learn')!.params, {});
});

test('the encoder writes real Lightning records byte for byte (scalar and hparams)', async () => {
  const bytes = await readFile(join(LIGHTNING, 'chapter01', 'lightning_logs', VERSION_2_FILE));
  const offsets = recordOffsets(bytes);
  assert.equal(offsets.length, 14);
  const record = (index: number) => bytes.subarray(offsets[index], offsets[index + 1]);
  const scalar = encodeEvent({ wallTime: 1677118731.277292, step: 49, values: [{ tag: 'train_accuracy_step', simpleValue: 0.5 }] });
  assert.deepEqual(frameRecord(scalar), record(5));
  const hparams = {
    metrics: 'None', optimizer_kwargs: 'None', backbone: 'prajjwal1/bert-tiny', loss_fn: 'None', scheduler: 'None', multi_label: 0,
    enable_ort: 0, scheduler_kwargs: 'None', learning_rate: 0.01, serializer: 'None', num_classes: 2, optimizer: "<class 'torch.optim.adam.Adam'>",
  };
  const sessionStart = encodeEvent({ wallTime: 1677118727.258482, values: [{ tag: '_hparams_/session_start_info', hparams }] });
  assert.deepEqual(frameRecord(sessionStart), record(3));
});

test('TF2 tensor scalars: float and double, packed values and tensor_content, by plugin name or data class', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'runlens-tb-tf2-'));
  const events: EventSpec[] = [{ wallTime: 1700000000, fileVersion: 'brain.Event:2' }];
  for (let step = 0; step < 5; step++) {
    events.push({
      wallTime: 1700000000 + step,
      step,
      values: [
        { tag: 'loss', tensor: 1 / (step + 1), dtype: 'float', layout: 'packed', marker: 'plugin' },
        { tag: 'lr', tensor: 0.1 * 0.5 ** step, dtype: 'double', layout: 'content', marker: 'data-class' },
        { tag: 'acc', tensor: step / 10, dtype: 'float', layout: 'content', marker: 'plugin' },
        { tag: 'mse', tensor: step * 2, dtype: 'double', layout: 'packed', marker: 'plugin' },
      ],
    });
  }
  // Keras' layout: <log dir>/<time>/train and .../validation
  for (const run of ['20240101-120000/train', '20240101-120000/validation']) {
    await mkdir(join(folder, run), { recursive: true });
    await writeFile(join(folder, run, 'events.out.tfevents.1700000000.host.1.v2'), encodeEventFile(events));
  }
  const { store, result, runs } = await scanned(folder);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual([...runs.keys()], ['20240101-120000/train', '20240101-120000/validation']);
  const metrics = runs.get('20240101-120000/train')!.metrics;
  assert.deepEqual(Object.keys(metrics).sort(), ['acc', 'loss', 'lr', 'mse']);
  assert.deepEqual([metrics.loss!.count, metrics.loss!.last, metrics.loss!.max], [5, Math.fround(1 / 5), 1]);
  assert.deepEqual([metrics.lr!.last, metrics.lr!.min], [0.1 * 0.5 ** 4, 0.1 * 0.5 ** 4]);
  assert.equal(metrics.mse!.last, 8);
  const acc = await store.loadSeries('20240101-120000/validation', 'acc');
  assert.deepEqual(acc.points.map((p) => p.value), [0, 0.1, 0.2, 0.3, 0.4].map(Math.fround));
  assert.deepEqual(acc.points.map((p) => p.timestamp), [0, 1, 2, 3, 4].map((s) => (1700000000 + s) * 1000));
});

test('decodeEvent: int64 steps, hparams of every Value kind, and tensors that are not scalars', () => {
  const hparams = { lr: 0.001, name: 'resnet', pretrained: true, frozen: false, seed: null, ['__proto__']: 'kept as a key' };
  const event = decodeEvent(encodeEvent({ wallTime: 1, step: -3, values: [{ tag: '_hparams_/session_start_info', hparams }] }));
  assert.equal(event.step, -3);
  assert.deepEqual(event.hparams, Object.fromEntries([['lr', '0.001'], ['name', 'resnet'], ['pretrained', 'true'], ['frozen', 'false'], ['seed', 'null'], ['__proto__', 'kept as a key']]));
  assert.equal(Object.getPrototypeOf(event.hparams), Object.prototype);
  assert.equal(decodeEvent(encodeEvent({ wallTime: 1, step: 2 ** 40 })).step, 2 ** 40);
  // a tensor of another plugin (same length name, so the framing stays valid) is not a scalar
  const unmarked = encodeEvent({ wallTime: 1, values: [{ tag: 'w', tensor: 1, dtype: 'float', layout: 'packed', marker: 'plugin' }] });
  const histogram = Buffer.from(unmarked.toString('latin1').replace('scalars', 'histogr'), 'latin1');
  assert.deepEqual(decodeEvent(histogram).scalars, []);
  assert.throws(() => decodeEvent(Buffer.from([0x0a, 0x05, 0x01])), WireError);
});

test('a run\'s files are merged in write order: "last" is the greatest step, a tie goes to the later point', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'runlens-tb-resumed-'));
  await mkdir(join(folder, 'run'));
  const event = (step: number, wallTime: number, tag: string, value: number): EventSpec => ({ wallTime, step, values: [{ tag, simpleValue: value }] });
  // a training that reached step 9, then a resumed one (a later file) that restarted from step 5
  const first = Array.from({ length: 10 }, (_, step) => [event(step, 1700000000 + step, 'loss', 1 - step / 10), event(step, 1700000000 + step, 'acc', 0.5)]).flat();
  const resumed = [event(5, 1700000100, 'loss', 0.75), event(7, 1700000102, 'loss', 0.625), event(9, 1700000104, 'acc', 0.75)];
  await writeFile(join(folder, 'run', 'events.out.tfevents.999999999.host.1.0'), encodeEventFile(first));
  await writeFile(join(folder, 'run', 'events.out.tfevents.1700000100.host.2.0'), encodeEventFile(resumed));
  const { store, runs } = await scanned(folder);
  const { loss, acc } = runs.get('run')!.metrics;
  assert.deepEqual(loss, { key: 'loss', last: Math.fround(0.1), step: 9, timestamp: 1700000009000, min: Math.fround(0.1), max: 1, count: 12 });
  assert.deepEqual(acc, { key: 'acc', last: 0.75, step: 9, timestamp: 1700000104000, min: 0.5, max: 0.75, count: 11 });
  const series = await store.loadSeries('run', 'loss');
  assert.deepEqual(series.points.map((p) => p.step), [0, 1, 2, 3, 4, 5, 5, 6, 7, 7, 8, 9]);
  assert.deepEqual(series.points.slice(5, 7).map((p) => p.value), [Math.fround(0.5), 0.75]);
});

test('event files are ordered by the time in their name, numbers compared as numbers', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'runlens-tb-order-'));
  const names = ['events.out.tfevents', 'events.out.tfevents.999999999.h.1.0', 'events.out.tfevents.1700000000.h.1.2', 'events.out.tfevents.1700000000.h.1.10'];
  for (const name of [...names].reverse()) await writeFile(join(folder, name), '');
  await writeFile(join(folder, 'hparams.yaml'), '');
  assert.deepEqual(await eventFilesOf(folder), names.map((name) => join(folder, name)));
  assert.deepEqual(await eventFilesOf(join(folder, 'gone')), []);
});

test('a well-framed record that is not an Event is skipped with a warning, which stays while the file grows', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'runlens-tb-bad-record-'));
  await mkdir(join(folder, 'run'));
  const file = join(folder, 'run', 'events.out.tfevents.1.host');
  const good = (step: number) => frameRecord(encodeEvent({ wallTime: 1700000000 + step, step, values: [{ tag: 'loss', simpleValue: step }] }));
  const notAnEvent = frameRecord(Buffer.from([0x0a, 0x05, 0x01]));
  await writeFile(file, Buffer.concat([good(0), notAnEvent, good(1)]));
  const { store, result } = await scanned(folder);
  const warning = { file, message: `1 record(s) are not TensorBoard events, the first at byte ${good(0).length}: field runs past the end of its message`, severity: 'warning' };
  assert.deepEqual(result.diagnostics, [warning]);
  assert.equal(result.runs[0]!.metrics.loss!.count, 2);
  await appendFile(file, good(2));
  const grown = ScanResult.parse(await store.scan());
  assert.deepEqual(store.lastScanStats.bytesRead, good(2).length);
  assert.deepEqual(grown.diagnostics, [warning]);
  assert.equal(grown.runs[0]!.metrics.loss!.count, 3);
  assert.deepEqual((await store.loadSeries('run', 'loss')).diagnostics, [warning]);
});

test('readRecords gives the same records whatever the chunk size', async () => {
  const file = join(LIGHTNING, 'chapter01', 'lightning_logs', VERSION_1_TRAIN);
  const collect = async (chunkSize: number) => {
    const records: string[] = [];
    const read = await readRecords(file, 0, (buffer, start, end, offset) => records.push(`${offset}:${buffer.toString('base64', start, end)}`), chunkSize);
    return { records, read };
  };
  const whole = await collect(1 << 20);
  assert.equal(whole.records.length, 1034);
  assert.deepEqual(whole.read, { end: 57493, bytesRead: 57493 });
  for (const chunkSize of [1, 7, 16, 100]) assert.deepEqual(await collect(chunkSize), whole);

  // a length with a valid checksum but past any real record is a failure, not a 1 TB allocation
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(2n ** 40n);
  header.writeUInt32LE(maskedCrc32c(header, 0, 8), 8);
  const folder = await mkdtemp(join(tmpdir(), 'runlens-tb-huge-'));
  await writeFile(join(folder, 'events.out.tfevents.huge'), Buffer.concat([header, Buffer.alloc(100)]));
  const huge = await readRecords(join(folder, 'events.out.tfevents.huge'), 0, () => assert.fail('no record'));
  assert.equal(huge.end, 0);
  assert.match(huge.failure!.message, /^record at byte 0 claims 1099511627776 bytes/);
});

test('a flipped byte stops that file with a diagnostic naming file and offset; everything else still loads', async () => {
  const intact = await scanned(await copyOf(join(LIGHTNING, 'chapter01', 'lightning_logs')));
  const location = await copyOf(join(LIGHTNING, 'chapter01', 'lightning_logs'));
  const file = join(location, VERSION_1_TRAIN);
  const bytes = await readFile(file);
  const offset = recordOffsets(bytes)[500]!;
  const corrupt = Buffer.from(bytes);
  corrupt[offset + 20] ^= 0xff;
  await writeFile(file, corrupt);
  await utimes(file, LONG_AGO, LONG_AGO);
  const { result, runs } = await scanned(location);
  assert.equal(result.diagnostics.length, 1);
  assert.equal(result.diagnostics[0]!.file, file);
  assert.match(result.diagnostics[0]!.message, new RegExp(`data checksum mismatch at byte ${offset}\\b`));

  // the damaged run keeps what precedes the bad record, exactly as a file cut there would give
  const cut = await copyOf(join(LIGHTNING, 'chapter01', 'lightning_logs'));
  await truncate(join(cut, VERSION_1_TRAIN), offset);
  await utimes(join(cut, VERSION_1_TRAIN), LONG_AGO, LONG_AGO);
  const truncated = await scanned(cut);
  assert.deepEqual(truncated.result.diagnostics, []);
  assert.deepEqual(runs.get('version_1')!.metrics, truncated.runs.get('version_1')!.metrics);
  assert.ok(runs.get('version_1')!.metrics.train_accuracy_step!.count < 337);
  assert.ok(runs.get('version_1')!.metrics.test_accuracy, 'the run\'s other file still loads');
  for (const id of ['version_0', 'version_2', 'version_3', 'version_4', 'version_5']) {
    assert.deepEqual(runs.get(id)!.metrics, intact.runs.get(id)!.metrics);
  }

  // a damaged length field is caught by the header checksum
  const header = Buffer.from(bytes);
  header[offset + 1] ^= 0x01;
  await writeFile(file, header);
  const again = await scanned(location);
  assert.equal(again.result.diagnostics.length, 1);
  assert.match(again.result.diagnostics[0]!.message, new RegExp(`length checksum mismatch at byte ${offset}\\b`));
});

test('a record cut mid-way is no error; appending the rest resumes from the last complete record', async () => {
  const location = await copyOf(join(CATBOOST, 'catboost_info'));
  const file = join(location, 'learn', 'events.out.tfevents');
  const bytes = await readFile(file);
  const offsets = recordOffsets(bytes);
  const cut = offsets[600]! + 20;
  await writeFile(file, bytes.subarray(0, cut));
  const { store, result } = await scanned(location);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: cut });
  assert.deepEqual([result.runs[0]!.metrics.Logloss!.count, result.runs[0]!.metrics.Logloss!.step], [600, 599]);

  await store.scan();
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 }, 'an unchanged file is not read again');

  await appendFile(file, bytes.subarray(cut, offsets[700]! + 5));
  const middle = ScanResult.parse(await store.scan());
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: offsets[700]! + 5 - offsets[600]! });
  assert.equal(middle.runs[0]!.metrics.Logloss!.count, 700);

  await appendFile(file, bytes.subarray(offsets[700]! + 5));
  assert.equal((await store.scan({ changedPaths: [] })).runs[0]!.metrics.Logloss!.count, 700, 'changedPaths is trusted');
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 });
  const full = ScanResult.parse(await store.scan({ changedPaths: [file] }));
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: bytes.length - offsets[700]! });
  assert.deepEqual(full.diagnostics, []);
  const intact = await scanned(await copyOf(join(CATBOOST, 'catboost_info')));
  assert.deepEqual(full.runs[0]!.metrics, intact.result.runs[0]!.metrics);
});

test('a run whose event file changed in the last two minutes is RUNNING; runs come and go with their folders', async () => {
  const location = await copyOf(join(LIGHTNING, 'chapter01', 'lightning_logs'));
  const now = new Date();
  await utimes(join(location, VERSION_2_FILE), now, now);
  const { store, runs } = await scanned(location);
  assert.equal(runs.get('version_2')!.status, 'RUNNING');
  assert.equal(runs.get('version_2')!.endTime, undefined);
  assert.equal(runs.get('version_3')!.status, 'FINISHED');

  await mkdir(join(location, 'version_6'));
  await writeFile(join(location, 'version_6', 'events.out.tfevents.1700000000.host.7.0'), encodeEventFile([{ wallTime: 1700000000, step: 3, values: [{ tag: 'loss', simpleValue: 0.25 }] }]));
  const grown = ScanResult.parse(await store.scan());
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: (await readFile(join(location, 'version_6', 'events.out.tfevents.1700000000.host.7.0'))).length });
  assert.equal(grown.runs.length, 7);
  assert.equal(grown.runs.find((run) => run.id === 'version_6')!.metrics.loss!.last, 0.25);
  await rm(join(location, 'version_6'), { recursive: true });
  assert.equal((await store.scan()).runs.length, 6);
});

test('fuzz: mutated event files never make scan or loadSeries throw, and results stay valid', async () => {
  const original = await readFile(join(LIGHTNING, 'chapter01', 'lightning_logs', VERSION_2_FILE));
  const folder = await mkdtemp(join(tmpdir(), 'runlens-tb-fuzz-'));
  await mkdir(join(folder, 'run'));
  const file = join(folder, 'run', 'events.out.tfevents.1.fuzz');
  let withDiagnostics = 0;
  for (const mutated of mutations(original, 2000, 20240611)) {
    await writeFile(file, mutated);
    const store = tensorboardProvider.open(folder);
    const result = ScanResult.parse(await store.scan());
    if (result.diagnostics.length > 0) withDiagnostics++;
    const series = await store.loadSeries('run', 'train_cross_entropy_step');
    for (const point of series.points) MetricPoint.parse(point);
    store.dispose();
  }
  assert.ok(withDiagnostics > 100, `damage is reported (${withDiagnostics} of 2000)`);
});

test('fuzz: decodeEvent on mutated records returns an event or throws a WireError, nothing else', () => {
  const record = encodeEvent({
    wallTime: 1700000000.5,
    step: 12,
    values: [
      { tag: '_hparams_/session_start_info', hparams: { lr: 0.01, name: 'x', flag: true, none: null } },
      { tag: 'loss', tensor: 0.5, dtype: 'double', layout: 'packed', marker: 'plugin' },
      { tag: 'acc', simpleValue: 0.75 },
    ],
  });
  let decoded = 0;
  for (const mutated of mutations(record, 10000, 7)) {
    try {
      decodeEvent(mutated);
      decoded++;
    } catch (error) {
      assert.ok(error instanceof WireError, String(error));
    }
  }
  assert.ok(decoded > 0 && decoded < 10000);
});
