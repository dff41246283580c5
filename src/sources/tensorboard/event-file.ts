// One event file as Runlens keeps it: per-tag summaries, hparams and wall-time bounds, continued from where
// the last read stopped when the file grew (event files are only ever appended to).
import { extendSummary, type Diagnostic, type MetricPoint, type MetricSummary } from '../../core/model';
import type { ScanStats } from '../../core/source';
import { decodeEvent, type DecodedEvent } from './event';
import { readRecords } from './records';
import { StringCache } from './wire';

export interface EventFileSummary {
  /** where the next read resumes: just past the last complete record */
  offset: number;
  metrics: Map<string, MetricSummary>;
  params: Record<string, string>;
  /** ms since the epoch */
  firstWallTime?: number;
  lastWallTime?: number;
  problems: Problems;
}

/** What could not be read: records skipped so far, and why the last read stopped early (found again on the next). */
export interface Problems {
  undecodable: number;
  firstUndecodable?: string;
  stop?: string;
}

/**
 * Reads what `file` gained since `previous` (all of it without one, or when the file is now shorter than
 * what was read, i.e. it was replaced). Never throws: problems are kept in the summary (see `diagnosticsOf`).
 */
export async function summarizeEventFile(file: string, size: number, previous: EventFileSummary | undefined, stats: ScanStats): Promise<EventFileSummary> {
  const summary: EventFileSummary =
    previous && size >= previous.offset ? previous : { offset: 0, metrics: new Map(), params: {}, problems: { undecodable: 0 } };
  const { metrics } = summary;
  const addPoint = (tag: string, point: MetricPoint) => metrics.set(tag, extendSummary(metrics.get(tag), tag, point));
  const read = await readEvents(file, summary.offset, summary.problems, (event) => {
    const wallTime = millis(event.wallTime);
    if (wallTime !== undefined) {
      summary.firstWallTime = Math.min(summary.firstWallTime ?? wallTime, wallTime);
      summary.lastWallTime = Math.max(summary.lastWallTime ?? wallTime, wallTime);
    }
    forEachPoint(event, addPoint);
    if (event.hparams) summary.params = { ...summary.params, ...event.hparams };
  });
  stats.bytesRead += read.bytesRead;
  summary.offset = read.end;
  return summary;
}

/** Every point of one tag in `file`, in file order. */
export async function readEventFileSeries(file: string, key: string): Promise<{ points: MetricPoint[]; diagnostics: Diagnostic[] }> {
  const points: MetricPoint[] = [];
  const addPoint = (tag: string, point: MetricPoint) => {
    if (tag === key) points.push(point);
  };
  const problems: Problems = { undecodable: 0 };
  await readEvents(file, 0, problems, (event) => forEachPoint(event, addPoint));
  return { points, diagnostics: diagnosticsOf(file, problems) };
}

export function diagnosticsOf(file: string, problems: Problems): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (problems.stop) diagnostics.push({ file, message: problems.stop, severity: 'error' });
  if (problems.undecodable > 0) {
    diagnostics.push({ file, message: `${problems.undecodable} record(s) are not TensorBoard events, the first ${problems.firstUndecodable}`, severity: 'warning' });
  }
  return diagnostics;
}

/**
 * Decodes the records of `file` from byte `from` on into `onEvent`, noting in `problems` the records that
 * are not Events (skipped, not fatal) and why reading stopped early, if it did.
 */
async function readEvents(file: string, from: number, problems: Problems, onEvent: (event: DecodedEvent) => void): Promise<{ end: number; bytesRead: number }> {
  const tags = new StringCache();
  problems.stop = undefined;
  try {
    const read = await readRecords(file, from, (buffer, start, end, offset) => {
      let event: DecodedEvent;
      try {
        event = decodeEvent(buffer, start, end, tags);
      } catch (error) {
        if (problems.undecodable++ === 0) problems.firstUndecodable = `at byte ${offset}: ${(error as Error).message}`;
        return;
      }
      onEvent(event);
    });
    if (read.failure) problems.stop = `${read.failure.message}; the rest of the file is not read`;
    return read;
  } catch (error) {
    problems.stop = `cannot read the event file: ${(error as Error).message}`;
    return { end: from, bytesRead: 0 };
  }
}

/** The event's scalars as metric points; non-finite values are left out (the model's numbers are finite). */
function forEachPoint(event: DecodedEvent, onPoint: (tag: string, point: MetricPoint) => void): void {
  if (event.scalars.length === 0) return;
  const timestamp = millis(event.wallTime) ?? 0;
  for (const { tag, value } of event.scalars) if (Number.isFinite(value)) onPoint(tag, { step: event.step, value, timestamp });
}

/** Wall time (seconds) as ms since the epoch; undefined when it is not a usable number. */
function millis(wallTime: number): number | undefined {
  const ms = wallTime * 1000;
  return Number.isFinite(ms) ? ms : undefined;
}
