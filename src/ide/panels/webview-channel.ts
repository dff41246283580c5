// The host's end of a webview's message stream: nothing is posted before the webview said it is ready,
// while the panel is hidden, or after it is disposed. Messages wait in a queue instead. A panel without
// `retainContextWhenHidden` loses its page when hidden and says "ready" again when shown: the caller then
// posts a fresh full state, which supersedes whatever waited, so `opened()` drops the queue.
import type * as vscode from 'vscode';

export interface RenderState {
  /** sequence number of the last message posted (or queued) */
  posted: number;
  /** the last sequence number the webview reported on screen */
  rendered: number;
  /** charts the webview reported drawn with data */
  charts: number;
}

export interface Recording<M> {
  /** grows as messages are posted */
  readonly messages: readonly M[];
  stop(): M[];
}

export class WebviewChannel<M> implements vscode.Disposable {
  private ready = false;
  private disposed = false;
  private seq = 0;
  private queue: Array<{ seq: number; message: M }> = [];
  private rendered = 0;
  private charts = 0;
  private readonly recorders = new Set<M[]>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly panel: vscode.WebviewPanel) {
    this.subscription = panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
      else this.flush();
    });
  }

  /** The webview (re)loaded and listens. Queued messages are dropped: the caller posts the full state next. */
  opened(): void {
    this.ready = true;
    this.queue = [];
    this.rendered = 0;
    this.charts = 0;
  }

  post(message: M): void {
    if (this.disposed) return;
    for (const recorder of this.recorders) recorder.push(message);
    this.queue.push({ seq: ++this.seq, message });
    this.flush();
  }

  /** The webview's `rendered` report. */
  acknowledge(through: number, charts: number): void {
    this.rendered = Math.max(this.rendered, through);
    this.charts = charts;
  }

  get renderState(): RenderState {
    return { posted: this.seq, rendered: this.rendered, charts: this.charts };
  }

  /** Collects every message posted from now on (queued or sent) in `messages` until `stop()`. */
  record(): Recording<M> {
    const messages: M[] = [];
    this.recorders.add(messages);
    return {
      messages,
      stop: () => {
        this.recorders.delete(messages);
        return messages;
      },
    };
  }

  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.recorders.clear();
    this.subscription.dispose();
  }

  private flush(): void {
    if (!this.ready || this.disposed || !this.panel.visible) return;
    for (const envelope of this.queue.splice(0)) void this.panel.webview.postMessage(envelope);
  }
}
