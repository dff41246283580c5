// The one small interface every tracking format answers (see DESIGN.md, "Sources").
import type { Diagnostic, MetricPoint, ScanResult, SourceKind } from './model';
import type { GitView } from './scope';

export interface ScanOptions {
  /** include deleted experiments and runs (MLflow `lifecycle_stage = deleted`); hidden by default */
  includeDeleted?: boolean;
  /**
   * Paths reported changed (created, written or deleted) since the previous scan, e.g. by a file watcher.
   * When given, the store trusts that nothing else changed and revisits only these paths; when absent,
   * it checks every file's size and mtime and re-reads only those that differ.
   */
  changedPaths?: readonly string[];
  /** The git state of the folder; stores that read git history (DVC, GTO) scan against it. */
  git?: GitView;
}

/** What the last scan cost; benchmarks and tests read it to prove incremental re-scans. */
export interface ScanStats {
  filesRead: number;
  bytesRead: number;
}

/** An opened store. Scans are incremental: a store keeps what it read and re-reads only changed files. */
export interface TrackingStore {
  readonly kind: SourceKind;
  /** absolute path of the store: an `mlruns/` folder or a database file */
  readonly location: string;
  /** Summaries of everything in the store. Never throws for bad data: it becomes a Diagnostic. */
  scan(options?: ScanOptions): Promise<ScanResult>;
  /** The full history of one metric of one run, ordered by step then timestamp. Lazy: never part of a scan. */
  loadSeries(runId: string, key: string): Promise<{ points: MetricPoint[]; diagnostics: Diagnostic[] }>;
  /**
   * The folder whose files concern this store, when it is not `location` itself: a DVC project's
   * `params.yaml` and metrics files lie beside its `.dvc/` folder, not below it.
   */
  readonly watchRoot?: string;
  /** Reads git history (refs, tags, objects): scanned again whenever HEAD or refs move. */
  readonly gitBacked?: boolean;
  /** Cost of the most recent scan. */
  readonly lastScanStats: ScanStats;
  /** Releases file handles (SQLite). */
  dispose(): void;
}

/** A folder entry the discovery walker asks providers about. */
export interface FolderEntry {
  name: string;
  /** absolute path */
  path: string;
  isDirectory: boolean;
}

/** Creates stores of one format. */
export interface SourceProvider {
  readonly kind: SourceKind;
  /**
   * Whether the discovery walker should open this entry as a store of this kind (it then does not descend
   * into it). Cheap: a name check first, a small read at most.
   */
  claims(entry: FolderEntry): boolean | Promise<boolean>;
  /** Cheap check whether `location` is a store of this format. */
  detect(location: string): Promise<boolean>;
  open(location: string): TrackingStore;
}
