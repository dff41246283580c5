// The MLflow SQLite reader on real databases written by MLflow 1.26, 2.12 and 3.8, checked against the
// sqlite3 CLI, plus damaged, locked, half-written and unreadable files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ScanResult, summarize, type Run } from '../../src/core/model';
import type { TrackingStore } from '../../src/core/source';
import { mlflowSqliteProvider } from '../../src/sources/mlflow-sqlite';
import { mutations, rng } from './helpers/fuzz';

const FIXTURES = join(__dirname, '..', 'fixtures');
const V126 = 'mlflow-sqlite-1.26-peco602-zoomcamp/mlflow.db';
const V212 = 'mlflow-sqlite-2.12-abrego-zoomcamp/mlflow.db';
const V38 = 'mlflow-sqlite-3.8-financial-forecasting/mlruns.db';

const scratch = mkdtempSync(join(tmpdir(), 'runlens-sqlite-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A private copy of a fixture database in its own folder (tests never share a file, nor touch test/fixtures). */
function copyOf(fixture: string): string {
  const dir = join(scratch, `copy-${copies++}`);
  mkdirSync(dir);
  const db = join(dir, fixture.split('/').pop()!);
  copyFileSync(join(FIXTURES, fixture), db);
  return db;
}

/** Rows of a query run by the sqlite3 CLI: the independent reference. */
function cli<T = Record<string, unknown>>(db: string, query: string): T[] {
  const out = execFileSync('sqlite3', ['-json', '-readonly', db, query], { encoding: 'utf8' });
  return out.trim() === '' ? [] : (JSON.parse(out) as T[]);
}

/** Writes with the sqlite3 CLI, the way another process (MLflow) changes the database. */
function write(db: string, statements: string): void {
  execFileSync('sqlite3', [db], { input: statements });
}

/** A new store's first scan, deleted records included. */
async function scanned(db: string): Promise<{ store: TrackingStore; result: ScanResult }> {
  const store = mlflowSqliteProvider.open(db);
  const result = await store.scan({ includeDeleted: true });
  return { store, result };
}

function count<T>(items: readonly T[], label: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[label(item)] = (counts[label(item)] ?? 0) + 1;
  return counts;
}
const metricRows = (runs: readonly Run[], key?: string) =>
  runs.reduce((sum, run) => sum + Object.values(run.metrics).filter((m) => !key || m.key === key).reduce((s, m) => s + m.count, 0), 0);
const gitCommits = (runs: readonly Run[]) => new Set(runs.map((run) => run.git.commit).filter(Boolean));

test('detects the three MLflow databases, whatever their file name', async () => {
  for (const fixture of [V126, V212, V38]) assert.equal(await mlflowSqliteProvider.detect(copyOf(fixture)), true, fixture);
  const entry = (name: string) => ({ name, path: copyOf(V212), isDirectory: false });
  assert.equal(await mlflowSqliteProvider.claims(entry('mlflow.db')), true);
  assert.equal(await mlflowSqliteProvider.claims(entry('notes.txt')), false);
});

test('MLflow 1.26: experiments, runs, lifecycle, metrics, params, tags, git and the stage-based registry', async () => {
  const { result } = await scanned(copyOf(V126));
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.experiments.length, 6);
  assert.deepEqual(result.experiments.filter((e) => e.deleted).map((e) => e.name), ['my-cool-experiment']);
  assert.equal(result.runs.length, 125);
  assert.deepEqual(count(result.runs, (r) => `${r.status}/${r.deleted ? 'deleted' : 'active'}`),
    { 'FINISHED/active': 112, 'FINISHED/deleted': 10, 'RUNNING/deleted': 2, 'FAILED/deleted': 1 });
  assert.deepEqual(count(result.runs, (r) => r.experiment),
    { 'nyc-taxi-experiment': 63, '02-experiment-tracking-homework': 3, 'random-forest-hyperopt': 54, 'random-forest-best-models': 5 });
  assert.equal(metricRows(result.runs), 4178);
  assert.equal(metricRows(result.runs, 'validation-rmse'), 4004);
  assert.equal(result.runs.reduce((sum, r) => sum + Object.keys(r.params).length, 0), 840);
  assert.equal(result.runs.reduce((sum, r) => sum + Object.keys(r.tags).length, 0), 634);
  assert.equal(result.runs.filter((r) => r.git.commit).length, 62);
  assert.equal(gitCommits(result.runs).size, 2);
  assert.ok(result.runs.every((r) => r.name === r.id), '1.26 leaves runs.name empty and has no mlflow.runName tag');
  assert.deepEqual(result.models.map((m) => [m.model, m.version, m.stages, m.aliases, m.status]), [
    ['nyc-taxi-randomforest', '1', [], [], 'READY'],
    ['nyc-taxi-regressor', '1', ['Staging'], [], 'READY'],
    ['nyc-taxi-regressor', '2', ['Production'], [], 'READY'],
    ['nyc-taxi-regressor', '3', ['Staging'], [], 'READY'],
    ['nyc-taxi-regressor', '4', [], [], 'READY'],
  ]);
  assert.equal(result.models[2]!.run, 'f539394805074f4296c1ed6b0a1d905d');
  assert.deepEqual(result.datasets, []);
  const steps = result.runs.flatMap((r) => (r.metrics['validation-rmse'] ? [r.metrics['validation-rmse'].step] : []));
  assert.deepEqual(steps, [1000, 1000, 1000, 1000]);
});

test('deleted experiments and runs are hidden unless includeDeleted', async () => {
  const store = mlflowSqliteProvider.open(copyOf(V126));
  const shown = await store.scan();
  assert.equal(shown.experiments.length, 5);
  assert.equal(shown.runs.length, 112);
  assert.ok(shown.runs.every((r) => !r.deleted && r.status === 'FINISHED'));
  assert.equal((await store.scan({ includeDeleted: true })).runs.length, 125);

  const db = copyOf(V212);
  write(db, "UPDATE experiments SET lifecycle_stage = 'deleted' WHERE name = 'random-forest-best-models';");
  const { store: after, result: all } = await scanned(db);
  const gone = new Set(all.runs.filter((r) => r.experiment === 'random-forest-best-models').map((r) => r.id));
  assert.equal(gone.size, 5);
  assert.ok(all.runs.every((r) => r.deleted === gone.has(r.id)), 'runs of a deleted experiment count as deleted');
  const visible = await after.scan();
  assert.equal(visible.runs.length, 16);
  assert.deepEqual(visible.datasets.map((d) => d.runs.length), [1, 0]);
  assert.ok(visible.datasets.every((d) => d.runs.every((id) => !gone.has(id))));
});

test('MLflow 2.12: run names, datasets with their runs, a registry without aliases', async () => {
  const { result } = await scanned(copyOf(V212));
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.experiments.length, 4);
  assert.equal(result.runs.length, 21);
  assert.ok(result.runs.every((r) => r.status === 'FINISHED' && !r.deleted));
  assert.ok(result.runs.every((r) => r.name === r.tags['mlflow.runName']));
  assert.equal(metricRows(result.runs), 55);
  assert.ok(Object.values(result.runs.flatMap((r) => Object.values(r.metrics))).every((m) => m.count === 1 && m.step === 0));
  assert.equal(gitCommits(result.runs).size, 1);
  assert.ok(result.runs.every((r) => r.git.commit === '09c48a67742379ef59a9863e5c22201010ffd0cc'));
  assert.equal(result.datasets.length, 2);
  assert.equal(result.datasets.reduce((sum, d) => sum + d.runs.length, 0), 11);
  assert.deepEqual(result.datasets.map((d) => [d.name, d.digest, d.sourceType, d.sourceUri]),
    [['dataset', '7edda543', 'code', 'train.py'], ['dataset', '5a2feb47', 'code', 'register_model.py']]);
  const runIds = new Set(result.runs.map((r) => r.id));
  assert.ok(result.datasets.every((d) => d.runs.every((id) => runIds.has(id))));
  assert.match(result.datasets[0]!.profile!, /features_shape/);
  assert.deepEqual(result.models.map((m) => [m.model, m.version, m.stages, m.aliases]), [['RFR-best-model', '1', [], []]]);
});

