// The model registry (versions with their stage and aliases) and the datasets runs logged as inputs.
import type { Database } from 'node-sqlite3-wasm';
import type { Dataset, ModelVersion } from '../../core/model';
import type { Schema } from './schema';
import { num, rows, text } from './sqlite';

/** MLflow's stage for "no stage", and the one it gives soft-deleted versions (never shown by MLflow). */
const NO_STAGE = 'None';
const DELETED_STAGE = 'Deleted_Internal';

export function readModelVersions(db: Database, schema: Schema, store: string): ModelVersion[] {
  if (!schema.has('model_versions')) return [];
  const aliases = schema.has('registered_model_aliases') ? readAliases(db) : new Map<string, string[]>();
  const sql = `SELECT name, version, current_stage, run_id, source, status, description, creation_time
    FROM model_versions WHERE current_stage IS NOT '${DELETED_STAGE}' ORDER BY name, version`;
  const versions: ModelVersion[] = [];
  for (const row of rows(db, sql)) {
    const model = text(row.name);
    const version = text(row.version);
    if (model === undefined || version === undefined) continue;
    const stage = text(row.current_stage);
    versions.push({
      model,
      version,
      stages: stage && stage !== NO_STAGE ? [stage] : [],
      aliases: aliases.get(versionKey(model, version)) ?? [],
      run: text(row.run_id) || undefined,
      sourceUri: text(row.source),
      status: text(row.status),
      description: text(row.description) || undefined,
      createdAt: num(row.creation_time),
      source: 'mlflow-sqlite',
      store,
    });
  }
  return versions;
}

function versionKey(model: string, version: string): string {
  return `${model}\0${version}`;
}

function readAliases(db: Database): Map<string, string[]> {
  const aliases = new Map<string, string[]>();
  for (const row of rows(db, 'SELECT name, version, alias FROM registered_model_aliases ORDER BY alias')) {
    const model = text(row.name);
    const version = text(row.version);
    const alias = text(row.alias);
    if (model === undefined || version === undefined || alias === undefined) continue;
    const key = versionKey(model, version);
    aliases.set(key, [...(aliases.get(key) ?? []), alias]);
  }
  return aliases;
}

/** Datasets with the runs that used them (`inputs` rows from a DATASET to a RUN). */
export function readDatasets(db: Database, schema: Schema, store: string): Dataset[] {
  if (!schema.has('datasets')) return [];
  const datasets = new Map<string, Dataset>();
  const sql = 'SELECT dataset_uuid, name, digest, dataset_source_type, dataset_source, dataset_profile FROM datasets';
  for (const row of rows(db, sql)) {
    const id = text(row.dataset_uuid);
    if (id === undefined) continue;
    const source = text(row.dataset_source);
    datasets.set(id, {
      name: text(row.name) ?? id,
      digest: text(row.digest) ?? '',
      sourceUri: source === undefined ? undefined : sourceUri(source),
      sourceType: text(row.dataset_source_type),
      profile: text(row.dataset_profile),
      runs: [],
      source: 'mlflow-sqlite',
      store,
    });
  }
  if (schema.has('inputs')) {
    const inputs = "SELECT source_id, destination_id FROM inputs WHERE source_type = 'DATASET' AND destination_type = 'RUN'";
    for (const row of rows(db, inputs)) {
      const run = text(row.destination_id);
      if (run !== undefined) datasets.get(text(row.source_id) ?? '')?.runs.push(run);
    }
  }
  return [...datasets.values()];
}

/** Keys under which MLflow's dataset sources (local, http, s3, huggingface, delta, spark…) record where the data is. */
const LOCATION_KEYS = ['uri', 'url', 'path', 'table_name', 'delta_table_name'];

/**
 * Where the data came from, read from the source's JSON; a `code` source (a dataset built in the training
 * script) names that script in its tags.
 */
function sourceUri(json: string): string | undefined {
  let source: unknown;
  try {
    source = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof source !== 'object' || source === null) return undefined;
  const fields = source as Record<string, unknown>;
  const location = LOCATION_KEYS.map((key) => fields[key]).find((value) => typeof value === 'string');
  if (location !== undefined) return location as string;
  const tags = fields.tags as Record<string, unknown> | undefined;
  const script = tags?.['mlflow.source.name'];
  return typeof script === 'string' ? script : undefined;
}
