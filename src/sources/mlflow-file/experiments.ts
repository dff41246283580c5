// The cached tree of experiments and runs: `<experiment>/meta.yaml`, `<experiment>/<run>/{meta.yaml,
// metrics/,params/,tags/,inputs/}` and `<experiment>/datasets/` (MLflow's FileStore layout).
import { join } from 'node:path';
import { fileRefresh, FileSet, META, refreshFile, revisitFolder, textRefresh, type Cached } from './file-set';
import type { Run } from '../../core/model';
import type { Breather, FileReader, Problem } from './files';
import { parseDatasetMeta, parseExperimentMeta, parseInputMeta, parseRunMeta, type DatasetMeta, type ExperimentMeta, type InputMeta, type RunMeta } from './meta';
import { refreshMetric, type MetricEntry } from './metric-file';

/** Folders of an experiment that are not runs (MLflow's `RESERVED_EXPERIMENT_FOLDERS`). */
const RESERVED = new Set(['tags', 'datasets', 'traces']);

export interface RunNode {
  /** the run id: MLflow finds runs by folder name */
  readonly id: string;
  readonly dir: string;
  /** undefined when the folder has no meta.yaml */
  meta?: Cached<RunMeta>;
  readonly metrics: FileSet<MetricEntry>;
  readonly params: FileSet<Cached<string>>;
  readonly tags: FileSet<Cached<string>>;
  readonly inputs: FileSet<Cached<InputMeta>>;
  /** the Run last built from this node, and what it was built from (see assemble.ts) */
  built?: { run: Run; from: readonly unknown[] };
}

export interface ExperimentNode {
  /** the experiment id: its folder name */
  readonly id: string;
  readonly dir: string;
  /** in `.trash/`: deleted */
  readonly trashed: boolean;
  /** undefined when the folder has no meta.yaml: then it is not an experiment and is not descended into */
  meta?: Cached<ExperimentMeta>;
  readonly runs: Map<string, RunNode>;
  readonly datasets: FileSet<Cached<DatasetMeta>>;
  /** why the folder could not be listed */
  listProblem?: Problem;
}

function newRun(dir: string, id: string): RunNode {
  return {
    id,
    dir,
    metrics: new FileSet(join(dir, 'metrics'), 'tree', refreshMetric),
    params: new FileSet(join(dir, 'params'), 'tree', textRefresh),
    tags: new FileSet(join(dir, 'tags'), 'tree', textRefresh),
    inputs: new FileSet(join(dir, 'inputs'), 'folders', fileRefresh(parseInputMeta)),
  };
}

export function newExperiment(dir: string, id: string, trashed: boolean): ExperimentNode {
  return { id, dir, trashed, runs: new Map(), datasets: new FileSet(join(dir, 'datasets'), 'folders', fileRefresh(parseDatasetMeta)) };
}

/** The run's folder of that name that holds entries. */
function runFolder(run: RunNode, name: string): Pick<FileSet<never>, 'refreshPath'> | undefined {
  switch (name) {
    case 'metrics':
      return run.metrics;
    case 'params':
      return run.params;
    case 'tags':
      return run.tags;
    case 'inputs':
      return run.inputs;
    default:
      return undefined; // artifacts/ and anything else are not read
  }
}

function syncRun(io: FileReader, run: RunNode): void {
  run.meta = refreshFile(io, join(run.dir, META), run.meta, parseRunMeta);
  for (const set of [run.metrics, run.params, run.tags, run.inputs]) set.sync(io);
}

/** Lists the experiment folder and brings every run up to date (re-reading only changed files). */
export async function syncExperiment(io: FileReader, breather: Breather, experiment: ExperimentNode): Promise<void> {
  experiment.meta = refreshFile(io, join(experiment.dir, META), experiment.meta, parseExperimentMeta);
  experiment.listProblem = undefined;
  const listing = experiment.meta ? io.list(experiment.dir) : undefined;
  if (!listing?.ok) {
    if (listing && !listing.missing) experiment.listProblem = { message: `cannot list folder: ${listing.message}`, severity: 'error' };
    experiment.runs.clear();
    return;
  }
  const seen = new Set<string>();
  for (const entry of listing.value) {
    if (RESERVED.has(entry.name) || entry.name.startsWith('.') || !io.isFolder(experiment.dir, entry)) continue;
    seen.add(entry.name);
    const run = experiment.runs.get(entry.name) ?? newRun(join(experiment.dir, entry.name), entry.name);
    experiment.runs.set(entry.name, run);
    syncRun(io, run);
    await breather.breathe();
  }
  for (const id of experiment.runs.keys()) if (!seen.has(id)) experiment.runs.delete(id);
  experiment.datasets.sync(io);
}

/**
 * Revisits one changed path below an experiment folder, given as its path segments below the folder.
 * A new or re-created run folder is read whole; inside a known run only the changed file is.
 */
export async function refreshExperimentPath(io: FileReader, breather: Breather, experiment: ExperimentNode, parts: [string, ...string[]], path: string): Promise<void> {
  const [first, second, ...rest] = parts;
  if (first === META && second === undefined) {
    const wasExperiment = experiment.meta !== undefined;
    experiment.meta = refreshFile(io, path, experiment.meta, parseExperimentMeta);
    if (wasExperiment !== (experiment.meta !== undefined)) await syncExperiment(io, breather, experiment);
    return;
  }
  if (!experiment.meta) return; // not an experiment: nothing below it is read
  if (first === 'datasets') return experiment.datasets.refreshPath(io, path);
  if (RESERVED.has(first) || first.startsWith('.')) return;
  const known = experiment.runs.get(first);
  if (!known || second === undefined) {
    const dir = join(experiment.dir, first);
    revisitFolder(io, experiment.runs, first, dir, () => newRun(dir, first), (run) => syncRun(io, run));
    return;
  }
  if (second === META && rest.length === 0) {
    known.meta = refreshFile(io, path, known.meta, parseRunMeta);
    return;
  }
  runFolder(known, second)?.refreshPath(io, path);
}
