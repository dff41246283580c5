// What one state of a DVC project says about its run: params, latest metrics, and the metric series its
// plots and DVCLive files hold. The same reading serves the working tree and every commit.
import { posix } from 'node:path';
import { summarize, type MetricPoint, type MetricSummary } from '../../core/model';
import { flattenParams } from '../shared/values';
import { flattenMetrics, isTableFile, numericFields, parseDataFile, readTable, seriesOf, type Row } from './data';
import { DEFAULT_PARAMS, type Pipeline } from './pipeline';
import type { Revision } from './revision';

/** Where DVCLive writes when it is not told otherwise. */
export const DVCLIVE_METRICS = 'dvclive/metrics.json';

/** Where one metric series lives: a table file and its fields. */
export interface SeriesSource {
  file: string;
  x?: string;
  y: string;
}

export interface Problem {
  /** relative to the project root */
  path: string;
  message: string;
}

export interface RunData {
  params: Record<string, string>;
  metrics: Record<string, MetricSummary>;
  /** metric key → the file holding its history */
  series: Map<string, SeriesSource>;
  problems: Problem[];
}

/** Every file a run's data may come from, as pathspecs: for reading a commit's files in one go. */
export function dataPaths(pipeline: Pipeline): string[] {
  const metrics = metricsFiles(pipeline);
  return [...new Set([...pipeline.paramsFiles, ...metrics, ...liveFolders(metrics), ...pipeline.plots.map((p) => p.path)])];
}

/**
 * Params of every params file (`params.yaml`'s keys as they are, other files' as `file:key`), metrics of
 * every metrics file, and one series per DVCLive metric (`train/loss.tsv` → `train.loss`, the key its
 * metrics.json has) and per plotted field of other plot files (`file:field`). `time` stamps values whose
 * file records no time.
 */
export async function readRunData(revision: Revision, pipeline: Pipeline, time: number): Promise<RunData> {
  const data: RunData = { params: {}, metrics: {}, series: new Map(), problems: [] };
  const attempt = async (path: string, read: (text: string) => void) => {
    try {
      const text = await revision.read(path);
      if (text !== undefined) read(text);
    } catch (error) {
      data.problems.push({ path, message: (error as Error).message });
    }
  };
  for (const file of pipeline.paramsFiles) {
    const prefix = file === DEFAULT_PARAMS ? '' : `${file}:`;
    await attempt(file, (text) => {
      for (const [key, value] of Object.entries(flattenParams(parseDataFile(file, text)))) data.params[prefix + key] = value;
    });
  }
  const metrics = metricsFiles(pipeline);
  for (const path of metrics) {
    for (const file of await revision.filesUnder(path)) {
      await attempt(file, (text) => {
        const { values, step } = flattenMetrics(parseDataFile(file, text));
        for (const [key, value] of Object.entries(values)) {
          data.metrics[key] ??= { key, last: value, step: step ?? 0, timestamp: time, min: value, max: value, count: 1 };
        }
      });
    }
  }
  const liveFiles = new Set<string>();
  for (const folder of liveFolders(metrics)) {
    for (const file of (await revision.filesUnder(folder)).filter(isTableFile)) {
      const name = posix.relative(folder, file).replace(/\.[^./]+$/, '');
      liveFiles.add(file);
      await attempt(file, (text) => addSeries(data, readTable(file, text), name.split('/').join('.'), { file, y: posix.basename(name) }, time));
    }
  }
  for (const spec of pipeline.plots) {
    for (const file of (await revision.filesUnder(spec.path)).filter((f) => isTableFile(f) && !liveFiles.has(f))) {
      await attempt(file, (text) => {
        const rows = readTable(file, text);
        for (const y of spec.y.length > 0 ? spec.y : numericFields(rows, spec.x)) addSeries(data, rows, `${file}:${y}`, { file, x: spec.x, y }, time);
      });
    }
  }
  return data;
}

/** A series' summary under `key`, unless the table has no point of it. */
function addSeries(data: RunData, rows: readonly Row[], key: string, source: SeriesSource, time: number): void {
  const summary = summarize(key, seriesOf(rows, source.x, source.y, time));
  if (!summary) return;
  data.metrics[key] = summary;
  data.series.set(key, source);
}

/** The points of one series, ordered by step. */
export async function readSeries(revision: Revision, source: SeriesSource, time: number): Promise<MetricPoint[]> {
  const text = await revision.read(source.file);
  if (text === undefined) throw new Error(`${source.file} is gone`);
  return seriesOf(readTable(source.file, text), source.x, source.y, time).sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
}

/** The declared metrics files, and DVCLive's default when it is not declared (DVCLive adds it to dvc.yaml only with `save_dvc_exp`). */
function metricsFiles(pipeline: Pipeline): string[] {
  return pipeline.metricsFiles.includes(DVCLIVE_METRICS) ? pipeline.metricsFiles : [...pipeline.metricsFiles, DVCLIVE_METRICS];
}

/** DVCLive keeps the history of the metrics in `<dir>/metrics.json` under `<dir>/plots/metrics/`. */
function liveFolders(metrics: readonly string[]): string[] {
  return metrics.filter((m) => posix.basename(m) === 'metrics.json').map((m) => posix.join(posix.dirname(m), 'plots', 'metrics'));
}
