// Experiments and runs with their params, tags and metric summaries. A constant number of queries, each
// streamed once into the Run objects: the cost does not grow with a query per run.
import type { Database } from 'node-sqlite3-wasm';
import { RunStatus, type Experiment, type GitLink, type MetricPoint, type Run } from '../../core/model';
import type { Schema } from './schema';
import { num, rows, text } from './sqlite';

export function readExperiments(db: Database, store: string): Map<string, Experiment> {
  const experiments = new Map<string, Experiment>();
  const sql = 'SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments ORDER BY experiment_id';
  for (const row of rows(db, sql)) {
    const id = text(row.experiment_id);
    if (id === undefined) continue;
    experiments.set(id, {
      id,
      name: text(row.name) ?? id,
      source: 'mlflow-sqlite',
      store,
      deleted: row.lifecycle_stage === 'deleted',
      artifactLocation: text(row.artifact_location),
    });
  }
  return experiments;
}

/**
 * Runs, newest first (MLflow's own order), with empty params, tags and metrics for the passes that follow.
 * A run of a deleted experiment counts as deleted, as MLflow no longer shows it.
 */
export function readRuns(db: Database, schema: Schema, experiments: ReadonlyMap<string, Experiment>, store: string): Map<string, Run> {
  const runs = new Map<string, Run>();
  const name = schema.column('runs', 'name', 'NULL');
  const sql = `SELECT run_uuid, ${name} AS name, status, start_time, end_time, lifecycle_stage, artifact_uri, experiment_id
    FROM runs ORDER BY start_time DESC, run_uuid`;
  for (const row of rows(db, sql)) {
    const id = text(row.run_uuid);
    if (id === undefined) continue;
    const experimentId = text(row.experiment_id) ?? '';
    const status = RunStatus.safeParse(row.status);
    runs.set(id, {
      id,
      name: text(row.name) ?? '',
      experiment: experiments.get(experimentId)?.name ?? experimentId,
      experimentId,
      status: status.success ? status.data : 'UNKNOWN',
      startTime: num(row.start_time),
      endTime: num(row.end_time),
      params: {},
      tags: {},
      metrics: {},
      git: {},
      source: 'mlflow-sqlite',
      store,
      path: store,
      artifactUri: text(row.artifact_uri),
      deleted: row.lifecycle_stage === 'deleted' || experiments.get(experimentId)?.deleted === true,
    });
  }
  return runs;
}

/**
 * Params or tags, one row per run: SQLite folds a run's pairs into a JSON object, which is far cheaper to
 * hand from WASM to JavaScript than one row per pair.
 */
export function readKeyValues(db: Database, table: 'params' | 'tags', runs: ReadonlyMap<string, Run>): void {
  const sql = `SELECT run_uuid, json_group_object(CAST(key AS TEXT), CAST(value AS TEXT)) AS pairs
    FROM ${table} WHERE key IS NOT NULL GROUP BY run_uuid`;
  for (const row of rows(db, sql)) {
    const run = runs.get(text(row.run_uuid) ?? '');
    if (run) run[table] = stringRecord(text(row.pairs));
  }
}

function stringRecord(json: string | undefined): Record<string, string> {
  const record = JSON.parse(json ?? '{}') as Record<string, unknown>;
  for (const key of Object.keys(record)) if (typeof record[key] !== 'string') record[key] = String(record[key] ?? '');
  return record as Record<string, string>;
}

/**
 * The condition for a metric row the model can hold. MLflow stores NaN as 0 with `is_nan` set; NaN and
 * ±Infinity are left out, as the file store reader leaves them out, since the model's numbers are finite.
 */
function finiteRow(isNan: string): string {
  return `NOT ${isNan} AND abs(value) <= 1.7976931348623157e308`;
}

