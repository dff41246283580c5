// What `activate()` returns. Integration tests drive the extension through it; it exposes the same
// tree providers the views render, so a snapshot is what a user sees, not a parallel model.

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
}
