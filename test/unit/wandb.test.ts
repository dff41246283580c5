// The W&B reader on real run folders (test/fixtures/wandb-hf-trainer-alpaca-fork).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ScanResult } from '../../src/core/model';
import { wandbProvider } from '../../src/sources/wandb';
import { copyFixture, fuzzFile } from './helpers/store-fixture';

const FIXTURE = 'wandb-hf-trainer-alpaca-fork';
const RUNS = ['run-20231102_032820-iqu955sp', 'run-20240311_075234-yjcrlx67', 'run-20240421_100306-jfs468xt'];

function wandbCopy(): string {
  return join(copyFixture(FIXTURE), 'wandb');
}

function rawJson(wandb: string, folder: string, file: string): Record<string, any> {
  return JSON.parse(readFileSync(join(wandb, folder, 'files', file), 'utf8'));
}

test('each run folder is a run: summary metrics, config params, metadata commit', async () => {
  const wandb = wandbCopy();
  const result = ScanResult.parse(await wandbProvider.open(wandb).scan());
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.experiments.map((e) => e.name), [`${FIXTURE}/wandb`]);
  // latest-run is a real folder here whose run (started 2023-12-01) has no run-… folder of its own
  assert.deepEqual(result.runs.map((r) => r.id), ['latest-run', 'iqu955sp', 'yjcrlx67', 'jfs468xt']);
  for (const folder of ['latest-run', ...RUNS]) {
    const run = result.runs.find((r) => r.path === join(wandb, folder))!;
    const summary = rawJson(wandb, folder, 'wandb-summary.json');
    const metadata = rawJson(wandb, folder, 'wandb-metadata.json');
    const config = parse(readFileSync(join(wandb, folder, 'files', 'config.yaml'), 'utf8')) as Record<string, { value: unknown }>;

    assert.deepEqual(run.git, { commit: metadata.git.commit, repoUrl: metadata.git.remote });
    assert.equal(run.startTime, Date.parse(`${metadata.startedAt}Z`));
    assert.equal(run.endTime, summary._timestamp * 1000);
    assert.equal(run.status, 'FINISHED');
    assert.equal(run.name, config.run_name!.value);
    assert.equal(run.tags['wandb.program'], metadata.program);
    assert.equal(run.tags['wandb.host'], metadata.host);

    const metricKeys = Object.keys(summary).filter((key) => !key.startsWith('_'));
    assert.deepEqual(Object.keys(run.metrics).sort(), metricKeys.sort());
    for (const key of metricKeys) {
      assert.deepEqual(run.metrics[key], { key, last: summary[key], step: summary._step, timestamp: summary._timestamp * 1000, min: summary[key], max: summary[key], count: 1 });
    }
    const configKeys = Object.keys(config).filter((key) => key !== '_wandb' && key !== 'wandb_version');
    assert.ok(configKeys.every((key) => key in run.params || Object.keys(run.params).some((p) => p.startsWith(`${key}.`))), folder);
    assert.equal(run.params.learning_rate, String(config.learning_rate!.value));
  }
  const byId = Object.fromEntries(result.runs.map((r) => [r.id, r]));
  assert.equal(byId.jfs468xt!.git.commit, '41468b45844ea9655b08c48afb2eb914ae85d0ae');
  assert.equal(byId.yjcrlx67!.git.commit, 'd66d4c8993d4963983941ba81db48c3df55a61b5');
  assert.equal(byId.iqu955sp!.metrics['train/loss']!.last, 0.3967);
  assert.equal(byId.jfs468xt!.metrics.train_loss!.last, 0.5070196613669395);
  assert.equal(byId.jfs468xt!.params['id2label.0'], 'LABEL_0');
  assert.equal(byId.jfs468xt!.params.architectures, '["LlamaForCausalLM"]');
  assert.equal(byId.jfs468xt!.params.rope_scaling, 'null');
  assert.equal(byId.jfs468xt!.tags['wandb.args']?.includes('--fsdp "full_shard auto_wrap"'), true);
});

test('latest-run is skipped when it is the symlink W&B makes or a copy of another run', async () => {
  const wandb = wandbCopy();
  rmSync(join(wandb, 'latest-run'), { recursive: true });
  symlinkSync(RUNS[2]!, join(wandb, 'latest-run'));
  assert.deepEqual((await wandbProvider.open(wandb).scan()).runs.map((r) => r.id), ['iqu955sp', 'yjcrlx67', 'jfs468xt']);
  rmSync(join(wandb, 'latest-run'));
  cpSync(join(wandb, RUNS[2]!), join(wandb, 'latest-run'), { recursive: true });
  assert.deepEqual((await wandbProvider.open(wandb).scan()).runs.map((r) => r.id), ['iqu955sp', 'yjcrlx67', 'jfs468xt']);
});

test('offline-run folders and the pre-0.10 layout without files/ are read', async () => {
  const wandb = wandbCopy();
  const offline = join(wandb, 'offline-run-20240501_120000-abc123');
  cpSync(join(wandb, RUNS[0]!, 'files'), offline, { recursive: true });
  const run = (await wandbProvider.open(wandb).scan()).runs.find((r) => r.id === 'abc123')!;
  assert.equal(run.path, offline);
  assert.equal(run.git.commit, '761dc5bfbdeeffa89b8bff5d038781a4055f796a');
});

