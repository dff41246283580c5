// Reads a whole MLflow database into a ScanResult, deleted records included. Each part is read on its
// own: a damaged table costs its own part (as a Diagnostic), not the rest.
import type { Database } from 'node-sqlite3-wasm';
import { emptyScan, type Experiment, type Run, type ScanResult } from '../../core/model';
import { readDatasets, readModelVersions } from './registry';
import { readMetricSummaries } from './metrics';
import { completeFromTags, readExperiments, readKeyValues, readRuns } from './runs';
import type { Schema } from './schema';
import { errorMessage } from './sqlite';

export function readStore(db: Database, schema: Schema, file: string): ScanResult {
  const result = emptyScan();
  const part = (what: string, read: () => void) => {
    try {
      read();
    } catch (error) {
      result.diagnostics.push({ file, message: `cannot read ${what}: ${errorMessage(error)}`, severity: 'error' });
    }
  };
  let experiments = new Map<string, Experiment>();
  let runs = new Map<string, Run>();
  part('experiments', () => (experiments = readExperiments(db, file)));
  part('runs', () => (runs = readRuns(db, schema, experiments, file)));
  part('params', () => readKeyValues(db, 'params', runs));
  part('tags', () => readKeyValues(db, 'tags', runs));
  part('metrics', () => readMetricSummaries(db, schema, runs));
  part('the model registry', () => (result.models = readModelVersions(db, schema, file)));
  part('datasets', () => (result.datasets = readDatasets(db, schema, file)));
  for (const run of runs.values()) completeFromTags(run);
  result.experiments = [...experiments.values()];
  result.runs = [...runs.values()];
  return result;
}

/** What a scan shows: without `includeDeleted`, deleted experiments and runs are hidden, also as dataset users. */
export function visible(result: ScanResult, includeDeleted: boolean): ScanResult {
  if (includeDeleted) return { ...result };
  const runs = result.runs.filter((run) => !run.deleted);
  const shown = new Set(runs.map((run) => run.id));
  return {
    ...result,
    experiments: result.experiments.filter((e) => !e.deleted),
    runs,
    datasets: result.datasets.map((dataset) => ({ ...dataset, runs: dataset.runs.filter((id) => shown.has(id)) })),
  };
}
