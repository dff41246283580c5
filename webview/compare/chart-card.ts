// The card of one metric: title, zoom reset and PNG export, the chart, a legend whose buttons show and hide
// runs, and a table of the last values that screen readers (and tests) read instead of the canvas.
import { formatNumber } from '../../src/core/format';
import type { MetricRow } from '../../src/core/compare';
import type { PanelRun } from '../../src/protocol/compare';
import { buildDatasets, formatX, X_LABELS, type ChartDatasets } from './chart-data';
import { ChartView } from './chart-view';
import { Palette } from './colors';
import { el } from './dom';
import type { SeriesStore } from './series-store';
import type { StateStore } from './state';
import { button } from './toolkit';

/** Above this many runs the legend folds away. */
const OPEN_LEGEND_RUNS = 12;

export interface CardContext {
  runs(): readonly PanelRun[];
  series: SeriesStore;
  state: StateStore;
  palette: Palette;
  hover(metric: string, x: number | undefined, fromKeyboard: boolean): void;
  painted(): void;
  exportPng(metric: string, dataUrl: string): void;
}

export class ChartCard {
  readonly element: HTMLElement;
  /** drawn with data since the last reset */
  painted = false;
  visible = false;
  /** when it was last on screen, for dropping charts nobody looks at */
  lastSeen = 0;
  private readonly view: ChartView;
  private readonly canvas: HTMLCanvasElement;
  private readonly note = el('p', { class: 'chart-note' });
  private readonly legend = el('div', { class: 'legend' });
  private readonly values = el('table', { class: 'chart-values' });
  private readonly announcer = el('div', { class: 'sr-only', 'aria-live': 'polite' });
  private frame = 0;

  constructor(
    readonly row: MetricRow,
    private readonly context: CardContext,
  ) {
    const id = `chart-${Math.random().toString(36).slice(2)}`;
    this.canvas = el('canvas', { tabindex: '0', role: 'img', 'aria-describedby': `${id}-values` });
    this.values.id = `${id}-values`;
    this.view = new ChartView(row.key, this.canvas, {
      hover: (x, fromKeyboard) => context.hover(row.key, x, fromKeyboard),
      painted: () => {
        if (this.painted) return;
        this.painted = true;
        context.painted();
      },
    });
    const direction = row.direction === 'max' ? '↑ higher is better' : row.direction === 'min' ? '↓ lower is better' : undefined;
    this.element = el(
      'article',
      { class: 'chart-card', 'data-metric': row.key, 'aria-labelledby': `${id}-title` },
      el(
        'header',
        { class: 'chart-header' },
        el('h3', { id: `${id}-title`, title: row.key }, row.key),
        direction && el('span', { class: 'direction' }, direction),
        el(
          'span',
          { class: 'chart-actions' },
          button('Reset zoom', () => this.view.resetZoom(), { title: 'Also: double-click the chart, or press 0 with the chart focused' }),
          button('Export PNG', () => this.exportPng(), { title: `Save the ${row.key} chart as a PNG image` }),
        ),
      ),
      el('div', { class: 'chart-body' }, this.canvas),
      this.note,
      this.legend,
      el('div', { class: 'sr-only' }, this.values),
      this.announcer,
    );
  }

  get live(): boolean {
    return this.view.live;
  }

  /** Renders once in the next frame, however many series arrive before it. */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Runs that have this metric but whose series has not come yet. */
  pending(): number {
    const series = this.context.series.get(this.row.key);
    return this.context.runs().filter((run, i) => this.row.cells[i] != null && !series?.has(run.key)).length;
  }

