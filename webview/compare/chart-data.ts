// From the series the host sent to the datasets of one chart: the x the user chose, smoothing (with the
// raw line faint behind), and what a log axis cannot show.
import { formatDuration, formatNumber } from '../../src/core/format';
import { smooth } from '../../src/core/series';
import type { PanelRun, XAxis } from '../../src/protocol/compare';
import { withAlpha } from './colors';
import type { RunSeries } from './series-store';

export interface Point {
  x: number;
  y: number;
}

/** A chart.js line dataset with what the panel needs to know about it. */
export interface RunDataset {
  label: string;
  data: Point[];
  runKey: string;
  /** the line hover reads: the smoothed one, or the raw one when smoothing is off */
  primary: boolean;
  /** for the smoothed line: the raw values at the same indices */
  rawY?: number[];
  borderColor: string;
  backgroundColor: string;
  borderWidth: number;
  pointRadius: number;
  pointHoverRadius: number;
  order: number;
}

export interface DatasetOptions {
  x: XAxis;
  logY: boolean;
  smoothing: number;
  hidden: ReadonlySet<string>;
  color(run: string): string;
}

export interface ChartDatasets {
  datasets: RunDataset[];
  /** values a log axis cannot draw (≤ 0), over all runs */
  nonPositive: number;
  /** NaN and infinite values in the runs' histories */
  nonFinite: number;
  /** runs that have the metric but whose series has not come yet */
  pending: number;
  /** runs whose series came without a single point */
  empty: number;
}

export function buildDatasets(runs: readonly PanelRun[], series: ReadonlyMap<string, RunSeries> | undefined, options: DatasetOptions): ChartDatasets {
  const result: ChartDatasets = { datasets: [], nonPositive: 0, nonFinite: 0, pending: 0, empty: 0 };
  for (const run of runs) {
    const data = series?.get(run.key);
    if (!data) {
      result.pending++;
      continue;
    }
    result.nonFinite += data.nonFinite;
    if (data.values.length === 0) result.empty++;
    if (options.hidden.has(run.key)) continue;
    const points = orderedPoints(run, data, options.x);
    const drawable = options.logY ? points.filter((p) => p.y > 0) : points;
    result.nonPositive += points.length - drawable.length;
    const color = options.color(run.key);
    const smoothed = options.smoothing > 0;
    result.datasets.push({
      label: run.name,
      data: drawable,
      runKey: run.key,
      primary: !smoothed,
      borderColor: smoothed ? withAlpha(color, 0.25) : color,
      backgroundColor: color,
      borderWidth: 1,
      pointRadius: 0,
      pointHoverRadius: smoothed ? 0 : 3,
      order: 1,
    });
    if (!smoothed) continue;
    const rawY = drawable.map((p) => p.y);
    const smoothY = smooth(rawY, options.smoothing);
    result.datasets.push({
      label: run.name,
      data: drawable.map((p, i) => ({ x: p.x, y: smoothY[i]! })),
      runKey: run.key,
      primary: true,
      rawY,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 1.5,
      pointRadius: 0,
      pointHoverRadius: 3,
      order: 0,
    });
  }
  return result;
}

/** The run's points against the chosen x, in x order (wall times of a history need not rise with its steps). */
function orderedPoints(run: PanelRun, data: RunSeries, x: XAxis): Point[] {
  const origin = x === 'relative' ? (run.startTime ?? data.times[0] ?? 0) : 0;
  const xs = x === 'step' ? data.steps : data.times.map((t) => t - origin);
  const points = xs.map((value, i) => ({ x: value, y: data.values[i]! }));
  const sorted = points.every((p, i) => i === 0 || p.x >= points[i - 1]!.x);
  return sorted ? points : points.sort((a, b) => a.x - b.x);
}

/** How an x value reads on the axis and in the tooltip. */
export function formatX(value: number, x: XAxis, long = false): string {
  switch (x) {
    case 'step': {
      const step = Number.isInteger(value) ? value.toLocaleString('en-US') : formatNumber(value);
      return long ? `step ${step}` : step;
    }
    case 'relative':
      return formatDuration(Math.max(0, value));
    case 'wall':
      return long ? new Date(value).toLocaleString() : new Date(value).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
}

export const X_LABELS: Record<XAxis, string> = { step: 'Step', relative: 'Relative time', wall: 'Wall time' };
