// The messages between the compare panel's host (src/ide/panels) and its webview (webview/compare): one
// discriminated union per direction, both validated with zod on arrival, so a malformed message is a
// logged problem on either side, never a broken view. Also the state the webview persists, which the
// panel serializer reads back after a reload.
import { z } from 'zod';
import { Comparison } from '../core/compare';
import type { MetricPoint } from '../core/model';
import { RunStatus, Scope } from '../core/model';

/** A run as the panel shows it, in the order of `Comparison.runs`. */
export const PanelRun = z.object({
  /** `${store}#${id}`, unique across the workspace; the panel's handle on the run */
  key: z.string(),
  name: z.string(),
  experiment: z.string(),
  status: RunStatus,
  scope: Scope,
  /** ms since the epoch; relative time on the charts counts from here */
  startTime: z.number().optional(),
  commit: z.string().optional(),
  branch: z.string().optional(),
});
export type PanelRun = z.infer<typeof PanelRun>;

/** A downsampled series, column by column: steps, values and wall times (ms since the epoch). */
export const SeriesData = z
  .object({ steps: z.array(z.number()), values: z.array(z.number()), times: z.array(z.number()) })
  .refine((s) => s.steps.length === s.values.length && s.values.length === s.times.length, 'columns of different lengths');
export type SeriesData = z.infer<typeof SeriesData>;

export const SeriesEntry = z.object({
  run: z.string(),
  data: SeriesData,
  /** points in the run's full history */
  total: z.number().int().nonnegative(),
  /** NaN or infinite values in the history, which no chart can draw */
  nonFinite: z.number().int().nonnegative(),
});
export type SeriesEntry = z.infer<typeof SeriesEntry>;

export const XAxis = z.enum(['step', 'relative', 'wall']);
export type XAxis = z.infer<typeof XAxis>;

export const CsvTable = z.enum(['summary', 'params']);
export type CsvTable = z.infer<typeof CsvTable>;

const metricKey = z.string().min(1);

export const HostMessage = z.discriminatedUnion('type', [
  /** Everything but the series: the webview drops what it had and asks for the series it shows. */
  z.object({
    type: z.literal('init'),
    title: z.string(),
    runs: z.array(PanelRun),
    comparison: Comparison,
    /** the metric runs are ranked by (the parallel-coordinates axis), when the runs have one */
    primaryMetric: z.string().optional(),
    /** run keys asked for that are no longer in the workspace */
    missing: z.array(z.string()),
  }),
  /** New summaries or another baseline; the series the webview has stay valid. */
  z.object({ type: z.literal('update'), runs: z.array(PanelRun), comparison: Comparison }),
  /** Whole (downsampled) series of a metric for some runs; replaces what the webview had for them. */
  z.object({ type: z.literal('series'), metric: metricKey, entries: z.array(SeriesEntry) }),
  /** Points logged since the last message for these runs: added at the end. */
  z.object({ type: z.literal('append'), metric: metricKey, entries: z.array(z.object({ run: z.string(), data: SeriesData })) }),
  /** Asks for a chart as PNG (the API's export); answered by `exportPng` with the same id. */
  z.object({ type: z.literal('requestPng'), metric: metricKey, requestId: z.number().int() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** What the host posts: a message and its sequence number, which `rendered` acknowledges. */
export const HostEnvelope = z.object({ seq: z.number().int().nonnegative(), message: HostMessage });
export type HostEnvelope = z.infer<typeof HostEnvelope>;

/** Largest PNG the host accepts from the webview (a data URL's length). */
const MAX_PNG_URL = 32 * 1024 * 1024;

export const WebviewMessage = z.discriminatedUnion('type', [
  /** The webview listens: the host may post. Sent on every (re)load. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('loadSeries'), metrics: z.array(metricKey).min(1) }),
  z.object({ type: z.literal('setBaseline'), run: z.string() }),
  z.object({ type: z.literal('removeRun'), run: z.string() }),
  z.object({ type: z.literal('addRuns') }),
  z.object({ type: z.literal('revealRun'), run: z.string() }),
  z.object({ type: z.literal('exportCsv'), table: CsvTable }),
  z.object({
    type: z.literal('exportPng'),
    metric: metricKey,
    dataUrl: z.string().max(MAX_PNG_URL).regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/),
    requestId: z.number().int().optional(),
  }),
  /** Everything up to `through` is on screen; `charts` charts are drawn with data. */
  z.object({ type: z.literal('rendered'), through: z.number().int().nonnegative(), charts: z.number().int().nonnegative() }),
  /** Something went wrong in the webview (an exception, a blocked resource): the host logs it. */
  z.object({ type: z.literal('problem'), message: z.string().max(4000) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/**
 * What the webview keeps with `setState`: it survives hiding and reloads, and the panel serializer reopens
 * the panel on `runs` after a restart. Every field has a default, so an older or damaged state still loads.
 */
export const PanelState = z.object({
  runs: z.array(z.string()).catch([]),
  baseline: z.string().optional().catch(undefined),
  x: XAxis.catch('step'),
  logY: z.boolean().catch(false),
  /** TensorBoard's smoothing weight */
  smoothing: z.number().min(0).max(0.99).catch(0.6),
  differencesOnly: z.boolean().catch(true),
  /** summary table order: a column ('metric' or a run key) and its direction */
  sort: z.object({ column: z.string(), descending: z.boolean() }).catch({ column: 'metric', descending: false }),
  /** run keys hidden per chart, by metric */
  hidden: z.record(z.string(), z.array(z.string())).catch({}),
});
export type PanelState = z.infer<typeof PanelState>;

export const defaultPanelState = (): PanelState => PanelState.parse({});

/** Column form of points, for posting. */
export function toSeriesData(points: readonly MetricPoint[]): SeriesData {
  return { steps: points.map((p) => p.step), values: points.map((p) => p.value), times: points.map((p) => p.timestamp) };
}
