// Domain types of Runlens. zod schemas are the single source of truth: the CLI validates its JSON
// output with them, the extension renders them, and every source produces them.
import { z } from 'zod';

/** Which reader produced a record. */
export const SourceKind = z.enum(['mlflow-file', 'mlflow-sqlite', 'dvc', 'gto', 'tensorboard', 'hf-trainer', 'lightning', 'wandb']);
export type SourceKind = z.infer<typeof SourceKind>;

export const RunStatus = z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED', 'UNKNOWN']);
export type RunStatus = z.infer<typeof RunStatus>;

/** Where a run sits relative to the current branch (see core/scope.ts). */
export const Scope = z.enum(['branch', 'base', 'unlinked', 'other']);
export type Scope = z.infer<typeof Scope>;

export const GitLink = z.object({
  commit: z.string().optional(),
  branch: z.string().optional(),
  dirty: z.boolean().optional(),
  repoUrl: z.string().optional(),
});
export type GitLink = z.infer<typeof GitLink>;

/** Summary of one metric of one run, computed without keeping the history in memory. */
export const MetricSummary = z.object({
  key: z.string(),
  last: z.number(),
  /** step of the last value */
  step: z.number(),
  /** wall time of the last value, ms since the epoch */
  timestamp: z.number().optional(),
  min: z.number(),
  max: z.number(),
  count: z.number().int().nonnegative(),
});
export type MetricSummary = z.infer<typeof MetricSummary>;

export const MetricPoint = z.object({ step: z.number(), value: z.number(), timestamp: z.number() });
export type MetricPoint = z.infer<typeof MetricPoint>;

export const Experiment = z.object({
  id: z.string(),
  name: z.string(),
  source: SourceKind,
  /** absolute path of the store that holds it (an `mlruns/` folder or a `.db` file) */
  store: z.string(),
  deleted: z.boolean(),
  artifactLocation: z.string().optional(),
});
export type Experiment = z.infer<typeof Experiment>;

export const Run = z.object({
  id: z.string(),
  name: z.string(),
  experiment: z.string(),
  experimentId: z.string(),
  status: RunStatus,
  /** ms since the epoch */
  startTime: z.number().optional(),
  endTime: z.number().optional(),
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), MetricSummary),
  git: GitLink,
  source: SourceKind,
  store: z.string(),
  /** the run's own folder for file stores, the database file for SQLite stores */
  path: z.string(),
  artifactUri: z.string().optional(),
  deleted: z.boolean(),
});
export type Run = z.infer<typeof Run>;

export const ModelVersion = z.object({
  model: z.string(),
  version: z.string(),
  /** stages this version currently holds (MLflow has at most one; GTO may assign several) */
  stages: z.array(z.string()),
  aliases: z.array(z.string()),
  /** id of the run that produced it, when known */
  run: z.string().optional(),
  /** the model's source URI as the registry records it */
  sourceUri: z.string().optional(),
  status: z.string().optional(),
  description: z.string().optional(),
  createdAt: z.number().optional(),
  /** the commit the version points at (GTO: the tagged commit) */
  commit: z.string().optional(),
  deprecated: z.boolean().optional(),
  source: SourceKind,
  store: z.string(),
});
export type ModelVersion = z.infer<typeof ModelVersion>;

export const Dataset = z.object({
  name: z.string(),
  digest: z.string(),
  /** where the data came from (a path, a URI, a table name), as the tracker recorded it */
  sourceUri: z.string().optional(),
  sourceType: z.string().optional(),
  profile: z.string().optional(),
  /** ids of the runs that used it */
  runs: z.array(z.string()),
  /** workspace-relative path of tracked data (DVC outs, `*.dvc` files) */
  path: z.string().optional(),
  size: z.number().optional(),
  nfiles: z.number().optional(),
  /** pipeline stages that use it (DVC `deps`) */
  usedBy: z.array(z.string()).optional(),
  /** its hash differs from the version at the merge-base with the base branch */
  changedOnBranch: z.boolean().optional(),
  source: SourceKind,
  store: z.string(),
});
export type Dataset = z.infer<typeof Dataset>;

export const Diagnostic = z.object({
  /** absolute path of the file that could not be read */
  file: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']).default('error'),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

/** What one store yields on a scan. */
export const ScanResult = z.object({
  experiments: z.array(Experiment),
  runs: z.array(Run),
  models: z.array(ModelVersion),
  datasets: z.array(Dataset),
  diagnostics: z.array(Diagnostic),
});
export type ScanResult = z.infer<typeof ScanResult>;

export function emptyScan(): ScanResult {
  return { experiments: [], runs: [], models: [], datasets: [], diagnostics: [] };
}

/** Reduces `values` into a summary; used by every source that has a full history at hand. */
export function summarize(key: string, points: Iterable<MetricPoint>): MetricSummary | undefined {
  let summary: MetricSummary | undefined;
  for (const p of points) summary = extendSummary(summary, key, p);
  return summary;
}

/**
 * Adds one point to a summary. "Last" is the point with the greatest step, ties broken by the later
 * timestamp, then by file order, which is how MLflow itself picks a run's latest metric.
 */
export function extendSummary(summary: MetricSummary | undefined, key: string, p: MetricPoint): MetricSummary {
  if (!summary) {
    return { key, last: p.value, step: p.step, timestamp: p.timestamp, min: p.value, max: p.value, count: 1 };
  }
  const later = p.step > summary.step || (p.step === summary.step && p.timestamp >= (summary.timestamp ?? -Infinity));
  return {
    key,
    last: later ? p.value : summary.last,
    step: later ? p.step : summary.step,
    timestamp: later ? p.timestamp : summary.timestamp,
    min: Number.isNaN(p.value) ? summary.min : Math.min(summary.min, p.value),
    max: Number.isNaN(p.value) ? summary.max : Math.max(summary.max, p.value),
    count: summary.count + 1,
  };
}
