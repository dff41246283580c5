// One workspace folder's tracking data, editor-free: discovers stores, scans them incrementally, reads
// the git view, and builds the catalog. The extension drives it from watchers; the CLI calls it once.
import { sep } from 'node:path';
import { buildCatalog, rescope, runKey, type Catalog } from '../core/catalog';
import { linkRuns, type LaunchRecord } from '../core/launch';
import type { Logger } from '../core/log';
import { emptyScan, type Diagnostic, type MetricPoint, type ScanResult } from '../core/model';
import type { GitView } from '../core/scope';
import type { TrackingStore } from '../core/source';
import { GitViewCache } from '../git';
import { discoverStores } from '../sources/discover';
import { providerFor } from '../sources';

export interface FolderSettings {
  baseBranch?: string;
  trackingUri?: string;
  maxDepth: number;
  includeDeleted: boolean;
  /** a revision to scope for instead of HEAD (CLI only) */
  head?: string;
}

/** What a refresh must redo. Requests merge: booleans OR, changed paths union. */
export interface RefreshRequest {
  /** search the folder for stores again (settings changed, a store may have appeared) */
  rediscover: boolean;
  /** re-read HEAD, the branch and the merge-base */
  git: boolean;
  /** files to revisit, or 'all' to check every file of every store */
  changed: ReadonlySet<string> | 'all';
}

export const FULL_REFRESH: RefreshRequest = { rediscover: true, git: true, changed: 'all' };

export function mergeRequests(a: RefreshRequest, b: RefreshRequest): RefreshRequest {
  return {
    rediscover: a.rediscover || b.rediscover,
    git: a.git || b.git,
    changed: a.changed === 'all' || b.changed === 'all' ? 'all' : new Set([...a.changed, ...b.changed]),
  };
}

/** A store's own files: everything under its folder (or watch root), or a database and its `-wal`/`-journal`. */
function belongsTo(path: string, store: TrackingStore): boolean {
  const root = store.watchRoot ?? store.location;
  return path === root || path.startsWith(root + sep) || path.startsWith(root + '-');
}

export class FolderService {
  private readonly stores = new Map<string, TrackingStore>();
  private readonly scans = new Map<string, ScanResult>();
  private discoveryDiagnostics: Diagnostic[] = [];
  private gitView: GitView | undefined;
  private readonly git: GitViewCache;
  private current: Catalog | undefined;
  private launches: readonly LaunchRecord[] = [];
  private relink = false;

  constructor(
    readonly folder: string,
    private settings: FolderSettings,
    private readonly log: Logger,
  ) {
    this.git = new GitViewCache(folder);
  }

  get catalog(): Catalog | undefined {
    return this.current;
  }

  get storeLocations(): string[] {
    return [...this.stores.keys()];
  }

  /** The editor's launch records: runs they made get the launch's commit when the tracker recorded none (next refresh). */
  setLaunchRecords(records: readonly LaunchRecord[]): void {
    this.launches = records;
    this.relink = true;
  }

  updateSettings(settings: FolderSettings): void {
    this.settings = settings;
  }

  /**
   * The request a changed file calls for: re-reading the store it belongs to, or, for a file of no known
   * store (the watcher reports only files that can be part of one), searching for new stores.
   */
  requestFor(path: string): RefreshRequest {
    if ([...this.stores.values()].some((store) => belongsTo(path, store))) {
      return { rediscover: false, git: false, changed: new Set([path]) };
    }
    return { rediscover: true, git: false, changed: new Set() };
  }

  async refresh(request: RefreshRequest): Promise<Catalog> {
    const started = Date.now();
    const fresh = request.rediscover || this.current === undefined ? await this.rediscover() : new Set<string>();
    const gitMoved = request.git || !this.gitView;
    if (gitMoved) this.gitView = await this.git.read({ baseBranch: this.settings.baseBranch, head: this.settings.head });
    const git = this.gitView!;
    const scanned = await Promise.all(
      [...this.stores.entries()].map(async ([location, store]) => {
        const everything = request.changed === 'all' || fresh.has(location) || (gitMoved && store.gitBacked);
        const paths = everything ? undefined : [...request.changed].filter((p) => belongsTo(p, store));
        if (paths && paths.length === 0) return false;
        this.scans.set(location, await this.scanStore(store, paths, git));
        return true;
      }),
    );
    const storesChanged = request.rediscover || fresh.size > 0 || scanned.some(Boolean) || this.relink;
    this.relink = false;
    this.current =
      this.current && !storesChanged
        ? rescope(this.current, git)
        : buildCatalog([...this.linkedScans(), { ...emptyScan(), diagnostics: this.discoveryDiagnostics }], git);
    this.log.debug(`${this.folder}: refreshed in ${Date.now() - started} ms (${this.current.runs.length} runs, ${this.stores.size} stores)`);
    return this.current;
  }

  /** The git view for another revision, e.g. the base branch of a diff; stores are not read again. */
  viewFor(head: string): Promise<GitView> {
    return this.git.read({ baseBranch: this.settings.baseBranch, head });
  }

  /** The full history of one metric, read lazily from the run's store. */
  async loadSeries(store: string, runId: string, key: string): Promise<MetricPoint[]> {
    const opened = this.stores.get(store);
    if (!opened) return [];
    const { points, diagnostics } = await opened.loadSeries(runId, key);
    for (const d of diagnostics) this.log.warn(`${d.file}: ${d.message}`);
    return points;
  }

  dispose(): void {
    for (const store of this.stores.values()) store.dispose();
    this.stores.clear();
    this.scans.clear();
  }

  private linkedScans(): ScanResult[] {
    const now = Date.now();
    return [...this.scans.values()].map((scan) => ({ ...scan, runs: linkRuns(scan.runs, this.launches, runKey, now) }));
  }

  /** Opens stores that appeared and closes those that are gone; returns the locations opened. */
  private async rediscover(): Promise<Set<string>> {
    const { stores, diagnostics } = await discoverStores(this.folder, { maxDepth: this.settings.maxDepth, trackingUri: this.settings.trackingUri });
    this.discoveryDiagnostics = diagnostics;
    const wanted = new Set(stores.map((s) => s.location));
    for (const [location, store] of this.stores) {
      if (wanted.has(location)) continue;
      store.dispose();
      this.stores.delete(location);
      this.scans.delete(location);
      this.log.info(`store gone: ${location}`);
    }
    const opened = new Set<string>();
    for (const { kind, location } of stores) {
      if (this.stores.has(location)) continue;
      this.stores.set(location, providerFor(kind).open(location));
      opened.add(location);
      this.log.info(`store found: ${kind} ${location}`);
    }
    return opened;
  }

  private async scanStore(store: TrackingStore, changedPaths: string[] | undefined, git: GitView): Promise<ScanResult> {
    try {
      return await store.scan({ includeDeleted: this.settings.includeDeleted, changedPaths, git });
    } catch (error) {
      // Sources turn bad data into diagnostics; this is the last guard so nothing reaches the UI as a throw.
      this.log.error(error as Error);
      return { ...emptyScan(), diagnostics: [{ file: store.location, message: `could not be read: ${(error as Error).message}`, severity: 'error' }] };
    }
  }
}
