// What a branch did to the metrics: its best run against the base's best run, plus the datasets and
// model versions that changed on it. `runlens diff`, `runlens check` and the editor share this.
import { z } from 'zod';
import { ScopedRun } from './catalog';
import { bestRun, compareRuns, Comparison } from './compare';
import { metricDirection, type DirectionOverrides } from './direction';
import { Dataset, ModelVersion, type Run } from './model';

export const BranchDiff = z.object({
  base: z.object({ ref: z.string(), commit: z.string().optional() }),
  head: z.object({ ref: z.string(), commit: z.string().optional() }),
  /** the metric the best runs were chosen by */
  metric: z.string().optional(),
  baseRun: ScopedRun.optional(),
  headRun: ScopedRun.optional(),
  baseRunCount: z.number().int(),
  headRunCount: z.number().int(),
  /** base run first (the baseline), head run second; only the metrics asked for, or all when none were */
  comparison: Comparison.optional(),
  datasets: z.array(Dataset),
  models: z.array(ModelVersion),
  /** what could not be determined, in words (e.g. a shallow clone without the merge-base) */
  notes: z.array(z.string()),
});
export type BranchDiff = z.infer<typeof BranchDiff>;

export interface DiffInput {
  base: { ref: string; commit?: string; runs: readonly ScopedRun[] };
  head: { ref: string; commit?: string; runs: readonly ScopedRun[] };
  /** metrics asked for; the first ranks the runs. Empty: the first metric with a known direction. */
  metrics: readonly string[];
  directions?: DirectionOverrides;
  datasets: readonly Dataset[];
  models: readonly ModelVersion[];
  notes?: readonly string[];
}

export function diffBranches(input: DiffInput): BranchDiff {
  const metric = input.metrics[0] ?? rankingMetric(input.head.runs, input.directions);
  const notes = [...(input.notes ?? [])];
  const headRun = metric ? bestRun(input.head.runs, metric, input.directions) : undefined;
  const baseRun = metric ? bestRun(input.base.runs, metric, input.directions) : undefined;
  if (metric && !metricDirection(metric, input.directions)) notes.push(`${metric}: unknown direction; say which is better with a direction override`);
  let comparison: Comparison | undefined;
  if (headRun && baseRun) {
    const full = compareRuns([baseRun, headRun], { directions: input.directions });
    comparison = input.metrics.length ? { ...full, metrics: full.metrics.filter((m) => input.metrics.includes(m.key)) } : full;
  }
  return {
    base: { ref: input.base.ref, commit: input.base.commit },
    head: { ref: input.head.ref, commit: input.head.commit },
    metric,
    baseRun,
    headRun,
    baseRunCount: input.base.runs.length,
    headRunCount: input.head.runs.length,
    comparison,
    datasets: input.datasets.filter((d) => d.changedOnBranch),
    models: [...input.models],
    notes,
  };
}

/** The metric to rank by when none is given: the first, in order, that has a known direction. */
function rankingMetric(runs: readonly Run[], directions?: DirectionOverrides): string | undefined {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort((a, b) => a.localeCompare(b));
  return keys.find((key) => metricDirection(key, directions));
}
