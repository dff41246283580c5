// Turns the cached tree of a file store into a ScanResult.
import { join } from 'node:path';
import type { Dataset, Diagnostic, Experiment, MetricSummary, ModelVersion, Run, ScanResult } from '../../core/model';
import { mlflowGitLink } from '../shared/mlflow-tags';
import { META, type Cached, type FileSet } from './file-set';
import type { Problem } from './files';
import type { ExperimentNode, RunNode } from './experiments';
import type { RunMeta } from './meta';
import { modelVersions, type ModelNode } from './registry';

export interface StoreTree {
  location: string;
  experiments: Iterable<ExperimentNode>;
  models: Iterable<ModelNode>;
  /** problems listing the store's own folders, by path */
  problems: Iterable<[string, Problem]>;
}

const NOT_AN_EXPERIMENT: Problem = { message: 'folder without meta.yaml: not an MLflow experiment, skipped', severity: 'warning' };
const RUN_WITHOUT_META: Problem = { message: 'run folder without meta.yaml, skipped', severity: 'warning' };
const MODEL_WITHOUT_META: Problem = { message: 'registered model folder without meta.yaml', severity: 'warning' };

const valuesOf = (set: FileSet<Cached<string>>): Record<string, string> =>
  Object.fromEntries([...set.entries].flatMap(([key, entry]) => (entry.value === undefined ? [] : [[key, entry.value]])));

const trimmed = (value: string | undefined): string | undefined => value?.trim() || undefined;

function toRun(tree: StoreTree, experiment: Experiment, run: RunNode, meta: RunMeta): Run {
  const tags = valuesOf(run.tags);
  const metrics: Record<string, MetricSummary> = Object.fromEntries(
    [...run.metrics.entries].flatMap(([key, entry]) => (entry.summary ? [[key, entry.summary]] : [])),
  );
  return {
    id: run.id,
    // 2.x `run_name`; 1.x keeps the name in the mlflow.runName tag and writes `name: ''`
    name: meta.name ?? trimmed(tags['mlflow.runName']) ?? run.id,
    experiment: experiment.name,
    experimentId: experiment.id,
    status: meta.status,
    startTime: meta.startTime,
    endTime: meta.endTime,
    params: valuesOf(run.params),
    tags,
    metrics,
    git: mlflowGitLink(tags),
    source: 'mlflow-file',
    store: tree.location,
    path: run.dir,
    artifactUri: meta.artifactUri,
    deleted: meta.deleted || experiment.deleted,
  };
}

/** The run built from `node`, or the one built last time when nothing it depends on changed. */
function runOf(tree: StoreTree, experiment: Experiment, node: RunNode, meta: RunMeta): Run {
  const from = [node.meta, node.metrics.version, node.params.version, node.tags.version, experiment.name, experiment.id, experiment.deleted];
  if (node.built && from.every((item, i) => item === node.built!.from[i])) return node.built.run;
  const run = toRun(tree, experiment, node, meta);
  node.built = { run, from };
  return run;
}

/** Datasets by (name, digest), with the runs that logged them as inputs. */
class DatasetIndex {
  private readonly byKey = new Map<string, Dataset>();

  constructor(private readonly store: string) {}

  addInputs(experiment: ExperimentNode, run: RunNode): void {
    for (const input of run.inputs.entries.values()) {
      const meta = input.value && experiment.datasets.entries.get(input.value.datasetId)?.value;
      if (!meta) continue;
      const key = `${meta.name}\u0000${meta.digest}`;
      const dataset = this.byKey.get(key) ?? {
        name: meta.name,
        digest: meta.digest,
        sourceUri: meta.source,
        sourceType: meta.sourceType,
        profile: meta.profile,
        runs: [],
        source: 'mlflow-file',
        store: this.store,
      };
      if (!dataset.runs.includes(run.id)) dataset.runs.push(run.id);
      this.byKey.set(key, dataset);
    }
  }

  get datasets(): Dataset[] {
    return [...this.byKey.values()];
  }
}

function* problemsOf(experiment: ExperimentNode): Generator<[string, Problem]> {
  if (!experiment.meta) {
    yield [experiment.dir, NOT_AN_EXPERIMENT];
    return;
  }
  if (experiment.meta.problem) yield [join(experiment.dir, META), experiment.meta.problem];
  if (experiment.listProblem) yield [experiment.dir, experiment.listProblem];
  yield* experiment.datasets.problems();
  for (const run of experiment.runs.values()) {
    if (!run.meta) yield [run.dir, RUN_WITHOUT_META];
    else if (run.meta.problem) yield [join(run.dir, META), run.meta.problem];
    for (const set of [run.metrics, run.params, run.tags, run.inputs]) yield* set.problems();
  }
}

function* modelProblems(model: ModelNode): Generator<[string, Problem]> {
  if (!model.meta) yield [model.dir, MODEL_WITHOUT_META];
  else if (model.meta.problem) yield [join(model.dir, META), model.meta.problem];
  yield* model.versions.problems();
  yield* model.aliases.problems();
}

/** Code-point order: deterministic and cheap (sorting thousands of runs). */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byStartDescending = (a: Run, b: Run) => (b.startTime ?? 0) - (a.startTime ?? 0) || compareText(a.id, b.id);
const byModelVersion = (a: ModelVersion, b: ModelVersion) =>
  compareText(a.model, b.model) || Number(a.version) - Number(b.version) || compareText(a.version, b.version);

/** Everything visible in the tree; deleted experiments, runs and model versions only with `includeDeleted`. */
export function assemble(tree: StoreTree, includeDeleted: boolean): ScanResult {
  const experiments: Experiment[] = [];
  const runs: Run[] = [];
  const datasets = new DatasetIndex(tree.location);
  const problems: [string, Problem][] = [...tree.problems];
  for (const node of tree.experiments) {
    for (const problem of problemsOf(node)) problems.push(problem);
    if (!node.meta) continue;
    const meta = node.meta.value;
    const experiment: Experiment = {
      id: node.id,
      name: meta?.name ?? node.id,
      source: 'mlflow-file',
      store: tree.location,
      deleted: node.trashed || (meta?.deleted ?? false),
      artifactLocation: meta?.artifactLocation,
    };
    if (experiment.deleted && !includeDeleted) continue;
    experiments.push(experiment);
    for (const runNode of node.runs.values()) {
      if (!runNode.meta?.value) continue;
      const run = runOf(tree, experiment, runNode, runNode.meta.value);
      if (run.deleted && !includeDeleted) continue;
      runs.push(run);
      datasets.addInputs(node, runNode);
    }
  }
  const models: ModelVersion[] = [];
  for (const model of tree.models) {
    for (const problem of modelProblems(model)) problems.push(problem);
    models.push(...modelVersions(model, tree.location, includeDeleted));
  }
  const diagnostics: Diagnostic[] = problems.map(([file, problem]) => ({ file, ...problem }));
  return {
    experiments: experiments.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id)),
    runs: runs.sort(byStartDescending),
    models: models.sort(byModelVersion),
    datasets: datasets.datasets.sort((a, b) => compareText(a.name, b.name) || compareText(a.digest, b.digest)),
    diagnostics: diagnostics.sort((a, b) => compareText(a.file, b.file)),
  };
}
