// An opened TensorBoard log folder (see layout.ts for what a store and a run are). Each event file is kept
// as a summary keyed by its size and mtime; a file that grew is read from where the last scan stopped.
import { basename } from 'node:path';
import type { Diagnostic, MetricSummary } from '../../core/model';
import { FileCache, type ScanContext } from '../shared/files';
import { RunFolderStore, statusFromWrites, type RunRead, type Series } from '../shared/run-folders';
import { diagnosticsOf, readEventFileSeries, summarizeEventFile, type EventFileSummary } from './event-file';
import { eventFilesOf, findRunFolders } from './layout';

export class TensorboardStore extends RunFolderStore {
  readonly kind = 'tensorboard' as const;
  /** the store folder's name: TensorBoard has no experiments, a log folder is the nearest thing */
  protected readonly experimentName = basename(this.location);
  private readonly files = new FileCache<EventFileSummary>((file, stamp, context, previous) =>
    summarizeEventFile(file, stamp.size, previous?.value, context.stats),
  );
  protected readonly caches = [this.files];

  protected listRuns(): Promise<Map<string, string>> {
    return findRunFolders(this.location);
  }

  /**
   * Merges the run's event files in write order. These logs record no end of run (Lightning even writes
   * its hparams `session_end_info` as a success at the start), so a run whose files changed in the last
   * two minutes is RUNNING, any other FINISHED; endTime is then its last event's wall time.
   */
  protected async readRun(id: string, folder: string, context: ScanContext): Promise<RunRead | undefined> {
    const files = await eventFilesOf(folder);
    if (files.length === 0) return undefined;
    const diagnostics: Diagnostic[] = [];
    const metrics: Record<string, MetricSummary> = {};
    let params: Record<string, string> = {};
    let startTime: number | undefined;
    let endTime: number | undefined;
    let lastWrite = 0;
    for (const file of files) {
      const loaded = await this.files.get(file, context, diagnostics);
      if (loaded?.value === undefined) continue;
      const summary = loaded.value;
      lastWrite = Math.max(lastWrite, loaded.stamp.mtimeMs);
      diagnostics.push(...diagnosticsOf(file, summary.problems));
      for (const [key, metric] of summary.metrics) metrics[key] = mergeSummaries(metrics[key], metric);
      params = { ...params, ...summary.params };
      if (summary.firstWallTime !== undefined) startTime = Math.min(startTime ?? summary.firstWallTime, summary.firstWallTime);
      if (summary.lastWallTime !== undefined) endTime = Math.max(endTime ?? summary.lastWallTime, summary.lastWallTime);
    }
    const status = statusFromWrites(lastWrite);
    const run: RunRead['fields'] = { name: id === '.' ? basename(folder) : id, status, params, tags: {}, metrics };
    if (startTime !== undefined) run.startTime = startTime;
    if (endTime !== undefined && status === 'FINISHED') run.endTime = endTime;
    return { fields: run, diagnostics };
  }

  protected async readSeries(_id: string, folder: string, key: string): Promise<Series> {
    const files: Series[] = [];
    for (const file of await eventFilesOf(folder)) files.push(await readEventFileSeries(file, key));
    return { points: files.flatMap((file) => file.points), diagnostics: files.flatMap((file) => file.diagnostics) };
  }
}

/**
 * The summary of `earlier`'s points followed by `later`'s: what `extendSummary` gives over both files' points
 * in order, since "last" is the greatest (step, timestamp) with ties going to the later point.
 */
function mergeSummaries(earlier: MetricSummary | undefined, later: MetricSummary): MetricSummary {
  if (!earlier) return later;
  const laterWins = later.step > earlier.step || (later.step === earlier.step && (later.timestamp ?? -Infinity) >= (earlier.timestamp ?? -Infinity));
  const last = laterWins ? later : earlier;
  return {
    key: later.key,
    last: last.last,
    step: last.step,
    timestamp: last.timestamp,
    min: Math.min(earlier.min, later.min),
    max: Math.max(earlier.max, later.max),
    count: earlier.count + later.count,
  };
}
