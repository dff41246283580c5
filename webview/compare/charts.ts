// The charts section: the controls every chart shares (x axis, log y, smoothing) and one card per metric.
// Cards ask the host for their series when they come near the screen, and charts far from it are dropped
// once many exist, so a comparison of hundreds of runs and metrics stays light. Hovering one chart moves
// the cursor and the tooltip of all the others to the same x.
import type { MetricRow } from '../../src/core/compare';
import type { PanelRun, SeriesData, SeriesEntry, XAxis } from '../../src/protocol/compare';
import { X_LABELS } from './chart-data';
import { ChartCard, type CardContext } from './chart-card';
import type { Palette } from './colors';
import { el } from './dom';
import type { SeriesStore } from './series-store';
import type { StateStore } from './state';
import { checkbox, dropdown } from './toolkit';
import type { Host } from './vscode-api';

/** Charts kept alive at most; beyond that, the one longest off screen is dropped (and redrawn when back). */
const MAX_LIVE_CHARTS = 16;
/** How far off screen a card starts loading and drawing. */
const NEAR_SCREEN = '600px';

export interface GridContext {
  host: Host;
  state: StateStore;
  palette: Palette;
  series: SeriesStore;
  runs(): readonly PanelRun[];
  /** a chart was drawn with data for the first time */
  painted(): void;
}

export class ChartGrid {
  readonly element: HTMLElement;
  private readonly cards = new Map<string, ChartCard>();
  private readonly grid = el('div', { class: 'chart-grid' });
  private readonly observer: IntersectionObserver;
  private readonly requested = new Set<string>();
  private toRequest = new Set<string>();
  private hoverFrame = 0;
  /** callers waiting for a metric's series to have come for every run */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly context: GridContext) {
    this.observer = new IntersectionObserver((entries) => this.onIntersect(entries), { rootMargin: NEAR_SCREEN });
    this.element = el('div', { class: 'charts' }, this.controls(), this.grid);
  }

  /** Charts drawn with data. */
  get paintedCount(): number {
    return [...this.cards.values()].filter((card) => card.painted).length;
  }

  /** One card per metric, no series: what an `init` starts from. */
  reset(metrics: readonly MetricRow[]): void {
    for (const card of this.cards.values()) card.destroyChart();
    this.cards.clear();
    this.observer.disconnect();
    this.requested.clear();
    const cardContext: CardContext = {
      runs: this.context.runs,
      series: this.context.series,
      state: this.context.state,
      palette: this.context.palette,
      hover: (metric, x, fromKeyboard) => this.hover(metric, x, fromKeyboard),
      painted: this.context.painted,
      exportPng: (metric, dataUrl) => this.context.host.post({ type: 'exportPng', metric, dataUrl }),
    };
    for (const row of metrics) {
      const card = new ChartCard(row, cardContext);
      this.cards.set(row.key, card);
      card.render();
      this.observer.observe(card.element);
    }
    this.grid.replaceChildren(...[...this.cards.values()].map((card) => card.element));
    if (metrics.length === 0) this.grid.append(el('p', { class: 'empty-note' }, 'These runs have logged no metrics.'));
  }

  /** New summaries (another baseline, live values): the cards keep their charts. */
  update(metrics: readonly MetricRow[]): void {
    const added = metrics.filter((row) => !this.cards.has(row.key));
    if (added.length > 0) this.reset(metrics);
    else this.redraw();
  }

  setSeries(metric: string, entries: readonly SeriesEntry[]): void {
    this.context.series.set(metric, entries);
    const card = this.cards.get(metric);
    card?.schedule();
    if (card?.pending() !== 0) return;
    for (const resolve of this.waiting.get(metric) ?? []) resolve();
    this.waiting.delete(metric);
  }

  append(metric: string, entries: ReadonlyArray<{ run: string; data: SeriesData }>): void {
    this.context.series.append(metric, entries);
    this.cards.get(metric)?.schedule();
  }

  /** The chart of `metric` as PNG once every run's series is in, drawn first if it is off screen. */
  async png(metric: string): Promise<string | undefined> {
    const card = this.cards.get(metric);
    if (!card) return undefined;
    if (card.pending() > 0) {
      this.request(metric);
      await new Promise<void>((resolve) => this.waiting.set(metric, [...(this.waiting.get(metric) ?? []), resolve]));
    }
    return this.cards.get(metric)?.toPng();
  }

  redraw(): void {
    for (const card of this.cards.values()) card.schedule();
  }

  private controls(): HTMLElement {
    const { state } = this.context;
    const axes = (Object.keys(X_LABELS) as XAxis[]).map((value) => ({ value, label: X_LABELS[value] }));
    const smoothing = el('input', { type: 'range', id: 'smoothing', 'aria-describedby': 'smoothing-value' });
    Object.assign(smoothing, { min: '0', max: '0.99', step: '0.01', value: String(state.value.smoothing) });
    const shown = el('output', { id: 'smoothing-value' }, state.value.smoothing.toFixed(2));
    smoothing.addEventListener('input', () => {
      shown.textContent = Number(smoothing.value).toFixed(2);
      state.set('smoothing', Number(smoothing.value));
      this.redraw();
    });
    return el(
      'div',
      { class: 'chart-controls', role: 'group', 'aria-label': 'Chart options' },
      el('label', { class: 'control' }, 'X axis ', dropdown('X axis', axes, state.value.x, (value) => this.setOption('x', value as XAxis))),
      checkbox('Log scale (y)', state.value.logY, (checked) => this.setOption('logY', checked)),
      el('label', { class: 'control', title: "TensorBoard's smoothing: a debiased exponential moving average; the raw line stays faint behind" }, 'Smoothing ', smoothing, shown),
    );
  }

  private setOption<K extends 'x' | 'logY'>(key: K, value: K extends 'x' ? XAxis : boolean): void {
    this.context.state.set(key, value as never);
    this.redraw();
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    const now = performance.now();
    for (const entry of entries) {
      const card = this.cards.get((entry.target as HTMLElement).dataset.metric ?? '');
      if (!card) continue;
      card.visible = entry.isIntersecting;
      card.lastSeen = now;
      if (!card.visible) continue;
      this.request(card.row.key);
      card.render();
    }
    this.dropFarCharts();
  }

  /** Asks for the series of `metric` once, batched with the other cards that came into view together. */
  private request(metric: string): void {
    if (this.requested.has(metric)) return;
    this.requested.add(metric);
    if (this.toRequest.size === 0) {
      queueMicrotask(() => {
        const metrics = [...this.toRequest];
        this.toRequest = new Set();
        this.context.host.post({ type: 'loadSeries', metrics });
      });
    }
    this.toRequest.add(metric);
  }

  private dropFarCharts(): void {
    const live = [...this.cards.values()].filter((card) => card.live);
    const offScreen = live.filter((card) => !card.visible).sort((a, b) => a.lastSeen - b.lastSeen);
    for (const card of offScreen.slice(0, Math.max(0, live.length - MAX_LIVE_CHARTS))) card.destroyChart();
  }

  /** Moves every chart's cursor to `x`, once per frame however fast the pointer moves. */
  private hover(origin: string, x: number | undefined, fromKeyboard: boolean): void {
    cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      for (const card of this.cards.values()) {
        if (!card.live) continue;
        const isOrigin = card.row.key === origin;
        card.showCursor(x, !isOrigin || fromKeyboard, isOrigin && fromKeyboard);
      }
    });
  }
}
