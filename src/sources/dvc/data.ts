// The data files a DVC pipeline declares: params and metrics (JSON or YAML, nested keys flattened to `a.b`)
// and plots (CSV, TSV, JSON or YAML tables) turned into metric series. Pure.
import { posix } from 'node:path';
import type { MetricPoint } from '../../core/model';
import { finiteNumber, isMapping, parsePythonJson, parseYaml } from '../shared/values';

/** Nesting deeper than this is not flattened (YAML aliases can build structures that contain themselves). */
const MAX_DEPTH = 16;

/** A JSON or YAML file as plain JS; throws for a format Runlens does not read or text that does not parse. */
export function parseDataFile(path: string, text: string): unknown {
  const ext = posix.extname(path).toLowerCase();
  if (ext === '.json') return parsePythonJson(text);
  if (ext === '.yaml' || ext === '.yml' || ext === '') return parseYaml(text);
  throw new Error(`${ext.slice(1)} files are not read yet`);
}

export interface MetricValues {
  values: Record<string, number>;
  /** DVCLive writes the step of its last values as a top-level `step` */
  step?: number;
}

/** The numbers of a metrics document under flattened keys; strings, booleans and lists are not metrics. */
export function flattenMetrics(doc: unknown): MetricValues {
  const values: Record<string, number> = {};
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (isMapping(value) && depth < MAX_DEPTH) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key, depth + 1);
      return;
    }
    const number = finiteNumber(value);
    if (prefix && number !== undefined) values[prefix] = number;
  };
  walk(doc, '', 0);
  const step = values.step;
  delete values.step;
  return { values, step };
}

export type Row = Record<string, unknown>;

/** The rows of a plot file: CSV/TSV with a header line, or JSON/YAML records (a list, or the first list in a mapping). */
export function readTable(path: string, text: string): Row[] {
  const ext = posix.extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return delimitedRows(text, ext === '.tsv' ? '\t' : ',');
  const doc = parseDataFile(path, text);
  const records = Array.isArray(doc) ? doc : isMapping(doc) ? Object.values(doc).find(Array.isArray) : undefined;
  if (!records) throw new Error('no list of records');
  return records.filter(isMapping);
}

/** Plot files Runlens reads as tables; images and anything else are left out. */
export function isTableFile(path: string): boolean {
  return ['.csv', '.tsv', '.json', '.yaml', '.yml'].includes(posix.extname(path).toLowerCase());
}

/**
 * Simple delimited text as DVC and DVCLive write it: no quoted delimiters (a quoted field is unquoted, not
 * split). Numeric cells become numbers.
 */
function delimitedRows(text: string, delimiter: string): Row[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift()?.split(delimiter).map(unquote);
  if (!header) return [];
  return lines.map((line) => {
    const cells = line.split(delimiter);
    const row: Row = {};
    header.forEach((column, i) => {
      const cell = unquote(cells[i] ?? '');
      row[column] = cell !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell;
    });
    return row;
  });
}

function unquote(cell: string): string {
  const trimmed = cell.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** Fields that place a point rather than hold a value. */
const AXES = new Set(['step', 'timestamp']);

/** The fields a plot without `y` draws: every field with a number in the first row, but x and the axes. */
export function numericFields(rows: readonly Row[], x: string | undefined): string[] {
  const first = rows[0] ?? {};
  return Object.keys(first).filter((key) => key !== x && !AXES.has(key) && finiteNumber(first[key]) !== undefined);
}

/**
 * One field of a table as points: step is x's value (a curve such as ROC is drawn over its x), else the
 * row's `step`, else its index; the time is the row's `timestamp` (DVCLive, ms), else `time`. Rows without
 * a number for the value or the step are skipped.
 */
export function seriesOf(rows: readonly Row[], x: string | undefined, y: string, time: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  rows.forEach((row, index) => {
    const value = finiteNumber(row[y]);
    const step = x !== undefined ? finiteNumber(row[x]) : finiteNumber(row.step) ?? index;
    if (value === undefined || step === undefined) return;
    points.push({ step, value, timestamp: finiteNumber(row.timestamp) ?? time });
  });
  return points;
}
