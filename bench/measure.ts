// Timing and memory measurement helpers shared by the bench's parent and child processes.
import { getHeapStatistics } from 'node:v8';

export interface Timing {
  /** the fastest repeat, seconds */
  best: number;
  /** every repeat, seconds, in order */
  all: number[];
}

/** Runs `fn` once untimed (warm page cache, JIT), then `repeats` timed times; keeps the fastest. */
export async function warmBestOf(repeats: number, fn: () => unknown): Promise<Timing> {
  await fn();
  return bestOf(repeats, fn);
}

export async function bestOf(repeats: number, fn: () => unknown): Promise<Timing> {
  const all: number[] = [];
  for (let i = 0; i < repeats; i++) all.push(await seconds(fn));
  return { best: Math.min(...all), all };
}

export async function seconds(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

/** Full garbage collection; needs `node --expose-gc` (the bench script passes it). */
export function collectGarbage(): void {
  if (!global.gc) throw new Error('run with node --expose-gc (npm run bench does)');
  global.gc();
}

export const heapUsed = () => getHeapStatistics().used_heap_size;

/**
 * Samples the V8 heap on an interval while something runs. A scan that holds the event loop longer than
 * the interval is sampled less often, so the peak is a lower bound; stores that yield every few
 * milliseconds (as the file store does) are sampled closely.
 */
export class HeapPeak {
  peak = heapUsed();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 2) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    this.peak = Math.max(this.peak, heapUsed());
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

/** The process's peak resident set size so far, bytes (the kernel's high-water mark). */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;

export const MB = 1024 * 1024;
