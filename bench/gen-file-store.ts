// Generates a large MLflow FileStore `mlruns/` in the layout MLflow 2.x writes (shapes copied from the
// real fixture mlflow-2.17-country-guess): `<exp>/meta.yaml`, `<exp>/<run>/meta.yaml`,
// `metrics/<key>` with lines `<timestamp_ms> <value> <step>\n`, and `params/<key>`, `tags/<key>`
// holding the bare value without a trailing newline.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stamp } from './data';
import { decimalId, seededRandom } from './random';
import {
  FALLING_KEYS, METRIC_KEYS, STEP_MS, USER, syntheticExperiments, syntheticRuns,
  type StoreShape, type SyntheticExperiment, type SyntheticRun, type SyntheticStatus,
} from './synthetic';

export const FILE_STORE_SHAPE: StoreShape = { experiments: 4, runs: 2000, metrics: 10, steps: 1000, params: 20, seed: 1 };
export const FILE_STORE_STAMP: Stamp = { generator: 'mlflow-file', version: 1, spec: FILE_STORE_SHAPE };

/** Runs written at the same time; each writes its ~35 files at once. */
const CONCURRENT_RUNS = 16;
/** MLflow's RunStatus numbers as the FileStore writes them into meta.yaml. */
const STATUS_NUMBER: Record<SyntheticStatus, number> = { RUNNING: 1, FINISHED: 3, FAILED: 4 };

export async function generateFileStore(root: string, shape: StoreShape = FILE_STORE_SHAPE): Promise<void> {
  const random = seededRandom(shape.seed);
  const experiments = syntheticExperiments(shape, (index) => (index === 0 ? '0' : decimalId(random, 18)));
  await Promise.all(experiments.map(async (experiment) => {
    await mkdir(join(root, experiment.id), { recursive: true });
    await writeFile(join(root, experiment.id, 'meta.yaml'), experimentMeta(root, experiment));
  }));
  const runs = syntheticRuns(shape, experiments);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) await writeRun(root, runs[next++], shape);
  };
  await Promise.all(Array.from({ length: CONCURRENT_RUNS }, worker));
}

async function writeRun(root: string, run: SyntheticRun, shape: StoreShape): Promise<void> {
  const dir = join(root, run.experimentId, run.id);
  await Promise.all(['metrics', 'params', 'tags'].map((sub) => mkdir(join(dir, sub), { recursive: true })));
  const tags: [string, string][] = [
    ['mlflow.runName', run.name],
    ['mlflow.source.git.commit', run.commit],
    ['mlflow.source.name', 'train.py'],
    ['mlflow.source.type', 'LOCAL'],
    ['mlflow.user', USER],
  ];
  const random = seededRandom(shape.seed * 1_000_003 + run.index);
  await Promise.all([
    writeFile(join(dir, 'meta.yaml'), runMeta(root, run)),
    ...METRIC_KEYS.slice(0, shape.metrics).map((key, k) => writeFile(join(dir, 'metrics', key), metricLines(run, key, k, shape.steps, random))),
    ...run.params.map(([key, value]) => writeFile(join(dir, 'params', key), value)),
    ...tags.map(([key, value]) => writeFile(join(dir, 'tags', key), value)),
  ]);
}

/** One training curve: exponential approach with noise, logged at every step. */
function metricLines(run: SyntheticRun, key: string, keyIndex: number, steps: number, random: () => number): string {
  const scale = 0.5 + random();
  const tau = steps * (0.05 + 0.3 * random());
  const falling = FALLING_KEYS.has(key);
  const lines = new Array<string>(steps);
  for (let step = 0; step < steps; step++) {
    const decay = scale * Math.exp(-step / tau) + 0.01 * random();
    const value = falling ? 0.002 + decay : Math.max(0.002, 1 - decay);
    lines[step] = `${run.startTime + step * STEP_MS + keyIndex} ${pythonFloat(value)} ${step}\n`;
  }
  return lines.join('');
}

/** Python's str(float) for the values generated here: integral values keep a `.0`. */
const pythonFloat = (value: number) => (Number.isInteger(value) ? value.toFixed(1) : String(value));

const experimentMeta = (root: string, e: SyntheticExperiment) => `artifact_location: file://${join(root, e.id)}
creation_time: ${e.creationTime}
experiment_id: '${e.id}'
last_update_time: ${e.creationTime}
lifecycle_stage: active
name: ${e.name}
${e.id === '0' ? 'tags: {}\n' : ''}`;

const runMeta = (root: string, run: SyntheticRun) => `artifact_uri: file://${join(root, run.experimentId, run.id, 'artifacts')}
end_time: ${run.endTime ?? 'null'}
entry_point_name: ''
experiment_id: '${run.experimentId}'
lifecycle_stage: active
run_id: ${run.id}
run_name: ${run.name}
run_uuid: ${run.id}
source_name: ''
source_type: 4
source_version: ''
start_time: ${run.startTime}
status: ${STATUS_NUMBER[run.status]}
tags: []
user_id: ${USER}
`;
