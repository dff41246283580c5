// "Re-run with changes": the launch spec a run came from and the values it ran with. Editor-free.
import { initialValues, launchOf, type LaunchRecord } from '../../core/launch';
import type { Run } from '../../core/model';
import { projectRoot } from '../../sources/dvc/store';
import type { LaunchSpec } from './spec';

export interface RerunStart {
  spec: LaunchSpec;
  values: Record<string, string>;
}

/**
 * Where a run came from, most certain first: the Runlens launch that made it (its spec and params); the
 * MLflow Project entry point `mlflow run` tagged it with (`mlflow.project.entryPoint`, in the project that
 * `mlflow.source.name`'s `#subdirectory` names when several have that entry point); or, for a DVC run, the
 * whole pipeline. The run's params fill the parameters of the same name.
 */
export function rerunStart(run: Run & { key: string }, specs: readonly LaunchSpec[], records: readonly LaunchRecord[], now: number): RerunStart | undefined {
  const record = launchOf(run, run.key, records, now);
  const launched = record && specs.find((spec) => spec.id === record.spec);
  if (launched) return { spec: launched, values: initialValues(launched.parameters, record.params, run.params) };
  const entryPoint = run.tags['mlflow.project.entryPoint'];
  if (entryPoint) {
    const subdirectory = run.tags['mlflow.source.name']?.split('#')[1];
    const candidates = specs.filter((spec) => spec.kind === 'mlproject' && spec.name === entryPoint);
    const spec = candidates.find((c) => c.project === subdirectory) ?? candidates[0];
    if (spec) return { spec, values: initialValues(spec.parameters, run.params) };
  }
  if (run.source === 'dvc') {
    const pipelines = specs.filter((spec) => spec.kind === 'dvc' && spec.cwd === projectRoot(run.store));
    const spec = pipelines.find((s) => s.name === '*') ?? pipelines[0];
    if (spec) return { spec, values: initialValues(spec.parameters, run.params) };
  }
  return undefined;
}