test('a series is the summary point, or the history lines when wandb-history.jsonl exists', async () => {
  const wandb = wandbCopy();
  const store = wandbProvider.open(wandb);
  await store.scan();
  const summary = rawJson(wandb, RUNS[1]!, 'wandb-summary.json');
  assert.deepEqual(await store.loadSeries('yjcrlx67', 'train/loss'), {
    points: [{ step: 1218, value: summary['train/loss'], timestamp: summary._timestamp * 1000 }], diagnostics: [],
  });
  const history = join(wandb, RUNS[1]!, 'files', 'wandb-history.jsonl');
  writeFileSync(history, [
    '{"train/loss": 1.5, "_step": 2, "_timestamp": 1710143600.5}',
    '{"train/loss": 1.9, "_step": 1, "_timestamp": 1710143590}',
    '{"train/lr": 0.1, "_step": 3}',
    'not json',
    '{"eval": {"loss": 2.5}, "train/loss": NaN, "_step": 4, "_timestamp": 1710143610}',
  ].join('\n'));
  const series = await store.loadSeries('yjcrlx67', 'train/loss');
  assert.deepEqual(series.points, [{ step: 1, value: 1.9, timestamp: 1710143590000 }, { step: 2, value: 1.5, timestamp: 1710143600500 }]);
  assert.deepEqual(series.diagnostics.map((d) => [d.file, d.severity]), [[history, 'warning']]);
  assert.deepEqual((await store.loadSeries('yjcrlx67', 'eval.loss')).points.map((p) => p.value), [2.5]);
});

test('a re-scan reads only changed files', async () => {
  const wandb = wandbCopy();
  const store = wandbProvider.open(wandb);
  await store.scan();
  assert.equal(store.lastScanStats.filesRead, 12);
  await store.scan();
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 });
  const file = join(wandb, RUNS[0]!, 'files', 'wandb-summary.json');
  const text = readFileSync(file, 'utf8').replace('"train/loss": 0.3967', '"train/loss": 0.25');
  writeFileSync(file, text);
  utimesSync(file, new Date('2024-02-01'), new Date('2024-02-01'));
  const run = (await store.scan()).runs.find((r) => r.id === 'iqu955sp')!;
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: Buffer.byteLength(text) });
  assert.equal(run.metrics['train/loss']!.last, 0.25);
});

test('claims a wandb folder with run folders only', async () => {
  const wandb = wandbCopy();
  assert.equal(await wandbProvider.claims({ name: 'wandb', path: wandb, isDirectory: true }), true);
  assert.equal(await wandbProvider.claims({ name: 'runs', path: wandb, isDirectory: true }), false);
  const pythonPackage = join(wandb, '..', 'src', 'wandb');
  mkdirSync(join(pythonPackage, 'sdk'), { recursive: true });
  writeFileSync(join(pythonPackage, '__init__.py'), '');
  assert.equal(await wandbProvider.claims({ name: 'wandb', path: pythonPackage, isDirectory: true }), false);
});

test('malformed summary, config and metadata are reported per file; the rest of each run still loads', async () => {
  const wandb = wandbCopy();
  const files = (folder: string) => join(wandb, folder, 'files');
  const summary = join(files(RUNS[0]!), 'wandb-summary.json');
  writeFileSync(summary, '{"train/loss": 0.39, "_step": ');
  const config = join(files(RUNS[1]!), 'config.yaml');
  writeFileSync(config, 'wandb_version: 1\nlearning_rate:\n  value: [2e-5\n');
  const metadata = join(files(RUNS[2]!), 'wandb-metadata.json');
  writeFileSync(metadata, '[1, 2]');
  const result = ScanResult.parse(await wandbProvider.open(wandb).scan());
  assert.deepEqual(result.diagnostics.map((d) => d.file).sort(), [summary, config, metadata].sort());
  const byId = Object.fromEntries(result.runs.map((r) => [r.id, r]));
  assert.equal(result.runs.length, 4);
  assert.deepEqual(byId.iqu955sp!.metrics, {});
  assert.equal(byId.iqu955sp!.git.commit, '761dc5bfbdeeffa89b8bff5d038781a4055f796a');
  assert.deepEqual(byId.yjcrlx67!.params, {});
  assert.equal(byId.yjcrlx67!.name, 'yjcrlx67', 'without its config a run is named by its id');
  assert.deepEqual(byId.jfs468xt!.git, {});
  assert.equal(byId.jfs468xt!.metrics.train_loss!.last, 0.5070196613669395);
});

test('fuzzed summary, config and metadata files never break a scan', async () => {
  const wandb = wandbCopy();
  for (const folder of readdirSync(wandb)) if (folder !== RUNS[0]) rmSync(join(wandb, folder), { recursive: true });
  const files = join(wandb, RUNS[0]!, 'files');
  const store = wandbProvider.open(wandb);
  const reported = [
    await fuzzFile(store, join(files, 'wandb-summary.json'), 1000, 0x21),
    await fuzzFile(store, join(files, 'config.yaml'), 300, 0x22),
    await fuzzFile(store, join(files, 'wandb-metadata.json'), 600, 0x23),
  ];
  assert.ok(reported.every((n) => n > 100), `reported: ${reported.join(', ')}`);
});
