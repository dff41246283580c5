// Metric histories made fit for a chart: min/max bucket downsampling, which keeps what the eye looks for
// (extremes and both ends), and TensorBoard's debiased exponential moving average. Pure: the host
// downsamples before it posts a series, the webview smooths what it draws.
import type { MetricPoint } from './model';

/** Most points a series is drawn with; "a few thousand", about two per pixel of a wide chart. */
export const MAX_SERIES_POINTS = 2000;
/** Fewest points a series is drawn with, however many runs share the chart. */
export const MIN_SERIES_POINTS = 250;
/** Points one chart holds across all its runs before each run's share shrinks. */
const CHART_POINT_BUDGET = 100_000;

/** Points per series when `runs` runs share each chart: the chart's budget split between them, within bounds. */
export function seriesTarget(runs: number): number {
  return Math.min(MAX_SERIES_POINTS, Math.max(MIN_SERIES_POINTS, Math.floor(CHART_POINT_BUDGET / Math.max(runs, 1))));
}

/**
 * At most `target` of the finite points of `points` (ordered by step): the first and the last, and, in each
 * of ⌊(target − 2) / 2⌋ buckets of consecutive points, the lowest and the highest value in their order.
 * Every bucket keeps its extremes, so the series' minimum and maximum always survive. Non-finite values
 * (NaN, ±Infinity) are left out: a chart cannot draw them.
 */
export function downsample(points: readonly MetricPoint[], target: number): MetricPoint[] {
  const finite = points.every((p) => Number.isFinite(p.value)) ? points : points.filter((p) => Number.isFinite(p.value));
  if (finite.length <= Math.max(target, 2)) return [...finite];
  const buckets = Math.max(1, Math.floor((target - 2) / 2));
  const inner = finite.length - 2;
  const kept: MetricPoint[] = [finite[0]!];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = 1 + Math.floor((bucket * inner) / buckets);
    const end = 1 + Math.floor(((bucket + 1) * inner) / buckets);
    if (start >= end) continue;
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      const value = finite[i]!.value;
      if (value < finite[low]!.value) low = i;
      if (value > finite[high]!.value) high = i;
    }
    kept.push(finite[Math.min(low, high)]!);
    if (low !== high) kept.push(finite[Math.max(low, high)]!);
  }
  kept.push(finite[finite.length - 1]!);
  return kept;
}

/** Whether `a` comes after `b` in a series' order: by step, then by wall time. */
export const isAfter = (a: MetricPoint, b: MetricPoint): boolean => a.step > b.step || (a.step === b.step && a.timestamp > b.timestamp);

/**
 * The points of `points` (ordered by step, then time) logged after `last`: what a live chart still lacks.
 * All of them when nothing was sent yet. Runs that log every value at step 0 still append by time.
 */
export function pointsAfter(points: readonly MetricPoint[], last: MetricPoint | undefined): MetricPoint[] {
  if (!last) return [...points];
  let first = points.length;
  while (first > 0 && isAfter(points[first - 1]!, last)) first--;
  return points.slice(first);
}

/**
 * TensorBoard's scalar smoothing (`resmoothDataset` in its line chart): an exponential moving average
 * started at 0 and divided by 1 − weight^n, n the finite values so far, so the start is not pulled towards
 * 0. Non-finite values pass through unchanged and do not count; a constant series is returned as is.
 * `weight` is TensorBoard's slider, in [0, 1): 0 leaves the values as they are.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  const constant = values.every((v) => v === values[0]);
  let last = 0;
  let finite = 0;
  return values.map((value) => {
    if (constant || !Number.isFinite(value)) return value;
    last = last * weight + (1 - weight) * value;
    finite++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, finite);
    return last / debias;
  });
}
