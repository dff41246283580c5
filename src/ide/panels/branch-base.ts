// This branch against its base: the best run of each by the primary metric, and the delta between them.
// The status bar shows it; "Compare Branch with Base" opens it.
import { bestRun } from '../../core/compare';
import { primaryMetricKey, type Catalog, type ScopedRun } from '../../core/catalog';
import { isBetter, metricDirection, type Direction, type DirectionOverrides } from '../../core/direction';

export interface BranchVersusBase {
  branchRuns: number;
  /** the metric runs are ranked by; undefined when no run has a metric */
  metric?: string;
  direction?: Direction;
  branchBest?: ScopedRun;
  baseBest?: ScopedRun;
  /** branch best − base best */
  delta?: number;
  better?: boolean;
}

/**
 * The configured primary metric when a run of the branch or the base has it, else the first metric of the
 * newest branch run (of the newest base run when the branch has none).
 */
export function branchVersusBase(catalog: Catalog, configured: string | undefined, directions: DirectionOverrides): BranchVersusBase {
  const branch = catalog.runs.filter((run) => run.scope === 'branch');
  const base = catalog.runs.filter((run) => run.scope === 'base');
  const candidates = [...branch, ...base];
  const newest = [...branch].sort(newestFirst)[0] ?? [...base].sort(newestFirst)[0];
  const metric = configured && candidates.some((run) => configured in run.metrics) ? configured : newest && primaryMetricKey(newest, undefined);
  if (!metric) return { branchRuns: branch.length };
  const direction = metricDirection(metric, directions);
  const branchBest = bestRun(branch, metric, directions);
  const baseBest = bestRun(base, metric, directions);
  const result: BranchVersusBase = { branchRuns: branch.length, metric, direction, branchBest, baseBest };
  if (branchBest && baseBest) {
    const value = branchBest.metrics[metric]!.last;
    const reference = baseBest.metrics[metric]!.last;
    result.delta = value - reference;
    result.better = isBetter(value, reference, direction);
  }
  return result;
}

const newestFirst = (a: ScopedRun, b: ScopedRun) => (b.startTime ?? 0) - (a.startTime ?? 0);