test('MLflow 3.8: mixed statuses, many deleted runs, step histories; logged models are not registry versions', async () => {
  const store = mlflowSqliteProvider.open(copyOf(V38));
  const all = await store.scan({ includeDeleted: true });
  assert.deepEqual(all.diagnostics, []);
  assert.equal(all.experiments.length, 2);
  assert.equal(all.runs.length, 39);
  assert.equal(all.runs.filter((r) => r.deleted).length, 25);
  assert.equal(metricRows(all.runs), 3079);
  assert.equal(metricRows(all.runs, 'train_loss'), 1399);
  assert.equal(metricRows(all.runs, 'val_loss'), 1399);
  assert.ok(all.runs.every((r) => r.git.commit));
  assert.equal(gitCommits(all.runs).size, 3);
  assert.deepEqual(all.models, []);
  assert.deepEqual(all.datasets, []);
  const shown = await store.scan();
  assert.deepEqual(count(shown.runs, (r) => r.status), { FINISHED: 10, FAILED: 3, RUNNING: 1 });
  const lossSteps = shown.runs.flatMap((r) => (r.metrics.train_loss ? [r.metrics.train_loss.step] : []));
  assert.ok(lossSteps.length > 0 && Math.max(...lossSteps) === 99);
});

test('every metric summary matches an independent computation over the raw metrics table', async () => {
  for (const fixture of [V126, V212, V38]) {
    const db = copyOf(fixture);
    const { result } = await scanned(db);
    const expected = cli<{ run: string; key: string; count: number; min: number; max: number; last: number; step: number; timestamp: number }>(db, `
      SELECT run_uuid AS run, key, count(*) AS count, min(value) AS min, max(value) AS max,
        (SELECT value FROM metrics AS n WHERE n.run_uuid = m.run_uuid AND n.key = m.key ORDER BY step DESC, timestamp DESC, value DESC LIMIT 1) AS last,
        (SELECT timestamp FROM metrics AS n WHERE n.run_uuid = m.run_uuid AND n.key = m.key ORDER BY step DESC, timestamp DESC, value DESC LIMIT 1) AS timestamp,
        max(step) AS step
      FROM metrics AS m GROUP BY run_uuid, key`);
    const runs = new Map(result.runs.map((r) => [r.id, r]));
    for (const row of expected) {
      const { run, ...summary } = row;
      assert.deepEqual(runs.get(run)?.metrics[row.key], summary, `${fixture} ${run} ${row.key}`);
    }
    assert.equal(result.runs.reduce((n, r) => n + Object.keys(r.metrics).length, 0), expected.length, fixture);
  }
});

