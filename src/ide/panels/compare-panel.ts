// One compare webview panel: its page, the messages both ways (validated on arrival), the session it shows,
// and live updates from the model while it is open.
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { WebviewMessage, type CsvTable, type HostMessage } from '../../protocol/compare';
import { Disposable } from '../lifecycle';
import type { RunlensModel } from '../model';
import type { CompareSession, SessionView } from './compare-session';
import { tableCsv } from './csv';
import { fileName, pngBytes, saveWithDialog, writeExport } from './export';
import { WebviewChannel, type Recording } from './webview-channel';
import { webviewHtml, webviewOptions } from './webview-html';

export const COMPARE_VIEW_TYPE = 'runlens.compare';
const PNG_TIMEOUT_MS = 30_000;

/** What the panel asks of the rest of the extension. */
export interface PanelActions {
  /** keys of runs to add, picked by the user; undefined when cancelled */
  pickRunsToAdd(current: readonly string[]): Promise<string[] | undefined>;
}

export class ComparePanel extends Disposable {
  private readonly channel: WebviewChannel<HostMessage>;
  /** metrics the current page has asked for: live points go only to those */
  private shown = new Set<string>();
  /** the runs and summary last posted, to post again only what changed */
  private lastView = '';
  private lastRuns = '';
  private closed = false;
  private live: Promise<void> | undefined;
  private liveAgain = false;
  /** charts the API asked for, by request id; asked again if the page reloads before it answers */
  private readonly pngRequests = new Map<number, { metric: string; resolve: (dataUrl: string) => void }>();
  private nextRequest = 1;
  /** what the webview reported going wrong, for the log and the tests */
  readonly problems: string[] = [];
  private readonly closing = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.closing.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private session: CompareSession,
    extensionUri: vscode.Uri,
    model: RunlensModel,
    private readonly log: Logger,
    private readonly actions: PanelActions,
  ) {
    super();
    this.channel = this.register(new WebviewChannel<HostMessage>(panel));
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'runlens.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compare', 'Runlens: Compare');
    panel.title = session.view().title;
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.register(model.onDidChange(() => this.requestLive()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('runlens.metricDirections') || e.affectsConfiguration('runlens.primaryMetric')) this.postView('update');
    }));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  get view(): SessionView {
    return this.session.view();
  }

  get renderState() {
    return this.channel.renderState;
  }

  get runKeys(): readonly string[] {
    return this.session.runKeys;
  }

  get baseline(): string | undefined {
    return this.session.baseline;
  }

  /** Shows another comparison in this panel. */
  replace(session: CompareSession): void {
    this.session = session;
    this.postView('init');
  }

  record(): Recording<HostMessage> {
    return this.channel.record();
  }

  exportTable(table: CsvTable, target: vscode.Uri): Promise<void> {
    return writeExport(target, Buffer.from(tableCsv(this.view, table)));
  }

  /** Asks the webview for the chart of `metric` and writes it to `target`. */
  async exportChart(metric: string, target: vscode.Uri): Promise<void> {
    const requestId = this.nextRequest++;
    const dataUrl = new Promise<string>((resolve, reject) => {
      this.pngRequests.set(requestId, { metric, resolve });
      setTimeout(() => {
        if (this.pngRequests.delete(requestId)) reject(new Error(`the compare panel did not draw ${metric} within ${PNG_TIMEOUT_MS / 1000} s`));
      }, PNG_TIMEOUT_MS);
    });
    this.panel.reveal(undefined, true);
    this.channel.post({ type: 'requestPng', metric, requestId });
    await writeExport(target, pngBytes(await dataUrl));
  }

  override dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing.fire();
    super.dispose();
    this.panel.dispose();
  }

  private receive(raw: unknown): void {
    const parsed = WebviewMessage.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`compare panel: ignored a malformed message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return;
    }
    void this.handle(parsed.data).catch((error: Error) => this.log.error(error));
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.channel.opened();
        this.shown = new Set();
        this.postView('init');
        for (const [requestId, { metric }] of this.pngRequests) this.channel.post({ type: 'requestPng', metric, requestId });
        return;
      case 'loadSeries':
        await Promise.all(message.metrics.map((metric) => this.sendSeries(metric)));
        return;
      case 'setBaseline':
        this.session.setBaseline(message.run);
        this.postView('update');
        return;
      case 'removeRun':
        this.session.remove(message.run);
        this.postView('init');
        return;
      case 'addRuns': {
        const keys = await this.actions.pickRunsToAdd(this.session.runKeys);
        if (!keys) return;
        this.session.add(keys);
        this.postView('init');
        return;
      }
      case 'revealRun':
        await vscode.commands.executeCommand('runlens.revealRun', message.run);
        return;
      case 'exportCsv':
        await saveWithDialog(`runlens-${message.table}.csv`, { label: 'CSV', extension: 'csv' }, Buffer.from(tableCsv(this.view, message.table)));
        return;
      case 'exportPng': {
        const pending = message.requestId === undefined ? undefined : this.pngRequests.get(message.requestId);
        if (pending) {
          this.pngRequests.delete(message.requestId!);
          pending.resolve(message.dataUrl);
        } else {
          await saveWithDialog(fileName(`runlens-${message.metric}`, 'png'), { label: 'PNG image', extension: 'png' }, pngBytes(message.dataUrl));
        }
        return;
      }
      case 'rendered':
        this.channel.acknowledge(message.through, message.charts);
        return;
      case 'problem':
        this.problems.push(message.message);
        this.log.warn(`compare panel: ${message.message}`);
        return;
    }
  }

  /** Posts the runs and summary: `init` when the set of runs changed (the page starts over), else `update`. */
  private postView(kind: 'init' | 'update', view: SessionView = this.session.view()): void {
    this.panel.title = view.title;
    this.lastView = JSON.stringify([view.runs, view.comparison]);
    this.lastRuns = runKeysOf(view);
    if (kind === 'init') this.shown = new Set();
    this.channel.post(
      kind === 'init'
        ? { type: 'init', title: view.title, runs: view.runs, comparison: view.comparison, primaryMetric: view.primaryMetric, missing: view.missing }
        : { type: 'update', runs: view.runs, comparison: view.comparison },
    );
  }

  private async sendSeries(metric: string): Promise<void> {
    this.shown.add(metric);
    const session = this.session;
    await session.series(metric, (entries) => {
      if (session === this.session && this.shown.has(metric)) this.channel.post({ type: 'series', metric, entries });
    });
  }

  /** Single flight: a change while an update runs schedules one more, never two at once. */
  private requestLive(): void {
    if (this.live) {
      this.liveAgain = true;
      return;
    }
    this.live = this.liveUpdate()
      .catch((error: Error) => this.log.error(error))
      .finally(() => {
        this.live = undefined;
        if (this.liveAgain) {
          this.liveAgain = false;
          this.requestLive();
        }
      });
  }

  private async liveUpdate(): Promise<void> {
    const view = this.session.view();
    if (JSON.stringify([view.runs, view.comparison]) !== this.lastView) this.postView(runKeysOf(view) === this.lastRuns ? 'update' : 'init', view);
    const session = this.session;
    for (const update of await session.liveUpdates()) {
      if (session !== this.session || !this.shown.has(update.metric)) continue;
      if (update.replacements.length > 0) this.channel.post({ type: 'series', metric: update.metric, entries: update.replacements });
      if (update.appends.length > 0) this.channel.post({ type: 'append', metric: update.metric, entries: update.appends });
    }
  }
}

const runKeysOf = (view: SessionView): string => view.runs.map((run) => run.key).join('\n');
