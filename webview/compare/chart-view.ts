// One metric's chart.js line chart: hover reads every run at one x (and shows a cursor line the other
// charts follow), wheel/drag zoom and shift-drag pan, and the same by keyboard.
import {
  Chart,
  Interaction,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
  type ChartDataset,
  type ChartEvent,
  type InteractionItem,
  type InteractionModeFunction,
  type Plugin,
  type TooltipItem,
} from 'chart.js';
import { getRelativePosition } from 'chart.js/helpers';
import zoomPlugin from 'chartjs-plugin-zoom';
import { formatNumber } from '../../src/core/format';
import type { XAxis } from '../../src/protocol/compare';
import { formatX, X_LABELS, type Point, type RunDataset } from './chart-data';
import type { ChartTheme } from './colors';

declare module 'chart.js' {
  interface InteractionModeMap {
    runlensX: InteractionModeFunction;
  }
}

type LineChart = Chart<'line', Point[]>;

/** Tooltip rows shown at most; the rest are counted. */
const TOOLTIP_ROWS = 20;

/** For every primary line, the point nearest to pixel `x`: the hover reads all runs at one x. */
function nearestItems(chart: LineChart, x: number): InteractionItem[] {
  const items: InteractionItem[] = [];
  chart.data.datasets.forEach((dataset, datasetIndex) => {
    if (!(dataset as unknown as RunDataset).primary || !chart.isDatasetVisible(datasetIndex)) return;
    const elements = chart.getDatasetMeta(datasetIndex).data;
    if (elements.length === 0) return;
    let low = 0;
    let high = elements.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (elements[mid]!.x < x) low = mid + 1;
      else high = mid;
    }
    const index = low > 0 && Math.abs(elements[low - 1]!.x - x) <= Math.abs(elements[low]!.x - x) ? low - 1 : low;
    items.push({ element: elements[index]!, datasetIndex, index });
  });
  return items;
}

Interaction.modes.runlensX = (chart, event) => nearestItems(chart as LineChart, getRelativePosition(event, chart).x);
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Title, zoomPlugin);

export interface ChartSettings {
  x: XAxis;
  logY: boolean;
  direction?: 'min' | 'max';
  theme: ChartTheme;
}

export interface ChartEvents {
  /** the pointer or the keyboard cursor is at `x` (undefined: left the chart) */
  hover(x: number | undefined, fromKeyboard: boolean): void;
  /** the chart was drawn with data */
  painted(): void;
}

export class ChartView {
  private chart: LineChart | undefined;
  private cursor: number | undefined;

  constructor(
    readonly metric: string,
    private readonly canvas: HTMLCanvasElement,
    private readonly events: ChartEvents,
  ) {
    canvas.addEventListener('mouseleave', () => events.hover(undefined, false));
    canvas.addEventListener('dblclick', () => this.chart?.resetZoom());
    canvas.addEventListener('keydown', (event) => this.onKey(event));
  }

  get live(): boolean {
    return this.chart !== undefined;
  }

  /** Draws `datasets`, creating the chart on first use. */
  render(datasets: RunDataset[], settings: ChartSettings): void {
    const data = datasets as unknown as ChartDataset<'line', Point[]>[];
    if (!this.chart) {
      this.chart = new Chart(this.canvas, { type: 'line', data: { datasets: data }, options: this.options(settings), plugins: [this.cursorPlugin()] });
      return;
    }
    this.chart.data.datasets = data;
    this.chart.options = this.options(settings);
    this.chart.update('none');
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }

  /**
   * Puts the cursor at x value `x` and, from another chart or the keyboard, the tooltip too. Returns what
   * the tooltip reads: each run's value at the cursor.
   */
  showCursor(x: number | undefined, withTooltip: boolean): Array<{ label: string; y: number }> {
    const chart = this.chart;
    this.cursor = x;
    this.canvas.dataset.cursor = x === undefined ? '' : String(x);
    if (!chart) return [];
    let items: InteractionItem[] = [];
    if (withTooltip) {
      const pixel = x === undefined ? undefined : chart.scales.x!.getPixelForValue(x);
      items = pixel === undefined || !Number.isFinite(pixel) ? [] : nearestItems(chart, pixel);
      chart.setActiveElements(items);
      chart.tooltip?.setActiveElements(items, { x: pixel ?? 0, y: chart.chartArea.top });
    }
    chart.render();
    return items.map(({ datasetIndex, index }) => {
      const dataset = chart.data.datasets[datasetIndex] as unknown as RunDataset;
      return { label: dataset.label, y: dataset.data[index]!.y };
    });
  }

  /** The chart as PNG, on the theme's background, with a title and a legend. */
  toPng(background: string): string | undefined {
    const chart = this.chart;
    if (!chart) return undefined;
    const plugins = chart.options.plugins!;
    plugins.title!.display = true;
    plugins.legend!.display = true;
    chart.update('none');
    const out = document.createElement('canvas');
    out.width = chart.canvas.width;
    out.height = chart.canvas.height;
    const context = out.getContext('2d')!;
    context.fillStyle = background;
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(chart.canvas, 0, 0);
    plugins.title!.display = false;
    plugins.legend!.display = false;
    chart.update('none');
    return out.toDataURL('image/png');
  }

  resetZoom(): void {
    this.chart?.resetZoom();
  }