test('loadSeries returns one metric history, ordered by step then timestamp, as the CLI reads it', async () => {
  const db = copyOf(V126);
  const { store, result } = await scanned(db);
  const run = result.runs.find((r) => r.metrics['validation-rmse'])!;
  const { points, diagnostics } = await store.loadSeries(run.id, 'validation-rmse');
  assert.deepEqual(diagnostics, []);
  assert.equal(points.length, 1001);
  assert.deepEqual(points.map((p) => p.step), Array.from({ length: 1001 }, (_, i) => i));
  assert.deepEqual(points, cli(db, `SELECT step, value, timestamp FROM metrics WHERE run_uuid = '${run.id}' AND key = 'validation-rmse' ORDER BY step, timestamp`));
  assert.deepEqual(summarize('validation-rmse', points), run.metrics['validation-rmse']);
  assert.deepEqual(await store.loadSeries(run.id, 'no-such-metric'), { points: [], diagnostics: [] });
});

test('scans and series loads never write: same bytes, same mtime, no file left beside the database', async () => {
  for (const fixture of [V126, V212, V38]) {
    const db = copyOf(fixture);
    const dir = join(db, '..');
    const before = { bytes: readFileSync(db), mtime: statSync(db).mtimeMs, files: readdirSync(dir) };
    assert.equal(await mlflowSqliteProvider.detect(db), true);
    const { store, result } = await scanned(db);
    const run = result.runs.find((r) => Object.keys(r.metrics).length > 0)!;
    await store.loadSeries(run.id, Object.keys(run.metrics)[0]!);
    store.dispose();
    assert.ok(readFileSync(db).equals(before.bytes), fixture);
    assert.equal(statSync(db).mtimeMs, before.mtime, fixture);
    assert.deepEqual(readdirSync(dir), before.files, fixture);
  }
});

