// The metric summary: a row per metric, a column per run; the last value, the best one, and the delta
// against the baseline coloured by whether it is better or worse in the metric's direction. Sortable by
// the metric's name or by any run's column (its delta, or the baseline's own value).
import type { Comparison, MetricCell, MetricRow } from '../../src/core/compare';
import { formatNumber } from '../../src/core/format';
import type { PanelRun, PanelState } from '../../src/protocol/compare';
import { Palette } from './colors';
import { el, srOnly } from './dom';

type Sort = PanelState['sort'];

export interface SummaryContext {
  runs: readonly PanelRun[];
  comparison: Comparison;
  sort: Sort;
  onSort(sort: Sort): void;
}

const sign = (value: number) => (value > 0 ? '+' : value < 0 ? '−' : '±');
const signed = (value: number) => `${sign(value)}${formatNumber(Math.abs(value))}`;
/** Two significant digits: "+0.53%", "−68%". */
const percent = (ratio: number) => `${sign(ratio)}${Number(Math.abs(ratio * 100).toPrecision(2))}%`;
const ARROWS = { better: '▲', worse: '▼', same: '=' } as const;

export function summaryTable(context: SummaryContext): HTMLElement {
  const { runs, comparison, sort } = context;
  if (comparison.metrics.length === 0) return el('p', { class: 'empty-note' }, 'These runs have logged no metrics.');
  const header = (label: Node | string, column: string, title: string) => {
    const active = sort.column === column;
    const th = el('th', { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' });
    const sortButton = el('button', { class: 'sort-button', type: 'button', title }, label, el('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (sort.descending ? ' ↓' : ' ↑') : ''));
    sortButton.addEventListener('click', () => context.onSort({ column, descending: active ? !sort.descending : false }));
    th.append(sortButton);
    return th;
  };
  const runHeaders = runs.map((run, i) => {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.setProperty('--run-color', Palette.cssValue(run.key));
    const label = el('span', { class: 'run-label' }, swatch, run.name, i === comparison.baseline ? el('span', { class: 'tag' }, 'baseline') : null);
    return header(label, run.key, i === comparison.baseline ? 'Sort metrics by this run’s values' : 'Sort metrics by the change against the baseline');
  });
  const rows = sortRows(comparison, runs, sort).map((row) =>
    el(
      'tr',
      { 'data-metric': row.key },
      el('th', { scope: 'row' }, el('span', { class: 'metric-key' }, row.key), directionMark(row.direction)),
      ...row.cells.map((cell, i) => metricCell(cell, i === comparison.baseline, row.direction)),
    ),
  );
  return el(
    'div',
    { class: 'table-scroll' },
    el(
      'table',
      { class: 'summary' },
      el('caption', { class: 'sr-only' }, 'Metrics: last value, best value and change against the baseline, per run'),
      el('thead', {}, el('tr', {}, header('Metric', 'metric', 'Sort by metric name'), ...runHeaders)),
      el('tbody', {}, ...rows),
    ),
  );
}

function directionMark(direction: MetricRow['direction']): HTMLElement {
  if (direction === 'max') return el('span', { class: 'direction', title: 'Higher is better' }, ' ↑', srOnly(' higher is better'));
  if (direction === 'min') return el('span', { class: 'direction', title: 'Lower is better' }, ' ↓', srOnly(' lower is better'));
  return el('span', { class: 'direction unknown', title: 'Direction unknown: set it in the runlens.metricDirections setting' }, ' ?', srOnly(' direction unknown'));
}

function metricCell(cell: MetricCell | null, isBaseline: boolean, direction: MetricRow['direction']): HTMLTableCellElement {
  if (!cell) return el('td', { class: 'missing' }, '—', srOnly('not logged'));
  const verdict = cell.verdict;
  const delta =
    !isBaseline && cell.delta !== undefined
      ? el(
          'span',
          { class: 'delta' },
          `${verdict ? ARROWS[verdict] : ''} ${signed(cell.delta)}${cell.relative !== undefined ? ` (${percent(cell.relative)})` : ''}`,
          verdict ? srOnly(`, ${verdict}`) : null,
        )
      : null;
  const best = direction && cell.best !== cell.last ? el('span', { class: 'best', title: `Best value over the history (${direction === 'max' ? 'highest' : 'lowest'})` }, `best ${formatNumber(cell.best)}`) : null;
  return el(
    'td',
    { class: `metric-cell${verdict && !isBaseline ? ` ${verdict}` : ''}`, 'data-last': String(cell.last) },
    el('span', { class: 'last', title: `Last value, logged at step ${cell.step}` }, formatNumber(cell.last)),
    delta,
    best,
  );
}

/** Rows in the order `sort` asks; rows without a value in the sorted column go last either way. */
export function sortRows(comparison: Comparison, runs: readonly PanelRun[], sort: Sort): MetricRow[] {
  const byName = (a: MetricRow, b: MetricRow) => a.key.localeCompare(b.key);
  const column = runs.findIndex((run) => run.key === sort.column);
  const sign = sort.descending ? -1 : 1;
  if (column < 0) return [...comparison.metrics].sort((a, b) => sign * byName(a, b));
  const value = (row: MetricRow): number | undefined => {
    const cell = row.cells[column];
    if (!cell) return undefined;
    return column === comparison.baseline ? cell.last : (cell.relative ?? cell.delta);
  };
  return [...comparison.metrics].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) return (va === undefined ? 1 : 0) - (vb === undefined ? 1 : 0) || byName(a, b);
    return sign * (va - vb) || byName(a, b);
  });
}
