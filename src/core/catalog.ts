// The catalog of one workspace folder: every store's scan merged, each run placed in its branch scope.
// Pure: the service feeds it scans and a git view; the trees and the CLI read it.
import { z } from 'zod';
import { Dataset, Diagnostic, ModelVersion, Run, Scope, type Experiment, type ScanResult } from './model';
import { scopeOf, type GitView } from './scope';

export const ScopedRun = Run.extend({
  scope: Scope,
  /** unique across the folder's stores (two stores may hold the same run id) */
  key: z.string(),
});
export type ScopedRun = z.infer<typeof ScopedRun>;

/** What `runlens scan --json` prints. */
export const ScanReport = z.object({
  runs: z.array(ScopedRun),
  models: z.array(ModelVersion),
  datasets: z.array(Dataset),
  diagnostics: z.array(Diagnostic),
});
export type ScanReport = z.infer<typeof ScanReport>;

export interface Catalog {
  experiments: Experiment[];
  runs: ScopedRun[];
  models: ModelVersion[];
  datasets: Dataset[];
  diagnostics: Diagnostic[];
  git: GitView;
}

export function runKey(run: Pick<Run, 'store' | 'id'>): string {
  return `${run.store}#${run.id}`;
}

export function buildCatalog(scans: readonly ScanResult[], git: GitView): Catalog {
  return {
    experiments: scans.flatMap((s) => s.experiments),
    runs: scans.flatMap((s) => s.runs.map((run) => ({ ...run, scope: scopeOf(run.git, git), key: runKey(run) }))),
    models: scans.flatMap((s) => s.models),
    datasets: scans.flatMap((s) => s.datasets),
    diagnostics: scans.flatMap((s) => s.diagnostics),
    git,
  };
}

/** Re-places runs after a branch switch without re-reading any store. */
export function rescope(catalog: Catalog, git: GitView): Catalog {
  return { ...catalog, runs: catalog.runs.map((run) => ({ ...run, scope: scopeOf(run.git, git) })), git };
}

/** Runs the current-branch view shows: everything but other branches, unless all branches are asked for. */
export function visibleRuns(catalog: Catalog, allBranches: boolean): ScopedRun[] {
  return allBranches ? catalog.runs : catalog.runs.filter((run) => run.scope !== 'other');
}

/** The metric a run is known by: the configured one when the run has it, else its first key in order. */
export function primaryMetricKey(run: Pick<Run, 'metrics'>, configured: string | undefined): string | undefined {
  if (configured && configured in run.metrics) return configured;
  return Object.keys(run.metrics).sort()[0];
}
