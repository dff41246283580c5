// Metric summaries and histories. A summary's count, min and max are aggregated over the `metrics` table,
// its last value comes from MLflow's `latest_metrics`: one query (two when a latest value is NaN), however
// many runs there are.
import type { Database } from 'node-sqlite3-wasm';
import type { MetricPoint, MetricSummary, Run } from '../../core/model';
import type { Schema } from './schema';
import { num, rows, text } from './sqlite';

/**
 * The condition for a metric row the model can hold. MLflow stores NaN as 0 with `is_nan` set; NaN and
 * ±Infinity are left out, as the file store reader leaves them out, since the model's numbers are finite.
 */
function finiteRow(schema: Schema): string {
  return `NOT ${schema.column('metrics', 'is_nan', '0')} AND abs(value) <= 1.7976931348623157e308`;
}

/** The last finite row of each run's metrics among those matching `where`, by (step, timestamp, value) as MLflow picks it. */
function lastRows(schema: Schema, where: string): string {
  const step = schema.column('metrics', 'step', '0');
  return `SELECT run_uuid, key, value, step, timestamp, 0 AS is_nan FROM (
      SELECT run_uuid, key, value, ${step} AS step, timestamp,
        row_number() OVER (PARTITION BY run_uuid, key ORDER BY ${step} DESC, timestamp DESC, value DESC) AS rank
      FROM metrics WHERE ${finiteRow(schema)} AND ${where}) WHERE rank = 1`;
}

/**
 * One row per run: its metrics as a JSON array of [key, count, min, max, last, step, timestamp, last is NaN]
 * tuples (one string per run crosses from WASM to JavaScript far cheaper than eight columns per metric).
 * With indexes on `run_uuid` (MLflow 1.26+), run by run: many small sorts instead of one sort of the whole
 * table, which would grow WASM memory by some 90 MB per million rows, for good (it never shrinks).
 */
function summariesByRun(schema: Schema): string {
  const finite = finiteRow(schema);
  const tuple = `json_array(CAST(a.key AS TEXT), a.count, CAST(a.min AS REAL), CAST(a.max AS REAL),
    CAST(l.value AS REAL), CAST(l.step AS INTEGER), CAST(l.timestamp AS INTEGER), l.is_nan)`;
  const aggregates = 'key, count(*) AS count, min(value) AS min, max(value) AS max FROM metrics';
  if (schema.isIndexed('metrics', 'run_uuid') && schema.isIndexed('latest_metrics', 'run_uuid')) {
    // `+l.key` keeps SQLite off the (key, run_uuid) primary key, whose entries for one run lie far apart.
    return `SELECT r.run_uuid, (SELECT json_group_array(${tuple})
        FROM (SELECT ${aggregates} WHERE run_uuid = r.run_uuid AND ${finite} GROUP BY key) AS a
        LEFT JOIN latest_metrics AS l ON l.run_uuid = r.run_uuid AND +l.key = a.key) AS metrics
      FROM runs AS r`;
  }
  const latest = schema.has('latest_metrics') ? 'latest_metrics' : `(${lastRows(schema, '1')})`;
  return `SELECT a.run_uuid, json_group_array(${tuple}) AS metrics
    FROM (SELECT run_uuid, ${aggregates} WHERE ${finite} GROUP BY run_uuid, key) AS a
    LEFT JOIN ${latest} AS l ON l.run_uuid = a.run_uuid AND l.key = a.key
    GROUP BY a.run_uuid`;
}

type Tuple = [key: unknown, count: unknown, min: unknown, max: unknown, last: unknown, step: unknown, timestamp: unknown, isNan: unknown];
type Aggregates = Omit<MetricSummary, 'last' | 'step' | 'timestamp'>;
type Last = Pick<MetricSummary, 'last' | 'step' | 'timestamp'>;

/** Written out rather than spread: V8 keeps a spread of two objects in about twice the memory, for each of maybe a million summaries. */
function summaryOf(a: Aggregates, l: Last): MetricSummary {
  return { key: a.key, last: l.last, step: l.step, timestamp: l.timestamp, min: a.min, max: a.max, count: a.count };
}

function lastOf(value: unknown, step: unknown, timestamp: unknown): Last | undefined {
  const last = num(value);
  return last === undefined ? undefined : { last, step: num(step) ?? 0, timestamp: num(timestamp) };
}

/**
 * Fills `run.metrics`. The last value comes from `latest_metrics` (in databases older than that table, from
 * the history); where MLflow's latest value is NaN or infinite, one more query finds the last finite one.
 */
export function readMetricSummaries(db: Database, schema: Schema, runs: ReadonlyMap<string, Run>): void {
  const pending = new Map<string, { run: Run; aggregates: Aggregates }>();
  for (const row of rows(db, summariesByRun(schema))) {
    const run = runs.get(text(row.run_uuid) ?? '');
    if (!run) continue;
    for (const [key, count, min, max, value, step, timestamp, isNan] of JSON.parse(text(row.metrics) ?? '[]') as Tuple[]) {
      const aggregates = { key: text(key), count: num(count), min: num(min), max: num(max) };
      if (!isComplete(aggregates)) continue;
      const last = isNan ? undefined : lastOf(value, step, timestamp);
      if (last) run.metrics[aggregates.key] = summaryOf(aggregates, last);
      else pending.set(JSON.stringify([run.id, aggregates.key]), { run, aggregates });
    }
  }
  if (pending.size === 0) return;
  const pairs = '(run_uuid, key) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))';
  for (const row of rows(db, lastRows(schema, pairs), `[${[...pending.keys()].join(',')}]`)) {
    const found = pending.get(JSON.stringify([text(row.run_uuid), text(row.key)]));
    const last = lastOf(row.value, row.step, row.timestamp);
    if (found && last) found.run.metrics[found.aggregates.key] = summaryOf(found.aggregates, last);
  }
}

function isComplete(a: { [K in keyof Aggregates]: Aggregates[K] | undefined }): a is Aggregates {
  return a.key !== undefined && a.count !== undefined && a.min !== undefined && a.max !== undefined;
}

/** The full history of one metric of one run, ordered by step then timestamp (finite values only). */
export function readSeries(db: Database, schema: Schema, runId: string, key: string): MetricPoint[] {
  const step = schema.column('metrics', 'step', '0');
  const sql = `SELECT value, ${step} AS step, timestamp FROM metrics
    WHERE run_uuid = ? AND key = ? AND ${finiteRow(schema)} ORDER BY ${step}, timestamp`;
  const points: MetricPoint[] = [];
  for (const row of rows(db, sql, [runId, key])) {
    const value = num(row.value);
    if (value !== undefined) points.push({ step: num(row.step) ?? 0, value, timestamp: num(row.timestamp) ?? 0 });
  }
  return points;
}
