// One `metrics.csv` across scans. CSVLogger appends rows, and rewrites the whole file when a new key appears
// (new header). A file that only grew and kept its header is read from where the last read stopped; a file
// that shrank or whose header changed is read again whole.
import { extendSummary, type MetricSummary } from '../../core/model';
import type { Loader, ScanContext } from '../shared/files';
import { START, consumeLines, type CsvProgress } from './csv';

export interface MetricsFile {
  progress: CsvProgress;
  metrics: Record<string, MetricSummary>;
  /** rows (or cells) that could not be read, kept so that every scan reports them */
  problems: { count: number; first?: string };
}

const EMPTY: MetricsFile = { progress: START, metrics: {}, problems: { count: 0 } };

export const loadMetricsFile: Loader<MetricsFile> = async (file, stamp, context, previous) => {
  const prior = previous?.value;
  if (prior && stamp.size >= previous.stamp.size && (await keepsHeader(file, prior.progress, context))) {
    return extend(prior, await context.readRange(file, prior.progress.offset, stamp.size), stamp.mtimeMs);
  }
  return extend(EMPTY, await context.readRange(file, 0, stamp.size), stamp.mtimeMs);
};

async function keepsHeader(file: string, progress: CsvProgress, context: ScanContext): Promise<boolean> {
  if (progress.header === undefined) return false;
  const expected = Buffer.from(progress.header, 'utf8');
  return (await context.readRange(file, 0, expected.length)).equals(expected);
}

function extend(state: MetricsFile, bytes: Buffer, timestamp: number): MetricsFile {
  const metrics = { ...state.metrics };
  const problems = { ...state.problems };
  const progress = consumeLines(bytes, state.progress, timestamp, {
    point: (key, point) => {
      metrics[key] = extendSummary(metrics[key], key, point);
    },
    problem: (line, reason) => {
      problems.count++;
      problems.first ??= `line ${line}: ${reason}`;
    },
  });
  return { progress, metrics, problems };
}
