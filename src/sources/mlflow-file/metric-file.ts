// Metric files: summaries kept up to date incrementally, and the full series on demand.
import type { MetricPoint, MetricSummary } from '../../core/model';
import { failedRead } from './file-set';
import { sameStamp, type FileReader, type Problem, type Stamp } from './files';
import { MetricLine } from './metric-line';
import { SummaryBuilder } from './metric-summary';

/** What the cache keeps of one metric file. */
export interface MetricEntry {
  /** absent when the file could not be read; the entry is then retried on every scan */
  stamp?: Stamp;
  /** bytes of complete lines read so far: a file that grew is read on from here */
  offset: number;
  /** complete lines read so far, for the line numbers of diagnostics */
  lines: number;
  summary?: MetricSummary;
  malformed: number;
  firstMalformed?: string;
  problem?: Problem;
}

/** Counts malformed lines and remembers the first, for one diagnostic per file. */
class MalformedLines {
  constructor(
    public count: number,
    public lines: number,
    public first?: string,
  ) {}

  /** Call for every complete line, in order. */
  see(buf: Buffer, start: number, end: number, ok: boolean): void {
    this.lines++;
    if (!ok) this.record(JSON.stringify(buf.toString('utf8', start, Math.min(end, start + 60))));
  }

  oversized(): void {
    this.lines++;
    this.record('(longer than the read buffer)');
  }

  problem(): Problem | undefined {
    if (this.count === 0) return undefined;
    return { message: `skipped ${this.count} malformed line(s); the first is line ${this.first}`, severity: 'warning' };
  }

  private record(text: string): void {
    this.count++;
    this.first ??= `${this.lines}: ${text}`;
  }
}

/**
 * Brings the summary of one metric file up to date. Unchanged (size, mtime): the cached entry. Grown: only
 * the new bytes are read and the summary extended. Otherwise: read whole. `missing` is what to record when
 * the file does not exist; without it the entry is dropped (`undefined`).
 */
export function refreshMetric(io: FileReader, path: string, key: string, previous: MetricEntry | undefined, missing?: Problem): MetricEntry | undefined {
  if (previous?.stamp) {
    const stats = io.stat(path);
    if (!stats.ok) return failedRead(stats, missing, unreadable);
    if (sameStamp(previous.stamp, stats.value)) return previous;
    if (stats.value.size > previous.stamp.size) return readMetric(io, path, key, previous, missing);
  }
  return readMetric(io, path, key, undefined, missing);
}

function readMetric(io: FileReader, path: string, key: string, base: MetricEntry | undefined, missing?: Problem): MetricEntry | undefined {
  const builder = new SummaryBuilder(key, base?.summary);
  const malformed = new MalformedLines(base?.malformed ?? 0, base?.lines ?? 0, base?.firstMalformed);
  const line = new MetricLine();
  const read = io.readLines(path, base?.offset ?? 0, {
    lines(chunk, start) {
      for (let next; (next = line.next(chunk, start, chunk.length)) !== -1; start = next) {
        if (line.valid) builder.add(chunk, line);
        malformed.see(chunk, start, next - 1, line.valid);
      }
      return start;
    },
    oversized: () => malformed.oversized(),
    flush: (chunk) => builder.flush(chunk),
  });
  if (!read.ok) return failedRead(read, missing, unreadable);
  return {
    stamp: read.value.stamp,
    offset: read.value.end,
    lines: malformed.lines,
    summary: builder.result(),
    malformed: malformed.count,
    firstMalformed: malformed.first,
    problem: malformed.problem(),
  };
}

const unreadable = (problem: Problem): MetricEntry => ({ offset: 0, lines: 0, malformed: 0, problem });

/** Every point of a metric file, ordered by step, then timestamp, then file order; non-finite values left out. */
export function readSeries(io: FileReader, path: string): { points: MetricPoint[]; problem?: Problem } {
  const points: MetricPoint[] = [];
  const malformed = new MalformedLines(0, 0);
  const line = new MetricLine();
  const read = io.readLines(path, 0, {
    lines(chunk, start) {
      for (let next; (next = line.next(chunk, start, chunk.length)) !== -1; start = next) {
        if (line.valid) {
          line.makeExact(chunk);
          if (Number.isFinite(line.value)) points.push({ step: line.step, value: line.value, timestamp: line.timestamp });
        }
        malformed.see(chunk, start, next - 1, line.valid);
      }
      return start;
    },
    oversized: () => malformed.oversized(),
    flush: () => undefined,
  });
  if (!read.ok) return { points: [], problem: { message: read.message, severity: 'error' } };
  points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  return { points, problem: malformed.problem() };
}