test('a re-scan of an unchanged database reads nothing; a change by another process is picked up', async () => {
  const db = copyOf(V126);
  const { store, result } = await scanned(db);
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: statSync(db).size });
  assert.deepEqual(await store.scan({ includeDeleted: true }), result);
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 });

  const run = result.runs.find((r) => r.metrics['validation-rmse'])!;
  const before = run.metrics['validation-rmse']!;
  write(db, `INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ('validation-rmse', 0.125, ${before.timestamp! + 1}, '${run.id}', 1001, 0);
    UPDATE latest_metrics SET value = 0.125, step = 1001, timestamp = ${before.timestamp! + 1} WHERE run_uuid = '${run.id}' AND key = 'validation-rmse';`);

  const trusted = await store.scan({ includeDeleted: true, changedPaths: [join(db, '..', 'elsewhere.txt')] });
  assert.deepEqual(store.lastScanStats, { filesRead: 0, bytesRead: 0 }, 'a watcher that reports other paths is trusted');
  assert.equal(trusted.runs.find((r) => r.id === run.id)!.metrics['validation-rmse']!.count, before.count);

  const after = await store.scan({ includeDeleted: true });
  assert.deepEqual(store.lastScanStats, { filesRead: 1, bytesRead: statSync(db).size });
  assert.deepEqual(after.runs.find((r) => r.id === run.id)!.metrics['validation-rmse'],
    { ...before, last: 0.125, step: 1001, timestamp: before.timestamp! + 1, min: Math.min(before.min, 0.125), count: before.count + 1 });
  assert.equal((await store.loadSeries(run.id, 'validation-rmse')).points.length, before.count + 1);
});