  private options(settings: ChartSettings): LineChart['options'] {
    const { theme, x } = settings;
    const axis = { color: theme.grid };
    const ticks = { color: theme.muted, font: { family: theme.fontFamily, size: theme.fontSize - 1 } };
    const better = settings.direction === 'min' ? 1 : -1;
    return {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      interaction: { mode: 'runlensX', intersect: false },
      scales: {
        x: {
          type: 'linear',
          grid: axis,
          ticks: { ...ticks, maxRotation: 0, callback: (value) => formatX(Number(value), x) },
          title: { display: true, text: X_LABELS[x], color: theme.muted },
        },
        y: { type: settings.logY ? 'logarithmic' : 'linear', grid: axis, ticks: { ...ticks, callback: (value) => formatNumber(Number(value)) } },
      },
      onHover: (event: ChartEvent, _active, chart) => {
        if (event.x !== null) this.events.hover(chart.scales.x!.getValueForPixel(event.x), false);
      },
      plugins: {
        title: { display: false, text: this.metric, color: theme.foreground, font: { family: theme.fontFamily, size: theme.fontSize + 2 } },
        legend: {
          display: false,
          labels: { color: theme.foreground, boxWidth: 12, filter: (item, data) => (data.datasets[item.datasetIndex!] as unknown as RunDataset).primary },
        },
        tooltip: {
          backgroundColor: theme.hoverBackground,
          titleColor: theme.hoverForeground,
          bodyColor: theme.hoverForeground,
          footerColor: theme.muted,
          borderColor: theme.hoverBorder,
          borderWidth: 1,
          boxPadding: 3,
          titleFont: { family: theme.fontFamily },
          bodyFont: { family: theme.fontFamily },
          itemSort: (a, b) => better * ((a.parsed.y ?? 0) - (b.parsed.y ?? 0)) || a.datasetIndex - b.datasetIndex,
          filter: (_item, index) => index < TOOLTIP_ROWS,
          callbacks: {
            title: (items) => (items[0] ? formatX(items[0].parsed.x ?? 0, x, true) : ''),
            label: (item) => tooltipLabel(item),
            footer: () => {
              const shown = this.chart?.tooltip?.getActiveElements().length ?? 0;
              return shown > TOOLTIP_ROWS ? `+${shown - TOOLTIP_ROWS} more runs` : '';
            },
          },
        },
        zoom: {
          limits: { x: { min: 'original', max: 'original' } },
          zoom: { mode: 'xy', wheel: { enabled: true, modifierKey: 'ctrl' }, pinch: { enabled: true }, drag: { enabled: true, backgroundColor: theme.grid, borderColor: theme.muted, borderWidth: 1 } },
          pan: { enabled: true, mode: 'xy', modifierKey: 'shift' },
        },
      },
    };
  }

  /** Draws the cursor line, and tells the grid once the chart shows data. */
  private cursorPlugin(): Plugin<'line'> {
    return {
      id: 'runlensCursor',
      afterDatasetsDraw: (chart) => {
        if (this.cursor === undefined) return;
        const pixel = chart.scales.x!.getPixelForValue(this.cursor);
        const { top, bottom, left, right } = chart.chartArea;
        if (!(pixel >= left && pixel <= right)) return;
        const context = chart.ctx;
        context.save();
        context.strokeStyle = (chart.options.scales!.x!.ticks as { color: string }).color;
        context.setLineDash([3, 3]);
        context.beginPath();
        context.moveTo(pixel, top);
        context.lineTo(pixel, bottom);
        context.stroke();
        context.restore();
      },
      afterRender: (chart) => {
        if (chart.data.datasets.some((d) => d.data.length > 0)) this.events.painted();
      },
    };
  }

  private onKey(event: KeyboardEvent): void {
    const chart = this.chart;
    if (!chart) return;
    const width = chart.chartArea.right - chart.chartArea.left;
    const actions: Record<string, () => void> = {
      ArrowRight: () => (event.shiftKey ? chart.pan({ x: -width / 10 }) : this.step(1)),
      ArrowLeft: () => (event.shiftKey ? chart.pan({ x: width / 10 }) : this.step(-1)),
      '+': () => chart.zoom(1.25),
      '=': () => chart.zoom(1.25),
      '-': () => chart.zoom(0.8),
      '0': () => chart.resetZoom(),
      Home: () => chart.resetZoom(),
      Escape: () => this.events.hover(undefined, true),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  /** Moves the keyboard cursor to the next or previous point of the first line. */
  private step(direction: 1 | -1): void {
    const chart = this.chart!;
    const first = chart.data.datasets.find((d) => (d as unknown as RunDataset).primary && d.data.length > 0);
    if (!first) return;
    const xs = first.data.map((p) => p.x);
    const index = this.cursor === undefined ? (direction > 0 ? 0 : xs.length - 1) : nextIndex(xs, this.cursor, direction);
    // set now, not when the frame draws it: keys pressed faster than frames still step one point each
    this.cursor = xs[index];
    this.events.hover(this.cursor, true);
  }
}

/** The index in ascending `xs` of the first value after (or last before) `x`, clamped to the ends. */
function nextIndex(xs: number[], x: number, direction: 1 | -1): number {
  if (direction > 0) {
    const i = xs.findIndex((v) => v > x);
    return i < 0 ? xs.length - 1 : i;
  }
  for (let i = xs.length - 1; i >= 0; i--) if (xs[i]! < x) return i;
  return 0;
}

function tooltipLabel(item: TooltipItem<'line'>): string {
  const dataset = item.dataset as unknown as RunDataset;
  const raw = dataset.rawY?.[item.dataIndex];
  return `${dataset.label}: ${formatNumber(item.parsed.y ?? NaN)}${raw === undefined ? '' : ` (raw ${formatNumber(raw)})`}`;
}
