// Experiments and runs with their params and tags. One query each, streamed once into the Run objects:
// the cost does not grow with a query per run.
import type { Database } from 'node-sqlite3-wasm';
import { RunStatus, type Experiment, type Run } from '../../core/model';
import { mlflowGitLink } from '../shared/mlflow-tags';
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
  const sql = `SELECT run_uuid, json_group_object(CAST(key AS TEXT), coalesce(CAST(value AS TEXT), '')) AS pairs
    FROM ${table} WHERE key IS NOT NULL GROUP BY run_uuid`;
  for (const row of rows(db, sql)) {
    const run = runs.get(text(row.run_uuid) ?? '');
    if (run) run[table] = JSON.parse(text(row.pairs) ?? '{}') as Record<string, string>;
  }
}

/** Fills what only the tags tell: the git link and, for runs logged before MLflow had a name column, the name. */
export function completeFromTags(run: Run): void {
  run.name ||= run.tags['mlflow.runName'] || run.id;
  run.git = mlflowGitLink(run.tags);
}