test('registered model aliases (MLflow 2.3+) are attached to their versions', async () => {
  const db = copyOf(V212);
  assert.deepEqual(cli(db, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'registered_model_aliases'"), [{ n: 1 }]);
  write(db, "INSERT INTO registered_model_aliases (alias, version, name) VALUES ('champion', 1, 'RFR-best-model'), ('baseline', 1, 'RFR-best-model');");
  const { result } = await scanned(db);
  assert.deepEqual(result.models.map((m) => [m.model, m.version, m.aliases]), [['RFR-best-model', '1', ['baseline', 'champion']]]);
});

test('without the metrics.run_uuid index (before 1.26) or latest_metrics (before 1.x), the same summaries', async () => {
  const original = (await scanned(copyOf(V126))).result.runs.map((r) => r.metrics);
  for (const change of ['DROP INDEX index_metrics_run_uuid;', 'DROP INDEX index_metrics_run_uuid; DROP TABLE latest_metrics;']) {
    const db = copyOf(V126);
    write(db, change);
    const { result } = await scanned(db);
    assert.deepEqual(result.diagnostics, [], change);
    assert.deepEqual(result.runs.map((r) => r.metrics), original, change);
  }
});

test('NaN and infinite values are left out of summaries and series, as the file store reader leaves them out', async () => {
  const db = copyOf(V212);
  const id = '55c38b9b8b424a57abf3d4d480e99380';
  const original = (await scanned(db)).result.runs.find((r) => r.id === id)!.metrics.val_rmse!;
  write(db, `INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES
      ('val_rmse', 0, 1, '${id}', 1, 1), ('val_rmse', 9e999, 2, '${id}', 2, 0), ('diverged', 0, 1, '${id}', 0, 1);
    UPDATE latest_metrics SET value = 0, step = 1, timestamp = 1, is_nan = 1 WHERE run_uuid = '${id}' AND key = 'val_rmse';
    INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES ('diverged', 0, 1, 0, 1, '${id}');`);
  const { store, result } = await scanned(db);
  assert.ok(ScanResult.safeParse(result).success);
  const run = result.runs.find((r) => r.id === id)!;
  assert.deepEqual(run.metrics.val_rmse, original);
  assert.equal(run.metrics.diverged, undefined);
  assert.deepEqual((await store.loadSeries(id, 'val_rmse')).points.map((p) => p.value), [original.last]);
});

test('a WAL-mode database is read with its uncheckpointed -wal, without touching either file', async () => {
  const db = copyOf(V212);
  write(db, `.dbconfig no_ckpt_on_close on
    PRAGMA journal_mode = WAL;
    INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ('wal_metric', 42.5, 7, '55c38b9b8b424a57abf3d4d480e99380', 3, 0);
    INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES ('wal_metric', 42.5, 7, 3, 0, '55c38b9b8b424a57abf3d4d480e99380');`);
  const wal = `${db}-wal`;
  const before = { db: readFileSync(db), wal: readFileSync(wal) };
  assert.ok(before.wal.length > 0);
  const { store, result } = await scanned(db);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.runs.find((r) => r.id === '55c38b9b8b424a57abf3d4d480e99380')!.metrics.wal_metric,
    { key: 'wal_metric', last: 42.5, step: 3, timestamp: 7, min: 42.5, max: 42.5, count: 1 });
  assert.deepEqual(store.lastScanStats, { filesRead: 2, bytesRead: before.db.length + before.wal.length });
  assert.ok(readFileSync(db).equals(before.db) && readFileSync(wal).equals(before.wal));
});

test('files that are not MLflow databases: a Diagnostic naming the file, never a throw', async () => {
  const dir = join(scratch, 'bad');
  mkdirSync(dir);
  const other = join(dir, 'other.db');
  write(other, 'CREATE TABLE experiments (id); CREATE TABLE runs (id);');
  const text = join(dir, 'notes.db');
  writeFileSync(text, 'not a database\n');
  const tiny = join(dir, 'tiny.db');
  writeFileSync(tiny, readFileSync(join(FIXTURES, V212)).subarray(0, 10));
  const truncated = join(dir, 'truncated.db');
  writeFileSync(truncated, readFileSync(join(FIXTURES, V126)).subarray(0, 64 * 1024));
  const badHeader = join(dir, 'bad-header.db');
  const bytes = readFileSync(join(FIXTURES, V212));
  bytes.writeUInt16BE(3, 16); // page size 3: invalid
  writeFileSync(badHeader, bytes);
  const cases: [string, RegExp][] = [
    [other, /not an MLflow database \(missing tables: alembic_version, metrics, params, tags\)/],
    [text, /not an SQLite database/],
    [tiny, /not an SQLite database/],
    [truncated, /database disk image is malformed/],
    [badHeader, /file is not a database/],
    [join(dir, 'missing.db'), /ENOENT/],
    [dir, /EISDIR/],
  ];
  for (const [file, message] of cases) {
    assert.equal(await mlflowSqliteProvider.detect(file), false, file);
    const { store, result } = await scanned(file);
    assert.deepEqual({ ...result, diagnostics: [] }, { experiments: [], runs: [], models: [], datasets: [], diagnostics: [] }, file);
    assert.equal(result.diagnostics.length, 1, file);
    assert.equal(result.diagnostics[0]!.file, file);
    assert.match(result.diagnostics[0]!.message, message);
    const series = await store.loadSeries('run', 'key');
    assert.equal(series.points.length, 0);
    assert.equal(series.diagnostics[0]?.file, file);
  }
});

test('a lock folder that outlives the retry (a long read, a crashed reader): read through a copy, with a warning', async () => {
  const db = copyOf(V212);
  mkdirSync(`${db}.lock`); // how node-sqlite3-wasm marks a database one of its connections is reading
  const store = mlflowSqliteProvider.open(db);
  const locked = await store.scan();
  assert.equal(locked.runs.length, 21);
  assert.deepEqual(locked.diagnostics.map((d) => [d.file, d.severity]), [[db, 'warning']]);
  assert.match(locked.diagnostics[0]!.message, /another reader holds .*mlflow\.db\.lock.*temporary copy/);
  assert.equal((await store.loadSeries('55c38b9b8b424a57abf3d4d480e99380', 'val_rmse')).points.length, 1);
  store.dispose();
  assert.deepEqual(readdirSync(join(db, '..')).sort(), ['mlflow.db', 'mlflow.db.lock'], 'the other reader\'s lock is left alone');
  rmSync(`${db}.lock`, { recursive: true });
  const released = await mlflowSqliteProvider.open(db).scan();
  assert.deepEqual(released.diagnostics, []);
  assert.equal(released.runs.length, 21);
});

test('a database in the middle of a write (hot -journal): one retry, then a Diagnostic instead of half-written pages', async () => {
  const db = copyOf(V212);
  writeFileSync(`${db}-journal`, Buffer.concat([Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]), Buffer.alloc(504)]));
  const store = mlflowSqliteProvider.open(db);
  const writing = await store.scan();
  assert.equal(writing.runs.length, 0);
  assert.equal(writing.diagnostics[0]?.file, db);
  assert.match(writing.diagnostics[0]!.message, /being written.*-journal/);
  rmSync(`${db}-journal`);
  assert.equal((await store.scan()).runs.length, 21);
});

/**
 * Runs `code` (the body of an async function with `provider` in scope) in a child process as a user
 * without root's permission bypass, with `tmp` as its temporary folder, and returns what it returns.
 */
