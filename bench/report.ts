// The bench's result table: printed for people, written as JSON for tools.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { MB } from './measure';

export interface Row {
  metric: string;
  value: string;
  floor: string;
  ratio: string;
  goal: string;
  /** 'yes', 'NO', or '' for a row that only informs */
  met: string;
}

/** A measurement of a benchmark module (TensorBoard, compare): a number, its unit, and a floor when it has one. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  floor?: number;
  goal?: string;
  met?: boolean;
}

/** Table rows of a benchmark module's measurements; the ratio is value/floor. */
export function benchRows(label: string, measured: readonly BenchRow[]): Row[] {
  const text = (value: number, unit: string) => `${Number(value.toPrecision(4))} ${unit}`;
  return measured.map((m) => ({
    metric: `${label}: ${m.name}`,
    value: text(m.value, m.unit),
    floor: m.floor === undefined ? '' : text(m.floor, m.unit),
    ratio: m.floor === undefined ? '' : ratioText(m.value / m.floor),
    goal: m.goal ?? '',
    met: m.met === undefined ? '' : metText(m.met),
  }));
}

export const secondsText = (s: number) => (s < 0.1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);
export const mbText = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
export const bytesText = (bytes: number) => (bytes < MB ? `${bytes} B` : mbText(bytes));
export const ratioText = (ratio: number) => `${ratio.toFixed(2)}x`;
export const metText = (met: boolean) => (met ? 'yes' : 'NO');

export function table(rows: readonly Row[]): string {
  const header: Row = { metric: 'metric', value: 'value', floor: 'floor', ratio: 'ratio', goal: 'goal', met: 'met?' };
  const columns = Object.keys(header) as (keyof Row)[];
  const widths = columns.map((c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  const line = (r: Row) => `| ${columns.map((c, i) => r[c].padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** One-minute load average against the core count: other work on the machine skews every timing. */
export function loadText(): string {
  return `load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`;
}

export function writeResults(path: string, rows: readonly Row[], measurements: object, load: { start: string; end: string }): void {
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryMB: Math.round(totalmem() / MB), node: process.version, platform: process.platform };
  writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), machine, load, rows, measurements }, null, 2)}\n`);
}