/** The last finite row of each run's metrics among those matching `where`, by (step, timestamp, value) as MLflow picks it. */
function lastRows(schema: Schema, where: string): string {
  const step = schema.column('metrics', 'step', '0');
  return `SELECT run_uuid, key, value, step, timestamp FROM (
      SELECT run_uuid, key, value, ${step} AS step, timestamp,
        row_number() OVER (PARTITION BY run_uuid, key ORDER BY ${step} DESC, timestamp DESC, value DESC) AS rank
      FROM metrics WHERE ${finiteRow(schema.column('metrics', 'is_nan', '0'))} AND ${where}) WHERE rank = 1`;
}

/**
 * The last finite value of every run's metrics: MLflow's `latest_metrics`, except where its latest value is
 * NaN or infinite, and in databases older than that table, where it comes from the history.
 */
function lastValues(schema: Schema): string {
  if (!schema.has('latest_metrics')) return lastRows(schema, '1');
  const finite = finiteRow('is_nan');
  return `SELECT run_uuid, key, value, step, timestamp FROM latest_metrics WHERE ${finite}
    UNION ALL ${lastRows(schema, `(run_uuid, key) IN (SELECT run_uuid, key FROM latest_metrics WHERE NOT (${finite}))`)}`;
}

/**
 * Metric summaries: count, min and max aggregated over the whole history in one query, joined to the last
 * value. MATERIALIZED keeps SQLite from running the aggregation once for each branch of the UNION ALL.
 */
export function readMetricSummaries(db: Database, schema: Schema, runs: ReadonlyMap<string, Run>): void {
  const sql = `WITH a AS MATERIALIZED (
      SELECT run_uuid, key, count(*) AS count, min(value) AS min, max(value) AS max
      FROM metrics NOT INDEXED WHERE ${finiteRow(schema.column('metrics', 'is_nan', '0'))} GROUP BY run_uuid, key)
    SELECT a.run_uuid, a.key, a.count, a.min, a.max, l.value, l.step, l.timestamp
    FROM a JOIN (${lastValues(schema)}) AS l ON l.run_uuid = a.run_uuid AND l.key = a.key`;
  for (const row of rows(db, sql)) {
    const run = runs.get(text(row.run_uuid) ?? '');
    const key = text(row.key);
    const [last, min, max, count] = [num(row.value), num(row.min), num(row.max), num(row.count)];
    if (!run || key === undefined || last === undefined || min === undefined || max === undefined || count === undefined) continue;
    run.metrics[key] = { key, last, step: num(row.step) ?? 0, timestamp: num(row.timestamp), min, max, count };
  }
}

/** The full history of one metric of one run, ordered by step then timestamp (finite values only). */
export function readSeries(db: Database, schema: Schema, runId: string, key: string): MetricPoint[] {
  const step = schema.column('metrics', 'step', '0');
  const sql = `SELECT value, ${step} AS step, timestamp FROM metrics
    WHERE run_uuid = ? AND key = ? AND ${finiteRow(schema.column('metrics', 'is_nan', '0'))} ORDER BY ${step}, timestamp`;
  const points: MetricPoint[] = [];
  for (const row of rows(db, sql, [runId, key])) {
    const value = num(row.value);
    if (value !== undefined) points.push({ step: num(row.step) ?? 0, value, timestamp: num(row.timestamp) ?? 0 });
  }
  return points;
}

/** Fills what only the tags tell: the git link and, for runs logged before MLflow had a name column, the name. */
export function completeFromTags(run: Run): void {
  run.name ||= run.tags['mlflow.runName'] ?? run.id;
  run.git = gitLink(run.tags);
}

function gitLink(tags: Readonly<Record<string, string>>): GitLink {
  const link: GitLink = {};
  const commit = tags['mlflow.source.git.commit'];
  const branch = tags['mlflow.source.git.branch'];
  const repoUrl = tags['mlflow.source.git.repoURL'] ?? tags['mlflow.gitRepoURL'];
  if (commit) link.commit = commit;
  if (branch) link.branch = branch;
  if (repoUrl) link.repoUrl = repoUrl;
  return link;
}