function asUnprivileged(code: string, tmp: string): unknown {
  const script = join(scratch, `probe-${copies++}.ts`);
  const provider = join(__dirname, '..', '..', 'src', 'sources', 'mlflow-sqlite');
  writeFileSync(script, `import { mlflowSqliteProvider as provider } from ${JSON.stringify(provider)};
    (async () => { process.stdout.write(JSON.stringify(await (async () => { ${code} })())); })();`);
  chmodSync(script, 0o644);
  const node = [process.execPath, '--import', 'tsx', script];
  const command = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  const env = { ...process.env, TMPDIR: tmp };
  return JSON.parse(execFileSync(command[0]!, command.slice(1), { encoding: 'utf8', cwd: join(__dirname, '..', '..'), env }));
}

/** A temporary folder anyone may write, whatever the system's /tmp allows. */
function openTmp(): string {
  const tmp = join(scratch, `tmp-${copies++}`);
  mkdirSync(tmp);
  chmodSync(tmp, 0o777);
  return tmp;
}

test('permissions: an unreadable file is a Diagnostic; a read-only folder is read through a temporary copy', async () => {
  chmodSync(scratch, 0o755);
  const unreadable = copyOf(V212);
  chmodSync(join(unreadable, '..'), 0o755);
  chmodSync(unreadable, 0o000);
  const denied = asUnprivileged(`const r = await provider.open(${JSON.stringify(unreadable)}).scan(); return r.diagnostics;`, openTmp());
  assert.deepEqual(denied, [{ file: unreadable, message: `cannot read the database: EACCES: permission denied, open '${unreadable}'`, severity: 'error' }]);

  const readOnly = copyOf(V212);
  const folder = join(readOnly, '..');
  chmodSync(readOnly, 0o644);
  chmodSync(folder, 0o555);
  const tmp = openTmp();
  const read = asUnprivileged(`const store = provider.open(${JSON.stringify(readOnly)});
    const r = await store.scan();
    const series = await store.loadSeries('55c38b9b8b424a57abf3d4d480e99380', 'val_rmse');
    store.dispose();
    return { runs: r.runs.length, diagnostics: r.diagnostics, points: series.points.length, detected: await provider.detect(${JSON.stringify(readOnly)}) };`, tmp);
  assert.deepEqual(read, { runs: 21, diagnostics: [], points: 1, detected: true });
  assert.deepEqual(readdirSync(folder), ['mlflow.db']);
  assert.deepEqual(readdirSync(tmp).filter((name) => name.startsWith('runlens-sqlite-')), [], 'the copies are removed on dispose');
  chmodSync(folder, 0o755);
});

/**
 * Damage confined to single 4 KiB pages (a torn or flipped page), which keeps the rest of the file aligned
 * and so reaches deeper than whole-file mutations, whose inserts and deletes shift every later page.
 */
function* pageMutations(db: Buffer, count: number, seed: number): Generator<Buffer> {
  const PAGE = 4096;
  const next = rng(seed);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * (db.length / PAGE)) * PAGE;
    const [page] = mutations(db.subarray(at, at + PAGE), 1, seed + i);
    const out = Buffer.from(db);
    out.fill(0, at, at + PAGE);
    page!.copy(out, at, 0, Math.min(PAGE, page!.length));
    yield out;
  }
}

// 1500 whole-file and 1500 page-level cases: 10 s on an idle 2-core machine, about 60 s under heavy load.
test('fuzz: mutated copies of a real database never throw, always validate, and name the file', async () => {
  const original = readFileSync(join(FIXTURES, V212));
  const dir = join(scratch, 'fuzz');
  mkdirSync(dir);
  const file = join(dir, 'mlflow.db');
  let withDiagnostics = 0;
  let withRuns = 0;
  for (const bytes of [...mutations(original, 1500, 20240527), ...pageMutations(original, 1500, 4178)]) {
    writeFileSync(file, bytes);
    const store = mlflowSqliteProvider.open(file);
    const result = await store.scan({ includeDeleted: true });
    const parsed = ScanResult.safeParse(result);
    assert.ok(parsed.success, parsed.error?.message);
    assert.ok(result.diagnostics.every((d) => d.file === file));
    if (result.diagnostics.length > 0) withDiagnostics++;
    const run = result.runs[0];
    if (run) {
      withRuns++;
      const series = await store.loadSeries(run.id, Object.keys(run.metrics)[0] ?? 'x');
      assert.ok(series.diagnostics.every((d) => d.file === file));
    }
    store.dispose();
  }
  assert.ok(withDiagnostics > 0 && withRuns > 0, `${withDiagnostics} cases with diagnostics, ${withRuns} with runs`);
  assert.deepEqual(readdirSync(dir), ['mlflow.db'], 'no lock folder or temporary file left behind');
});
