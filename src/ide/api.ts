// What `activate()` returns. Integration tests drive the extension through it; it exposes the same
// tree providers the views render, so a snapshot is what a user sees, not a parallel model.
import type { CsvTable, HostMessage } from '../protocol/compare';

export interface TreeSnapshotNode {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  children?: TreeSnapshotNode[];
}

export type ViewName = 'experiments' | 'datasets' | 'models';

export interface RunlensApi {
  /** The view's whole tree, expanded, rendered through its TreeDataProvider. */
  snapshot(view: ViewName): Promise<TreeSnapshotNode[]>;
  /** Resolves once every workspace folder has finished its pending refreshes. */
  whenIdle(): Promise<void>;
  compare: CompareApi;
}

/** The open compare panel as the API reports it. */
export interface CompareState {
  title: string;
  /** run keys (`${store}#${id}`) in the panel's order */
  runs: string[];
  baseline?: string;
  visible: boolean;
  /** sequence number of the last message posted to the webview */
  posted: number;
  /** the last sequence number the webview reported on screen */
  rendered: number;
  /** charts the webview has drawn with data */
  charts: number;
  /** what the webview reported going wrong (exceptions, blocked resources) */
  problems: string[];
}

/** The compare panel, for tests and other extensions. Calls other than `state` throw when no panel is open. */
export interface CompareApi {
  state(): CompareState | undefined;
  /** Collects the messages posted to the webview (queued or sent) in `messages`, from now until `stop()`. */
  record(): { readonly messages: readonly HostMessage[]; stop(): HostMessage[] };
  /** Writes the summary or the params table as CSV to `path`, as the panel's export does. */
  exportTable(table: CsvTable, path: string): Promise<void>;
  /** Writes the chart of `metric` as PNG to `path`, as the chart's export does. */
  exportChart(metric: string, path: string): Promise<void>;
}