  /** Draws the chart (when on screen, or `always`) and refreshes the legend, notes and value table. */
  render(always = false): void {
    const { state, palette } = this.context;
    const settings = state.value;
    const runs = this.context.runs().filter((_, i) => this.row.cells[i] != null);
    const built = buildDatasets(runs, this.context.series.get(this.row.key), {
      x: settings.x,
      logY: settings.logY,
      smoothing: settings.smoothing,
      hidden: state.hiddenIn(this.row.key),
      color: (key) => palette.run(key),
    });
    this.canvas.setAttribute(
      'aria-label',
      `${this.row.key} by ${X_LABELS[settings.x].toLowerCase()}, ${runs.length} run${runs.length === 1 ? '' : 's'}. Left and right arrows read the values, Shift+arrows pan, + and - zoom, 0 resets.`,
    );
    this.note.textContent = noteText(built, runs.length, settings.logY);
    this.renderLegend(runs);
    this.renderValues(runs);
    if (always || this.visible || this.view.live) this.view.render(built.datasets, { x: settings.x, logY: settings.logY, direction: this.row.direction, theme: palette.theme });
  }

  showCursor(x: number | undefined, withTooltip: boolean, announce: boolean): void {
    const read = this.view.showCursor(x, withTooltip);
    if (announce && x !== undefined) {
      const at = formatX(x, this.context.state.value.x, true);
      this.announcer.textContent = `${this.row.key} at ${at}: ${read.map((r) => `${r.label} ${formatNumber(r.y)}`).join(', ')}`;
    }
  }

  destroyChart(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.view.destroy();
    this.painted = false;
  }

  /** Draws the chart with everything there is now (even off screen) and returns it as PNG. */
  toPng(): string | undefined {
    this.render(true);
    return this.view.toPng(this.context.palette.theme.background);
  }

  private exportPng(): void {
    const dataUrl = this.toPng();
    if (dataUrl) this.context.exportPng(this.row.key, dataUrl);
  }

  private renderLegend(runs: readonly PanelRun[]): void {
    const hidden = this.context.state.hiddenIn(this.row.key);
    const items = runs.map((run) => {
      const shown = !hidden.has(run.key);
      const item = el('button', { class: 'legend-item', type: 'button', 'aria-pressed': String(shown), title: shown ? 'Hide in this chart' : 'Show in this chart' });
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.setProperty('--run-color', Palette.cssValue(run.key));
      item.append(swatch, run.name);
      item.addEventListener('click', () => {
        this.context.state.toggleHidden(this.row.key, run.key);
        this.render();
      });
      return item;
    });
    const list = el('div', { class: 'legend-items', role: 'group', 'aria-label': `Runs in the ${this.row.key} chart` }, ...items);
    this.legend.replaceChildren(runs.length > OPEN_LEGEND_RUNS ? el('details', {}, el('summary', {}, `Legend (${runs.length} runs)`), list) : list);
  }

  private renderValues(runs: readonly PanelRun[]): void {
    const series = this.context.series.get(this.row.key);
    const rows = runs.map((run) => {
      const data = series?.get(run.key);
      const last = data && data.values.length > 0 ? data.values.length - 1 : undefined;
      return el(
        'tr',
        { 'data-run': run.key },
        el('th', { scope: 'row' }, run.name),
        el('td', {}, last === undefined ? '—' : String(data!.steps[last])),
        el('td', { 'data-value': last === undefined ? '' : String(data!.values[last]) }, last === undefined ? 'not loaded' : formatNumber(data!.values[last]!)),
        el('td', {}, data ? String(data.total) : '—'),
      );
    });
    this.values.replaceChildren(
      el('caption', {}, `Last drawn values of ${this.row.key}`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Run'), el('th', { scope: 'col' }, 'Step'), el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'Points logged'))),
      el('tbody', {}, ...rows),
    );
  }
}

function noteText(built: ChartDatasets, runs: number, logY: boolean): string {
  const parts: string[] = [];
  if (built.pending > 0) parts.push(`Loading ${built.pending} of ${runs} run${runs === 1 ? '' : 's'}…`);
  if (runs > 0 && built.empty === runs) parts.push('No points could be read for this metric (see Runlens: Show Log).');
  if (built.nonFinite > 0) parts.push(`${built.nonFinite} NaN or infinite value${built.nonFinite === 1 ? '' : 's'} not drawn.`);
  if (logY && built.nonPositive > 0) parts.push(`${built.nonPositive} value${built.nonPositive === 1 ? '' : 's'} ≤ 0 hidden on the log scale.`);
  return parts.join(' ');
}
