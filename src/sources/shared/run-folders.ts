// A store whose runs are folders (Lightning `version_N`, W&B `run-…`, an HF Trainer output dir): the scan loop,
// its error fencing and bookkeeping, shared so that each format only says how to list and read one run.
import { emptyScan, type Diagnostic, type MetricPoint, type Run, type RunStatus, type ScanResult, type SourceKind } from '../../core/model';
import type { ScanOptions, ScanStats, TrackingStore } from '../../core/source';
import { ScanContext, type FileCache } from './files';

/**
 * These formats record no end of run: a run whose files were written this recently is taken as still
 * RUNNING, any other as FINISHED.
 */
export const RUNNING_WINDOW_MS = 2 * 60_000;

export function statusFromWrites(lastWriteMs: number, now = Date.now()): RunStatus {
  return now - lastWriteMs < RUNNING_WINDOW_MS ? 'RUNNING' : 'FINISHED';
}

/** What a format reads from one run folder; the store fills in the fields every run shares. */
export type RunFields = Pick<Run, 'name' | 'status' | 'params' | 'tags' | 'metrics'> & Partial<Pick<Run, 'startTime' | 'endTime' | 'git'>>;

export interface RunRead {
  fields: RunFields;
  diagnostics: Diagnostic[];
}

export interface Series {
  points: MetricPoint[];
  diagnostics: Diagnostic[];
}

/** How many runs are read at once: enough to overlap I/O, few enough to stay clear of the open-file limit. */
const CONCURRENCY = 16;

export abstract class RunFolderStore implements TrackingStore {
  abstract readonly kind: SourceKind;
  lastScanStats: ScanStats = { filesRead: 0, bytesRead: 0 };
  /** run id → folder, as the last scan listed them */
  private folders = new Map<string, string>();

  constructor(readonly location: string) {}

  /** The store's one experiment: these formats have no experiments of their own. */
  protected abstract readonly experimentName: string;
  /** Every cache the store reads through, swept after each scan. */
  protected abstract readonly caches: readonly Pick<FileCache<unknown>, 'sweep' | 'clear'>[];
  /** The run folders, by run id. May throw when the store cannot be listed. */
  protected abstract listRuns(): Promise<Map<string, string>>;
  /** undefined when the folder turns out not to hold a run (yet). */
  protected abstract readRun(id: string, folder: string, context: ScanContext): Promise<RunRead | undefined>;
  protected abstract readSeries(id: string, folder: string, key: string): Promise<Series>;
  /** Drops runs that duplicate others once all are read (W&B `latest-run`). */
  protected dropDuplicates(runs: Run[]): Run[] {
    return runs;
  }

  async scan(options?: ScanOptions): Promise<ScanResult> {
    const context = new ScanContext(options?.changedPaths);
    const result = emptyScan();
    try {
      this.folders = await this.listRuns();
    } catch (error) {
      this.folders = new Map();
      result.diagnostics.push({ file: this.location, message: `cannot list the store: ${(error as Error).message}`, severity: 'error' });
    }
    const reads = await mapLimited([...this.folders].sort(([, a], [, b]) => a.localeCompare(b)), CONCURRENCY, ([id, folder]) => this.readRunFenced(id, folder, context));
    for (const read of reads) result.diagnostics.push(...read.diagnostics);
    result.runs = this.dropDuplicates(reads.flatMap((read) => (read.run ? [read.run] : [])));
    if (result.runs.length > 0) {
      result.experiments.push({ id: this.experimentName, name: this.experimentName, source: this.kind, store: this.location, deleted: false });
    }
    for (const cache of this.caches) cache.sweep();
    this.lastScanStats = context.stats;
    return result;
  }

  async loadSeries(runId: string, key: string): Promise<Series> {
    try {
      if (!this.folders.has(runId)) this.folders = await this.listRuns();
      const folder = this.folders.get(runId);
      if (!folder) return { points: [], diagnostics: [{ file: this.location, message: `no run ${runId} in this store`, severity: 'error' }] };
      const series = await this.readSeries(runId, folder, key);
      return { points: series.points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp), diagnostics: series.diagnostics };
    } catch (error) {
      return { points: [], diagnostics: [{ file: this.location, message: `cannot load ${key} of ${runId}: ${(error as Error).message}`, severity: 'error' }] };
    }
  }

  dispose(): void {
    for (const cache of this.caches) cache.clear();
    this.folders.clear();
  }

  private async readRunFenced(id: string, folder: string, context: ScanContext): Promise<{ run?: Run; diagnostics: Diagnostic[] }> {
    try {
      const read = await this.readRun(id, folder, context);
      if (!read) return { diagnostics: [] };
      const { fields, diagnostics } = read;
      const run: Run = {
        id, experiment: this.experimentName, experimentId: this.experimentName, git: {}, ...fields,
        source: this.kind, store: this.location, path: folder, deleted: false,
      };
      return { run, diagnostics };
    } catch (error) {
      return { diagnostics: [{ file: folder, message: `cannot read run: ${(error as Error).message}`, severity: 'error' }] };
    }
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
