// Parallel coordinates, params → primary metric, for three runs or more: an axis per param that differs
// (numeric when every value is a number, on a log scale when it spans two decades, else the values in
// order) and a last axis for the metric; each run is a line across them in its colour. Plain SVG.
import type { Comparison } from '../../src/core/compare';
import { formatNumber } from '../../src/core/format';
import type { PanelRun } from '../../src/protocol/compare';
import { Palette } from './colors';
import { el, svg } from './dom';

/** Param axes drawn at most; the params table has the rest. */
const MAX_PARAM_AXES = 12;
const AXIS_GAP = 150;
const MARGIN = { top: 48, bottom: 36, side: 70 };
const HEIGHT = 260;
const LABEL_CHARS = 20;

interface Axis {
  label: string;
  /** under the label, e.g. "log scale" */
  note?: string;
  values: Array<string | number | null>;
  /** position of a value on the axis, 0 (bottom) … 1 (top); undefined for a missing value */
  position(value: string | number | null): number | undefined;
  ticks: Array<{ at: number; text: string }>;
}

export interface ParallelContext {
  runs: readonly PanelRun[];
  comparison: Comparison;
  primaryMetric?: string;
}

export function parallelCoordinates({ runs, comparison, primaryMetric }: ParallelContext): HTMLElement {
  const differing = comparison.params.filter((row) => row.differs);
  const axes: Axis[] = differing.slice(0, MAX_PARAM_AXES).map((row) => valueAxis(row.key, row.values));
  const metric = comparison.metrics.find((row) => row.key === primaryMetric);
  if (metric) axes.push(valueAxis(`${metric.key}${metric.direction === 'max' ? ' ↑' : metric.direction === 'min' ? ' ↓' : ''}`, metric.cells.map((cell) => cell?.last ?? null)));
  if (axes.length < 2) return el('p', { class: 'empty-note' }, 'The runs share every param: there is nothing to draw against the metric.');
  const width = MARGIN.side * 2 + AXIS_GAP * (axes.length - 1);
  const height = MARGIN.top + HEIGHT + MARGIN.bottom;
  const xOf = (i: number) => MARGIN.side + i * AXIS_GAP;
  const yOf = (position: number) => MARGIN.top + (1 - position) * HEIGHT;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'parallel-chart', role: 'img' });
  // never narrower than drawn: many axes scroll sideways rather than shrink their labels
  root.style.minWidth = `${width}px`;
  root.setAttribute('aria-label', `Parallel coordinates of ${runs.length} runs over ${axes.length - (metric ? 1 : 0)} params${metric ? ` and ${metric.key}` : ''}; the tables list the same values.`);
  axes.forEach((axis, i) => {
    const group = svg('g', { class: 'pc-axis' });
    group.append(svg('line', { x1: xOf(i), x2: xOf(i), y1: yOf(0), y2: yOf(1) }));
    const title = svg('text', { x: xOf(i), y: MARGIN.top - 24, class: 'pc-label' }, truncate(axis.label));
    title.append(svg('title', {}, axis.label));
    group.append(title);
    if (axis.note) group.append(svg('text', { x: xOf(i), y: MARGIN.top - 10, class: 'pc-note' }, axis.note));
    for (const tick of axis.ticks) {
      const text = svg('text', { x: xOf(i) + 6, y: yOf(tick.at) + 4, class: 'pc-tick' }, truncate(tick.text));
      text.append(svg('title', {}, tick.text));
      group.append(text);
    }
    root.append(group);
  });
  runs.forEach((run, r) => {
    let d = '';
    let drawing = false;
    axes.forEach((axis, i) => {
      const at = axis.position(axis.values[r] ?? null);
      if (at === undefined) {
        drawing = false;
        return;
      }
      d += `${drawing ? 'L' : 'M'}${xOf(i)} ${yOf(at).toFixed(1)} `;
      drawing = true;
    });
    if (!d) return;
    const path = svg('path', { d: d.trim(), class: `pc-line${r === comparison.baseline ? ' baseline' : ''}` });
    path.style.stroke = Palette.cssValue(run.key);
    path.append(svg('title', {}, `${run.name}\n${axes.map((axis) => `${axis.label}: ${axis.values[r] ?? '—'}`).join('\n')}`));
    root.append(path);
  });
  const notes = differing.length > MAX_PARAM_AXES ? el('p', { class: 'chart-note' }, `${differing.length - MAX_PARAM_AXES} more params differ; the params table lists them.`) : null;
  return el('div', { class: 'parallel' }, root, notes);
}

function truncate(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
}

/** A numeric axis when every value present is a number, else an axis of the distinct values in order. */
function valueAxis(label: string, raw: ReadonlyArray<string | number | null>): Axis {
  const present = raw.filter((v): v is string | number => v !== null && v !== '');
  const numbers = present.map(Number);
  if (present.length > 0 && numbers.every(Number.isFinite)) return numericAxis(label, raw.map((v) => (v === null || v === '' ? null : Number(v))));
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const at = (value: string | number | null) => {
    if (value === null || value === '') return undefined;
    const index = categories.indexOf(String(value));
    return categories.length === 1 ? 0.5 : index / (categories.length - 1);
  };
  return { label, values: [...raw], position: at, ticks: categories.map((text) => ({ at: at(text)!, text })) };
}

function numericAxis(label: string, values: Array<number | null>): Axis {
  const present = values.filter((v): v is number => v !== null);
  const min = Math.min(...present);
  const max = Math.max(...present);
  const log = min > 0 && max / min >= 100;
  const scale = (v: number) => (log ? Math.log10(v) : v);
  const span = scale(max) - scale(min);
  const position = (value: string | number | null) => (value === null ? undefined : span === 0 ? 0.5 : (scale(Number(value)) - scale(min)) / span);
  const ticks = span === 0 ? [{ at: 0.5, text: formatNumber(min) }] : [{ at: 0, text: formatNumber(min) }, { at: 1, text: formatNumber(max) }];
  return { label, note: log ? 'log scale' : undefined, values, position, ticks };
}
