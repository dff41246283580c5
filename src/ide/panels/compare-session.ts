// What one comparison is about: the runs (by key, in the panel's order), the baseline, the summary the core
// computes for them, and the downsampled series the host has read for the charts. Series are read lazily,
// per metric, when the webview asks; runs that are still running are read again after every model change
// and only their new points go out.
import { compareRuns, type Comparison } from '../../core/compare';
import type { ScopedRun } from '../../core/catalog';
import type { Logger } from '../../core/log';
import type { MetricPoint } from '../../core/model';
import { downsample, pointsAfter, seriesTarget } from '../../core/series';
import { toSeriesData, type PanelRun, type SeriesData, type SeriesEntry } from '../../protocol/compare';
import { metricDirections, primaryMetric } from '../config';
import type { RunlensModel } from '../model';
import type { FolderWorkspace } from '../workspace';

/** Series read at once while loading a metric for many runs. */
const READ_CONCURRENCY = 4;
/** Entries per `series` message, so the first runs of a large comparison are drawn while the rest load. */
const BATCH = 16;

interface Target {
  workspace: FolderWorkspace;
  run: ScopedRun;
}

/** What the webview is shown, apart from the series. */
export interface SessionView {
  title: string;
  runs: PanelRun[];
  comparison: Comparison;
  primaryMetric?: string;
  missing: string[];
}

/** The host's copy of one drawn series. */
interface CachedSeries {
  /** what the webview draws: the downsampled history plus the points appended since */
  points: MetricPoint[];
  /** the last point of the full history (finite or not): appends start after it */
  last?: MetricPoint;
  total: number;
  nonFinite: number;
}

/** New points for the charts after a model change: appended when few, else the whole series again. */
export interface LiveUpdate {
  metric: string;
  appends: Array<{ run: string; data: SeriesData }>;
  replacements: SeriesEntry[];
}

export class CompareSession {
  private keys: string[];
  private baselineKey: string | undefined;
  /** metric → run key → series */
  private readonly cache = new Map<string, Map<string, CachedSeries>>();
  private readonly reads = new Map<string, Promise<CachedSeries>>();
  /** runs that were running at the last look: read again until one look after they stopped */
  private running = new Set<string>();

  constructor(
    private readonly model: RunlensModel,
    keys: readonly string[],
    baseline: string | undefined,
    private readonly log: Logger,
    /** a title for this particular set of runs, e.g. "feature/x vs main"; dropped once the set changes */
    private label?: string,
  ) {
    this.keys = [...new Set(keys)];
    this.baselineKey = baseline && this.keys.includes(baseline) ? baseline : undefined;
    this.running = new Set(this.targets().filter(({ run }) => run.status === 'RUNNING').map(({ run }) => run.key));
  }

  get runKeys(): readonly string[] {
    return this.keys;
  }

  get baseline(): string | undefined {
    return this.baselineKey;
  }

  view(): SessionView {
    const targets = this.targets();
    const runs = targets.map(({ run }) => run);
    const baseline = Math.max(0, runs.findIndex((run) => run.key === this.baselineKey));
    const comparison = compareRuns(runs, { baseline, directions: metricDirections() });
    const configured = primaryMetric();
    const metric = configured && comparison.metrics.some((m) => m.key === configured) ? configured : comparison.metrics[0]?.key;
    return {
      title: this.label ?? `Compare ${runs.length} run${runs.length === 1 ? '' : 's'}`,
      runs: runs.map(panelRun),
      comparison,
      primaryMetric: metric,
      missing: this.keys.filter((key) => !this.model.findRun(key)),
    };
  }

  setBaseline(key: string): void {
    if (this.keys.includes(key)) this.baselineKey = key;
  }

  remove(key: string): void {
    this.keys = this.keys.filter((k) => k !== key);
    if (this.baselineKey === key) this.baselineKey = undefined;
    for (const byRun of this.cache.values()) byRun.delete(key);
    this.label = undefined;
  }

  add(keys: readonly string[]): void {
    const fresh = keys.filter((key) => !this.keys.includes(key));
    if (fresh.length === 0) return;
    this.keys.push(...fresh);
    this.label = undefined;
  }

