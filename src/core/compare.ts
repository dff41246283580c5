// Side-by-side comparison of runs: params diff and metric summaries with deltas against a baseline.
// The compare panel and `runlens compare` both render this one structure.
import { z } from 'zod';
import { isBetter, metricDirection, type DirectionOverrides } from './direction';
import type { Run } from './model';

export const Verdict = z.enum(['better', 'worse', 'same']);
export type Verdict = z.infer<typeof Verdict>;

export const MetricCell = z.object({
  last: z.number(),
  step: z.number(),
  /** best value over the history in the metric's direction (the last value when the direction is unknown) */
  best: z.number(),
  /** last − baseline's last */
  delta: z.number().optional(),
  /** delta relative to |baseline's last|, undefined when that is 0 */
  relative: z.number().optional(),
  verdict: Verdict.optional(),
});
export type MetricCell = z.infer<typeof MetricCell>;

export const MetricRow = z.object({
  key: z.string(),
  direction: z.enum(['min', 'max']).optional(),
  /** one per compared run, in order; null where the run lacks the metric */
  cells: z.array(MetricCell.nullable()),
});
export type MetricRow = z.infer<typeof MetricRow>;

export const ValueRow = z.object({
  key: z.string(),
  values: z.array(z.string().nullable()),
  differs: z.boolean(),
});
export type ValueRow = z.infer<typeof ValueRow>;

export const ComparedRun = z.object({
  id: z.string(),
  name: z.string(),
  experiment: z.string(),
  status: z.string(),
  commit: z.string().optional(),
  branch: z.string().optional(),
});

export const Comparison = z.object({
  runs: z.array(ComparedRun),
  baseline: z.number().int().nonnegative(),
  metrics: z.array(MetricRow),
  params: z.array(ValueRow),
  tags: z.array(ValueRow),
});
export type Comparison = z.infer<typeof Comparison>;

export interface CompareOptions {
  /** index of the baseline run; the first by default */
  baseline?: number;
  directions?: DirectionOverrides;
}

/** Tags MLflow writes on every run; they differ always and say nothing a row above does not. */
const NOISY_TAG = /^mlflow\.(runName|user|source\.name|source\.type|log-model\.history|source\.git\.commit|gitRepoURL|source\.git\.repoURL|project\.|docker\.)/;

export function compareRuns(runs: readonly Run[], options: CompareOptions = {}): Comparison {
  const baseline = Math.min(Math.max(options.baseline ?? 0, 0), Math.max(runs.length - 1, 0));
  const base = runs[baseline];
  const metrics = sortedKeys(runs.map((r) => r.metrics)).map((key): MetricRow => {
    const direction = metricDirection(key, options.directions);
    const reference = base?.metrics[key];
    return {
      key,
      direction,
      cells: runs.map((run, i) => {
        const summary = run.metrics[key];
        if (!summary) return null;
        const cell: MetricCell = { last: summary.last, step: summary.step, best: direction === 'min' ? summary.min : direction === 'max' ? summary.max : summary.last };
        if (reference && i !== baseline) {
          cell.delta = summary.last - reference.last;
          if (reference.last !== 0) cell.relative = cell.delta / Math.abs(reference.last);
          cell.verdict = verdict(summary.last, reference.last, direction);
        }
        return cell;
      }),
    };
  });
  return {
    runs: runs.map((r) => ({ id: r.id, name: r.name, experiment: r.experiment, status: r.status, commit: r.git.commit, branch: r.git.branch })),
    baseline,
    metrics,
    params: valueRows(runs.map((r) => r.params)),
    tags: valueRows(runs.map((r) => Object.fromEntries(Object.entries(r.tags).filter(([k]) => !NOISY_TAG.test(k))))),
  };
}

function verdict(value: number, reference: number, direction: 'min' | 'max' | undefined): Verdict | undefined {
  if (value === reference) return 'same';
  const better = isBetter(value, reference, direction);
  return better === undefined ? undefined : better ? 'better' : 'worse';
}

function valueRows(records: ReadonlyArray<Readonly<Record<string, string>>>): ValueRow[] {
  return sortedKeys(records).map((key) => {
    const values = records.map((r) => r[key] ?? null);
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}

function sortedKeys(records: ReadonlyArray<Readonly<Record<string, unknown>>>): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r)))].sort((a, b) => a.localeCompare(b));
}

/**
 * The best of `runs` by `key`'s last value in its direction (min when unknown is not allowed: runs without
 * a direction cannot be ranked). Runs lacking the metric are skipped. Ties go to the newer run.
 */
export function bestRun<R extends Run>(runs: readonly R[], key: string, directions?: DirectionOverrides): R | undefined {
  const direction = metricDirection(key, directions);
  if (!direction) return undefined;
  let best: R | undefined;
  for (const run of runs) {
    const value = run.metrics[key]?.last;
    if (value === undefined || Number.isNaN(value)) continue;
    const current = best?.metrics[key]?.last;
    if (current === undefined || isBetter(value, current, direction) || (value === current && (run.startTime ?? 0) > (best!.startTime ?? 0))) best = run;
  }
  return best;
}
