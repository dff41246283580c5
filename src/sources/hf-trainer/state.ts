// Reading one `trainer_state.json` (transformers' TrainerState): pure functions over its parsed content.
import { extendSummary, type MetricPoint, type MetricSummary } from '../../core/model';
import { finiteNumber, flattenParams, isMapping, parsePythonJson } from '../shared/values';

export interface TrainerState {
  fields: Record<string, unknown>;
  history: unknown[];
}

/** What a scan keeps of a state file: summaries, never the history itself. */
export interface StateSummary {
  globalStep: number;
  metrics: Record<string, MetricSummary>;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** seconds; Trainer logs it in the entry it appends when training completes */
  trainRuntime?: number;
  /** log_history entries without a numeric `step` */
  skippedEntries: number;
}

/** The fields that describe how training was set up; the rest of the top level is progress or bookkeeping. */
const PARAM_FIELDS = ['max_steps', 'num_train_epochs', 'train_batch_size', 'logging_steps', 'eval_steps', 'save_steps', 'trial_name', 'trial_params'];
const TAG_FIELDS = ['best_metric', 'best_model_checkpoint', 'best_global_step', 'global_step', 'epoch'];
/** Coordinates of every entry, not metrics. */
const AXES = new Set(['step', 'epoch']);

export function parseTrainerState(bytes: Buffer): TrainerState {
  const parsed = parsePythonJson(bytes.toString('utf8'));
  if (!isMapping(parsed)) throw new Error('not a JSON object');
  if (!Array.isArray(parsed.log_history)) throw new Error('no log_history list');
  return { fields: parsed, history: parsed.log_history };
}

/**
 * Summaries of every numeric log_history key. The file records no wall time, so every point is stamped with
 * `timestamp`, the file's mtime.
 */
export function summarizeState(state: TrainerState, timestamp: number): StateSummary {
  const metrics: Record<string, MetricSummary> = {};
  let trainRuntime: number | undefined;
  let lastStep = 0;
  const skippedEntries = forEachPoint(state.history, timestamp, (key, point) => {
    metrics[key] = extendSummary(metrics[key], key, point);
    if (key === 'train_runtime') trainRuntime = point.value;
    lastStep = Math.max(lastStep, point.step);
  });
  const params: Record<string, string> = {};
  for (const field of PARAM_FIELDS) {
    const value = state.fields[field];
    if (value !== undefined && value !== null) flattenParams(value, field, params);
  }
  const tags: Record<string, string> = {};
  for (const field of TAG_FIELDS) {
    const value = state.fields[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') tags[field] = String(value);
  }
  const globalStep = finiteNumber(state.fields.global_step) ?? lastStep;
  return { globalStep, metrics, params, tags, trainRuntime, skippedEntries };
}

/** Every logged value of `key`, stamped with `timestamp` (the file's mtime). */
export function stateSeries(state: TrainerState, key: string, timestamp: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  forEachPoint(state.history, timestamp, (pointKey, point) => {
    if (pointKey === key) points.push(point);
  });
  return points;
}

/** Calls `visit` for each finite numeric value of each entry; returns how many entries had no numeric step. */
function forEachPoint(history: unknown[], timestamp: number, visit: (key: string, point: MetricPoint) => void): number {
  let skipped = 0;
  for (const entry of history) {
    const step = isMapping(entry) ? finiteNumber(entry.step) : undefined;
    if (step === undefined) {
      skipped++;
      continue;
    }
    for (const [key, raw] of Object.entries(entry as Record<string, unknown>)) {
      const value = finiteNumber(raw);
      if (value !== undefined && !AXES.has(key)) visit(key, { step, value, timestamp });
    }
  }
  return skipped;
}
