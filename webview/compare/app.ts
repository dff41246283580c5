// The compare page: validates what the host posts, keeps the comparison and the series, and renders the
// header, the metric summary, the params, the charts and the parallel coordinates, or an empty or error
// state that says what to do.
import type { Comparison } from '../../src/core/compare';
import { HostEnvelope, type HostMessage, type PanelRun } from '../../src/protocol/compare';
import { ChartGrid } from './charts';
import { Palette } from './colors';
import { el } from './dom';
import { header } from './header';
import { parallelCoordinates } from './parallel';
import { paramsTable } from './params-table';
import { SeriesStore } from './series-store';
import type { StateStore } from './state';
import { summaryTable } from './summary-table';
import { button, checkbox } from './toolkit';
import type { Host } from './vscode-api';

interface ViewData {
  title: string;
  runs: PanelRun[];
  comparison: Comparison;
  primaryMetric?: string;
  missing: string[];
}

/** Parallel coordinates need this many runs to say anything. */
const PARALLEL_RUNS = 3;

export class CompareApp {
  private readonly series = new SeriesStore();
  private readonly palette = new Palette();
  private readonly charts: ChartGrid;
  private view: ViewData | undefined;
  private readonly banner = el('div', { class: 'banner', role: 'alert' });
  private readonly headerSlot = el('div');
  private readonly summarySlot = el('div');
  private readonly paramsSlot = el('div');
  private readonly parallelSection = el('section', { class: 'section', 'aria-labelledby': 'parallel-title' });
  private readonly content: HTMLElement;
  private readonly emptySlot = el('div');
  private lastSeq = 0;
  private ackFrame = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
    private readonly state: StateStore,
  ) {
    this.charts = new ChartGrid({
      host,
      state,
      palette: this.palette,
      series: this.series,
      runs: () => this.view?.runs ?? [],
      painted: () => this.scheduleAck(),
    });
    this.content = el(
      'div',
      { class: 'content' },
      this.headerSlot,
      section('summary', 'Metrics', this.summarySlot, button('Export CSV', () => host.post({ type: 'exportCsv', table: 'summary' }), { title: 'Save the metric summary as CSV' })),
      section('charts', 'Charts', this.charts.element),
      section(
        'params',
        'Params, tags and git',
        this.paramsSlot,
        checkbox('Differences only', state.value.differencesOnly, (checked) => {
          state.set('differencesOnly', checked);
          this.renderParams();
        }),
        button('Export CSV', () => host.post({ type: 'exportCsv', table: 'params' }), { title: 'Save params, tags and git fields as CSV' }),
      ),
      this.parallelSection,
    );
    this.content.hidden = true;
    this.banner.hidden = true;
    root.replaceChildren(this.banner, el('p', { class: 'loading' }, 'Loading the comparison…'), this.emptySlot, this.content);
    this.followTheme();
  }

  /** A message from the host: validated, handled, then acknowledged once on screen. */
  receive(raw: unknown): void {
    const parsed = HostEnvelope.safeParse(raw);
    if (!parsed.success) {
      this.fail('Runlens sent this panel a message it could not read', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    try {
      this.handle(parsed.data.message);
    } catch (error) {
      this.fail('Something went wrong drawing this comparison', error instanceof Error ? error.message : String(error));
    }
    this.lastSeq = parsed.data.seq;
    this.scheduleAck();
  }

  /** Reports a problem to the host's log and shows it. */
  fail(what: string, detail: string): void {
    this.host.post({ type: 'problem', message: `${what}: ${detail}` });
    this.banner.textContent = `${what}. Close and reopen the panel; "Runlens: Show Log" has the details.`;
    this.banner.hidden = false;
  }

  private handle(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        this.series.clear();
        this.view = { title: message.title, runs: message.runs, comparison: message.comparison, primaryMetric: message.primaryMetric, missing: message.missing };
        this.saveRuns();
        this.root.querySelector('.loading')?.remove();
        this.renderAll();
        this.charts.reset(message.runs.length > 0 ? message.comparison.metrics : []);
        return;
      case 'update':
        if (!this.view) return;
        this.view = { ...this.view, runs: message.runs, comparison: message.comparison };
        this.saveRuns();
        this.renderAll();
        this.charts.update(message.comparison.metrics);
        return;
      case 'series':
        this.charts.setSeries(message.metric, message.entries);
        return;
      case 'append':
        this.charts.append(message.metric, message.entries);
        return;
      case 'requestPng':
        void this.charts.png(message.metric).then((dataUrl) =>
          this.host.post(dataUrl ? { type: 'exportPng', metric: message.metric, dataUrl, requestId: message.requestId } : { type: 'problem', message: `no chart of ${message.metric} to export` }),
        );
        return;
    }
  }

  /** The run keys and baseline go into the saved state: the serializer reopens the panel on them. */
  private saveRuns(): void {
    const { runs, comparison } = this.view!;
    this.state.set('runs', runs.map((run) => run.key));
    this.state.set('baseline', runs[comparison.baseline]?.key);
  }

  private renderAll(): void {
    const view = this.view!;
    const empty = view.runs.length === 0;
    this.content.hidden = empty;
    this.emptySlot.replaceChildren(...(empty ? [this.emptyState(view.missing.length)] : []));
    if (empty) return;
    const focused = this.headerSlot.querySelector(':focus-within[data-focus], [data-focus]:focus');
    const chips = [...this.headerSlot.querySelectorAll('.chip')];
    const focusedChip = focused ? chips.findIndex((chip) => chip.contains(focused)) : -1;
    this.headerSlot.replaceChildren(
      header({
        title: view.title,
        runs: view.runs,
        baseline: view.comparison.baseline,
        missing: view.missing,
        onBaseline: (run) => this.host.post({ type: 'setBaseline', run }),
        onRemove: (run) => this.host.post({ type: 'removeRun', run }),
        onAdd: () => this.host.post({ type: 'addRuns' }),
        onReveal: (run) => this.host.post({ type: 'revealRun', run }),
      }),
    );
    this.restoreFocus(focused?.getAttribute('data-focus') ?? undefined, focusedChip);
    this.renderSummary();
    this.renderParams();
    this.renderParallel();
  }

  /** After the header was drawn again, focus goes back where it was (for a removed run: the next run's). */
  private restoreFocus(key: string | undefined, chip: number): void {
    if (!key) return;
    const candidates = [...this.headerSlot.querySelectorAll<HTMLElement>(`[data-focus="${CSS.escape(key)}"]`)];
    const target = chip >= 0 ? (candidates[Math.min(chip, candidates.length - 1)] ?? this.headerSlot.querySelector<HTMLElement>('[data-focus="add"]')) : candidates[0];
    target?.focus();
  }

  private renderSummary(): void {
    const { runs, comparison } = this.view!;
    this.summarySlot.replaceChildren(
      summaryTable({
        runs,
        comparison,
        sort: this.state.value.sort,
        onSort: (sort) => {
          this.state.set('sort', sort);
          this.renderSummary();
          this.summarySlot.querySelector<HTMLElement>('th[aria-sort]:not([aria-sort="none"]) button')?.focus();
        },
      }),
    );
  }

  private renderParams(): void {
    if (!this.view) return;
    this.paramsSlot.replaceChildren(paramsTable({ runs: this.view.runs, comparison: this.view.comparison, differencesOnly: this.state.value.differencesOnly }));
  }

  private renderParallel(): void {
    const { runs, comparison, primaryMetric } = this.view!;
    this.parallelSection.hidden = runs.length < PARALLEL_RUNS;
    if (runs.length < PARALLEL_RUNS) return;
    this.parallelSection.replaceChildren(
      el('div', { class: 'section-head' }, el('h2', { id: 'parallel-title' }, `Params → ${primaryMetric ?? 'metric'}`)),
      parallelCoordinates({ runs, comparison, primaryMetric }),
    );
  }

  private emptyState(missing: number): HTMLElement {
    const choose = button('Choose runs…', () => this.host.post({ type: 'addRuns' }), { appearance: 'primary' });
    return missing > 0
      ? el(
          'div',
          { class: 'empty-state', role: 'status' },
          el('h1', {}, 'These runs are gone'),
          el('p', {}, `The ${missing} run${missing === 1 ? '' : 's'} this panel compared ${missing === 1 ? 'is' : 'are'} no longer in the workspace: deleted, moved, or in a folder that is not open. Choose other runs to compare.`),
          choose,
        )
      : el(
          'div',
          { class: 'empty-state', role: 'status' },
          el('h1', {}, 'Nothing to compare yet'),
          el('p', {}, 'Select two or more runs in the Runlens Experiments view (Ctrl or Cmd+click), then choose "Compare Selected Runs" from the view’s toolbar or the right-click menu. Or pick them here:'),
          choose,
        );
  }

  /** After the next frame is painted, tells the host how far the page got. */
  private scheduleAck(): void {
    cancelAnimationFrame(this.ackFrame);
    this.ackFrame = requestAnimationFrame(() => this.host.post({ type: 'rendered', through: this.lastSeq, charts: this.charts.paintedCount }));
  }

  /** VS Code changes the body's class and the page's CSS variables when the theme changes. */
  private followTheme(): void {
    const observer = new MutationObserver(() => {
      this.palette.reload();
      this.charts.redraw();
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  }
}

function section(id: string, title: string, body: HTMLElement, ...actions: HTMLElement[]): HTMLElement {
  return el(
    'section',
    { class: 'section', 'aria-labelledby': `${id}-title`, 'data-section': id },
    el('div', { class: 'section-head' }, el('h2', { id: `${id}-title` }, title), el('div', { class: 'section-actions' }, ...actions)),
    body,
  );
}