  /**
   * The series of `metric` for every run that logged it: cached ones at once, the others as they are read,
   * in batches. Resolves when all were handed to `emit`.
   */
  async series(metric: string, emit: (entries: SeriesEntry[]) => void): Promise<void> {
    const targets = this.targets().filter(({ run }) => metric in run.metrics);
    const byRun = this.cacheOf(metric);
    const ready = targets.filter(({ run }) => byRun.has(run.key));
    if (ready.length > 0) emit(ready.map(({ run }) => entry(run.key, byRun.get(run.key)!)));
    const batch: SeriesEntry[] = [];
    const flush = () => batch.length > 0 && emit(batch.splice(0));
    await forEachLimited(targets.filter(({ run }) => !byRun.has(run.key)), READ_CONCURRENCY, async (target) => {
      batch.push(entry(target.run.key, await this.read(target, metric)));
      if (batch.length >= BATCH) flush();
    });
    flush();
  }

  /**
   * After the model changed: reads again, for every metric read so far, the series of runs that are (or
   * just stopped) running, and returns what the charts lack.
   */
  async liveUpdates(): Promise<LiveUpdate[]> {
    await Promise.allSettled(this.reads.values());
    const targets = this.targets();
    const watched = targets.filter(({ run }) => run.status === 'RUNNING' || this.running.has(run.key));
    this.running = new Set(targets.filter(({ run }) => run.status === 'RUNNING').map(({ run }) => run.key));
    const updates: LiveUpdate[] = [];
    for (const [metric, byRun] of this.cache) {
      const update: LiveUpdate = { metric, appends: [], replacements: [] };
      for (const target of watched.filter(({ run }) => metric in run.metrics)) {
        const key = target.run.key;
        const cached = byRun.get(key);
        const points = await this.load(target, metric);
        const fresh = pointsAfter(points, cached?.last);
        if (cached && fresh.length === 0 && points.length >= cached.total) continue;
        const finite = fresh.filter((p) => Number.isFinite(p.value));
        if (cached && points.length >= cached.total && cached.points.length + finite.length <= 2 * this.target()) {
          cached.points.push(...finite);
          cached.last = points.at(-1);
          cached.total = points.length;
          cached.nonFinite += fresh.length - finite.length;
          if (finite.length > 0) update.appends.push({ run: key, data: toSeriesData(finite) });
        } else {
          const replaced = this.store(metric, key, points);
          update.replacements.push(entry(key, replaced));
        }
      }
      if (update.appends.length + update.replacements.length > 0) updates.push(update);
    }
    return updates;
  }

  /** The runs still in the workspace, in the panel's order. */
  private targets(): Target[] {
    return this.keys.flatMap((key) => this.model.findRun(key) ?? []);
  }

  private target(): number {
    return seriesTarget(this.keys.length);
  }

  private cacheOf(metric: string): Map<string, CachedSeries> {
    let byRun = this.cache.get(metric);
    if (!byRun) this.cache.set(metric, (byRun = new Map()));
    return byRun;
  }

  /** Reads one series once, however many times it is asked for meanwhile. */
  private read(target: Target, metric: string): Promise<CachedSeries> {
    const id = `${metric}\u0000${target.run.key}`;
    let pending = this.reads.get(id);
    if (!pending) {
      pending = this.load(target, metric)
        .then((points) => this.store(metric, target.run.key, points))
        .finally(() => this.reads.delete(id));
      this.reads.set(id, pending);
    }
    return pending;
  }

  private async load({ workspace, run }: Target, metric: string): Promise<MetricPoint[]> {
    try {
      return await workspace.service.loadSeries(run.store, run.id, metric);
    } catch (error) {
      this.log.error(`reading ${metric} of run ${run.id}: ${(error as Error).message}`);
      return [];
    }
  }

  private store(metric: string, key: string, points: readonly MetricPoint[]): CachedSeries {
    const finite = points.reduce((n, p) => n + (Number.isFinite(p.value) ? 1 : 0), 0);
    const cached: CachedSeries = { points: downsample(points, this.target()), last: points.at(-1), total: points.length, nonFinite: points.length - finite };
    if (this.keys.includes(key)) this.cacheOf(metric).set(key, cached);
    return cached;
  }
}

function panelRun(run: ScopedRun): PanelRun {
  return {
    key: run.key,
    name: run.name,
    experiment: run.experiment,
    status: run.status,
    scope: run.scope,
    startTime: run.startTime,
    commit: run.git.commit,
    branch: run.git.branch,
  };
}

const entry = (run: string, cached: CachedSeries): SeriesEntry => ({ run, data: toSeriesData(cached.points), total: cached.total, nonFinite: cached.nonFinite });

/** Runs `task` for every item, at most `limit` at a time. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
