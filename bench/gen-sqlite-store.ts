// Generates a large MLflow SQLite store: the real MLflow 2.12 schema (mlflow-2.12-schema.sql), filled
// through the sqlite3 CLI in one transaction. Runs, params and tags come as generated INSERTs; the
// metric history comes from a recursive CTE, and latest_metrics holds each run's last step of each key,
// as MLflow's SQLAlchemyStore keeps it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Stamp } from './data';
import {
  FALLING_KEYS, METRIC_KEYS, STEP_MS, USER, syntheticExperiments, syntheticRuns, type StoreShape,
} from './synthetic';

/** 10,000 runs x 5 keys x 20 steps = 1M metric rows. */
export const SQLITE_STORE_SHAPE: StoreShape = { experiments: 5, runs: 10_000, metrics: 5, steps: 20, params: 20, seed: 2 };
export const SQLITE_STORE_STAMP: Stamp = { generator: 'mlflow-sqlite', version: 1, spec: SQLITE_STORE_SHAPE };

const SCHEMA = join(__dirname, 'mlflow-2.12-schema.sql');
const ALEMBIC_VERSION = 'acf3f17fdcc7';
const ROWS_PER_INSERT = 1000;

export function generateSqliteStore(dbPath: string, shape: StoreShape = SQLITE_STORE_SHAPE): void {
  execFileSync('sqlite3', [dbPath], { input: generationSql(dbPath, shape), stdio: ['pipe', 'ignore', 'inherit'] });
}

function generationSql(dbPath: string, shape: StoreShape): string {
  const artifactRoot = join(dirname(dbPath), 'mlruns');
  const experiments = syntheticExperiments(shape, String);
  const runs = syntheticRuns(shape, experiments);
  const keys = METRIC_KEYS.slice(0, shape.metrics);
  return [
    'PRAGMA journal_mode = OFF;',
    'PRAGMA synchronous = OFF;',
    'PRAGMA cache_size = -262144;',
    readFileSync(SCHEMA, 'utf8'),
    'BEGIN;',
    inserts('alembic_version', ['version_num'], [[ALEMBIC_VERSION]]),
    inserts('experiments', ['experiment_id', 'name', 'artifact_location', 'lifecycle_stage', 'creation_time', 'last_update_time'],
      experiments.map((e) => [Number(e.id), e.name, join(artifactRoot, e.id), 'active', e.creationTime, e.creationTime])),
    inserts('runs', ['run_uuid', 'name', 'source_type', 'source_name', 'entry_point_name', 'user_id', 'status', 'start_time',
      'end_time', 'source_version', 'lifecycle_stage', 'artifact_uri', 'experiment_id'],
    runs.map((r) => [r.id, r.name, 'UNKNOWN', '', '', USER, r.status, r.startTime, r.endTime ?? null, '', 'active',
      join(artifactRoot, r.experimentId, r.id, 'artifacts'), Number(r.experimentId)])),
    inserts('params', ['key', 'value', 'run_uuid'], runs.flatMap((r) => r.params.map(([key, value]) => [key, value, r.id]))),
    inserts('tags', ['key', 'value', 'run_uuid'], runs.flatMap((r) => [
      ['mlflow.runName', r.name, r.id],
      ['mlflow.source.git.commit', r.commit, r.id],
      ['mlflow.source.name', 'train.py', r.id],
      ['mlflow.source.type', 'LOCAL', r.id],
      ['mlflow.user', USER, r.id],
    ])),
    'CREATE TEMP TABLE metric_keys (k INTEGER, key TEXT, falling INTEGER);',
    inserts('metric_keys', ['k', 'key', 'falling'], keys.map((key, k) => [k, key, FALLING_KEYS.has(key) ? 1 : 0])),
    metricHistorySql(shape.steps),
    `INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)
       SELECT key, value, timestamp, step, is_nan, run_uuid FROM metrics WHERE step = ${shape.steps - 1};`,
    'COMMIT;',
  ].join('\n');
}

/**
 * Every run logs every key at steps 0..steps-1: an exponential approach with noise, its scale, time
 * constant and noise derived from the run's rowid so the data is deterministic (the same curve shape
 * the file store generator draws).
 */
const metricHistorySql = (steps: number) => `
WITH RECURSIVE step(s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM step WHERE s < ${steps - 1}),
curve AS (
  SELECT r.run_uuid, r.start_time, mk.k, mk.key, mk.falling, step.s,
    (0.5 + ((r.rowid * 7919 + mk.k * 104729) % 1000) / 1000.0)
      * exp(-step.s / (${steps} * (0.05 + 0.3 * ((r.rowid * 15485863 + mk.k * 32452843) % 1000) / 1000.0)))
      + 0.01 * ((r.rowid * 1000003 + mk.k * 97 + step.s * 7349) % 10007) / 10007.0 AS decay
  FROM runs r JOIN metric_keys mk JOIN step
)
INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
  SELECT key, CASE WHEN falling THEN 0.002 + decay ELSE max(0.002, 1 - decay) END,
    start_time + s * ${STEP_MS} + k, run_uuid, s, 0
  FROM curve;`;

type SqlValue = string | number | null;

function inserts(table: string, columns: string[], rows: SqlValue[][]): string {
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const values = rows.slice(start, start + ROWS_PER_INSERT).map((row) => `(${row.map(sqlLiteral).join(', ')})`);
    statements.push(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES\n${values.join(',\n')};`);
  }
  return statements.join('\n');
}

function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}
