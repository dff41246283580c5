// Child process of the bench: measures one store in a fresh Node process, so that the heap and RSS it
// reports are the store's own and not the generators' or the other store's.
//   node --expose-gc --import tsx bench/measure-store.ts <kind> <location> <out.json> [--cold]
import { writeFileSync } from 'node:fs';
import type { ScanResult } from '../src/core/model';
import type { ScanOptions, ScanStats, SourceProvider, TrackingStore } from '../src/core/source';
import { mlflowFileProvider } from '../src/sources/mlflow-file';
import { mlflowSqliteProvider } from '../src/sources/mlflow-sqlite';
import { collectGarbage, HeapPeak, heapUsed, peakRss, seconds, type Timing } from './measure';
import { metricMutation } from './mutations';
import { STEP_MS } from './synthetic';

const REPEATS = 3;

export const PROVIDERS = { 'mlflow-file': mlflowFileProvider, 'mlflow-sqlite': mlflowSqliteProvider } satisfies Record<string, SourceProvider>;
/** The store kinds the bench generates and measures. */
export type BenchedKind = keyof typeof PROVIDERS;

export interface RescanMeasurement {
  seconds: Timing;
  /** the most any repeat read */
  filesRead: number;
  bytesRead: number;
  /** every repeat's result showed the appended point (or, unchanged, nothing changed) */
  correct: boolean;
}

export interface StoreMeasurement {
  /** seconds of each fresh open() + scan() */
  scans: number[];
  /** CPU seconds (user + system, all threads) of each of those scans: less skewed than wall time by other load */
  cpu: number[];
  stats: ScanStats;
  counts: { experiments: number; runs: number; metricSummaries: number; diagnostics: number };
  /** bytes: heap after gc before the first scan, peak during the scans, and what a scanned store keeps */
  heap: { baseline: number; peak: number; retained: number };
  /** bytes: resident set before the first scan and the process's peak */
  rss: { baseline: number; peak: number };
  /** SQL statements the first scan prepared (SQLite stores), for the CLI floor */
  queries?: string[];
  rescans?: { hinted: RescanMeasurement; unhinted: RescanMeasurement; unchanged: RescanMeasurement };
}

interface FullScan {
  store: TrackingStore;
  result: ScanResult;
  seconds: number;
  cpu: number;
  peakHeap: number;
}

async function fullScan(kind: BenchedKind, location: string): Promise<FullScan> {
  const sampler = new HeapPeak();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const store = PROVIDERS[kind].open(location);
  const result = await store.scan();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { store, result, seconds: elapsed, cpu: (cpu.user + cpu.system) / 1e6, peakHeap: sampler.stop() };
}

/** Records the SQL node-sqlite3-wasm prepares until `stop()`. Loaded only for SQLite stores. */
async function captureSql(): Promise<{ statements: string[]; stop: () => void }> {
  const { Database } = (await import('node-sqlite3-wasm')).default;
  const prepare = Database.prototype.prepare;
  const statements: string[] = [];
  Database.prototype.prepare = function (this: InstanceType<typeof Database>, sql: string) {
    statements.push(sql);
    return prepare.call(this, sql);
  };
  return { statements, stop: () => (Database.prototype.prepare = prepare) };
}

async function measure(kind: BenchedKind, location: string, cold: boolean): Promise<StoreMeasurement> {
  collectGarbage();
  const baselineHeap = heapUsed();
  const baselineRss = process.memoryUsage.rss();
  const capture = kind === 'mlflow-sqlite' && !cold ? await captureSql() : undefined;
  const scans: number[] = [];
  const cpu: number[] = [];
  let peak = 0;
  let last: FullScan | undefined;
  for (let i = 0; i < (cold ? 1 : REPEATS); i++) {
    last?.store.dispose();
    last = undefined;
    collectGarbage();
    last = await fullScan(kind, location);
    capture?.stop();
    scans.push(last.seconds);
    cpu.push(last.cpu);
    peak = Math.max(peak, last.peakHeap);
  }
  const { store, result } = last!;
  collectGarbage();
  const measurement: StoreMeasurement = {
    scans,
    cpu,
    stats: { ...store.lastScanStats },
    counts: {
      experiments: result.experiments.length,
      runs: result.runs.length,
      metricSummaries: result.runs.reduce((n, run) => n + Object.keys(run.metrics).length, 0),
      diagnostics: result.diagnostics.length,
    },
    heap: { baseline: baselineHeap, peak, retained: heapUsed() - baselineHeap },
    rss: { baseline: baselineRss, peak: peakRss() },
    queries: capture?.statements,
    rescans: cold ? undefined : await measureRescans(kind, location, store, result),
  };
  store.dispose();
  return measurement;
}

/**
 * Appends one point to one metric of one run, then re-scans: with the changed path as a hint, and with
 * no hint (the store must find the change itself); then re-scans when nothing changed. The writes are
 * not timed; the store is undone afterwards.
 */
async function measureRescans(kind: BenchedKind, location: string, store: TrackingStore, result: ScanResult) {
  const run = result.runs.find((r) => Object.keys(r.metrics).length > 0);
  if (!run) throw new Error('the generated store has no run with metrics');
  const key = Object.keys(run.metrics).sort()[0];
  const mutation = metricMutation(kind, location, run, key);
  let expected = run.metrics[key];
  const appendNext = () => {
    const step = expected.step + 1;
    const timestamp = (expected.timestamp ?? 0) + STEP_MS;
    // a dyadic fraction: written as decimal text and parsed back, it is the same double in every store
    const value = 0.25 + step / 2 ** 20;
    expected = { ...expected, step, timestamp, last: value, count: expected.count + 1 };
    mutation.append({ step, timestamp, value });
  };
  const rescan = async (options: ScanOptions, change: boolean): Promise<RescanMeasurement> => {
    const measured: RescanMeasurement = { seconds: { best: Infinity, all: [] }, filesRead: 0, bytesRead: 0, correct: true };
    for (let i = 0; i < REPEATS; i++) {
      if (change) appendNext();
      let scanned: ScanResult | undefined;
      measured.seconds.all.push(await seconds(async () => (scanned = await store.scan(options))));
      const seen = scanned?.runs.find((r) => r.id === run.id)?.metrics[key];
      measured.correct &&= seen?.count === expected.count && seen.last === expected.last && seen.step === expected.step;
      measured.filesRead = Math.max(measured.filesRead, store.lastScanStats.filesRead);
      measured.bytesRead = Math.max(measured.bytesRead, store.lastScanStats.bytesRead);
    }
    measured.seconds.best = Math.min(...measured.seconds.all);
    return measured;
  };
  try {
    return {
      hinted: await rescan({ changedPaths: [mutation.changedPath] }, true),
      unhinted: await rescan({}, true),
      unchanged: await rescan({}, false),
    };
  } finally {
    mutation.undo();
  }
}

async function main(): Promise<void> {
  const [kind, location, out, mode] = process.argv.slice(2);
  if (!(kind in PROVIDERS) || !location || !out) throw new Error('usage: measure-store.ts <kind> <location> <out.json> [--cold]');
  const measurement = await measure(kind as BenchedKind, location, mode === '--cold');
  writeFileSync(out, JSON.stringify(measurement));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
