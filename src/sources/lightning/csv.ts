// Lightning CSVLogger's `metrics.csv`: one row per log call, sparse (a row holds only what that call logged),
// written by Python's csv module. Pure functions over the bytes, so that a scan can feed them only the bytes
// appended since the last one.
import type { MetricPoint } from '../../core/model';

/** Where the rows' values go. */
export interface RowSink {
  point(key: string, point: MetricPoint): void;
  /** `line` is 1-based, the header being line 1 */
  problem(line: number, reason: string): void;
}

/** How far into the file reading has got. */
export interface CsvProgress {
  /** the header line with its line break, once complete; a re-scan compares it with the file's first bytes */
  header?: string;
  columns: string[];
  /** bytes of complete lines consumed */
  offset: number;
  /** lines consumed, the header included */
  lines: number;
}

export const START: CsvProgress = { columns: [], offset: 0, lines: 0 };

/** Columns that place a row rather than hold a metric. */
const AXES = new Set(['step', 'epoch']);
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** Python's spelling of values the model cannot hold (zod rejects them): skipped, not errors. */
const NON_FINITE = /^\s*[+-]?(?:nan|inf|infinity)\s*$/i;

/**
 * Reads the complete lines of `bytes`, the file's content from `progress.offset` on, and returns the progress
 * after them. A trailing line without its line break is being written: it is left for the next read.
 * Every value is stamped with `timestamp`: the file records no time of its own.
 */
export function consumeLines(bytes: Buffer, progress: CsvProgress, timestamp: number, sink: RowSink): CsvProgress {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const lines = bytes.subarray(0, end).toString('utf8').split('\n').slice(0, -1);
  let { header, columns, lines: lineNo } = progress;
  for (const raw of lines) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (header === undefined) {
      header = `${raw}\n`;
      columns = splitCsvLine(line);
    } else if (line.trim() !== '') {
      readRow(line, lineNo, columns, timestamp, sink);
    }
  }
  return { header, columns, offset: progress.offset + end, lines: lineNo };
}

function readRow(line: string, lineNo: number, columns: readonly string[], timestamp: number, sink: RowSink): void {
  const cells = splitCsvLine(line);
  if (cells.length !== columns.length) return sink.problem(lineNo, `${cells.length} cells where the header has ${columns.length}`);
  const stepAt = columns.indexOf('step');
  // Without a step column (not CSVLogger's own output) the data row's position is the step.
  const step = stepAt < 0 ? lineNo - 2 : cellValue(cells[stepAt]!);
  if (typeof step !== 'number') return sink.problem(lineNo, `step "${cells[stepAt]}" is not a number`);
  const bad: string[] = [];
  cells.forEach((cell, i) => {
    const key = columns[i]!;
    if (AXES.has(key)) return;
    const value = cellValue(cell);
    if (typeof value === 'number') sink.point(key, { step, value, timestamp });
    else if (value === 'invalid') bad.push(key);
  });
  if (bad.length > 0) sink.problem(lineNo, `not a number in ${bad.join(', ')}`);
}

/** A number; 'none' for an empty cell or a value the model cannot hold; 'invalid' for anything else. */
function cellValue(cell: string): number | 'none' | 'invalid' {
  if (cell.trim() === '' || NON_FINITE.test(cell)) return 'none';
  if (!NUMBER.test(cell)) return 'invalid';
  const value = Number(cell);
  return Number.isFinite(value) ? value : 'none';
}

/** The cells of one line, with the quoting Python's csv module writes (`"a,b"`, `""` for a quote). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (line[i + 1] === '"') cell += line[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
