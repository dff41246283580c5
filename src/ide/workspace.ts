// One workspace folder in the editor: its FolderService, the watchers that feed its refresh queue, and
// the events the views listen to.
import { basename, dirname, isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog';
import type { Logger } from '../core/log';
import { RefreshQueue } from '../core/refresh-queue';
import { gitDirs } from '../git';
import { FULL_REFRESH, FolderService, mergeRequests, type RefreshRequest } from '../service/folder';
import { WATCH_GLOB } from '../sources';
import { folderSettings } from './config';
import { Disposable } from './lifecycle';

/** Watcher events closer together than this become one refresh. */
const DEBOUNCE_MS = 250;
const GIT_FILES = '{HEAD,packed-refs,refs/heads/**,refs/remotes/**,refs/tags/**,refs/exps/**}';

export class FolderWorkspace extends Disposable {
  readonly service: FolderService;
  private readonly queue: RefreshQueue<RefreshRequest>;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private externalWatchers = new Map<string, vscode.Disposable>();
  private scanning = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    log: Logger,
  ) {
    super();
    this.service = new FolderService(folder.uri.fsPath, folderSettings(folder.uri), log);
    this.queue = new RefreshQueue((request) => this.run(request), mergeRequests, DEBOUNCE_MS, (error) => log.error(error as Error));
    this.register({ dispose: () => this.queue.dispose() });
    this.register({ dispose: () => this.service.dispose() });
    this.register({ dispose: () => this.externalWatchers.forEach((w) => w.dispose()) });
    this.register(watchFiles(new vscode.RelativePattern(folder, WATCH_GLOB), this.onStoreFile));
    void this.watchGit();
    this.queue.request(FULL_REFRESH, true);
  }

  get catalog(): Catalog | undefined {
    return this.service.catalog;
  }

  get isScanning(): boolean {
    return this.scanning || this.service.catalog === undefined;
  }

  /** Queues a refresh and resolves when it (and anything merged into it) is done. */
  refresh(request: RefreshRequest = FULL_REFRESH): Promise<void> {
    this.queue.request(request, true);
    return this.queue.whenIdle();
  }

  settingsChanged(): void {
    this.service.updateSettings(folderSettings(this.folder.uri));
    this.queue.request(FULL_REFRESH, true);
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  private async run(request: RefreshRequest): Promise<void> {
    this.scanning = true;
    try {
      await vscode.window.withProgress({ location: { viewId: 'runlens.experiments' } }, () => this.service.refresh(request));
      this.watchExternalStores();
    } finally {
      this.scanning = false;
      this.changed.fire();
    }
  }

  private readonly onStoreFile = (uri: vscode.Uri): void => this.queue.request(this.service.requestFor(uri.fsPath));

  /** HEAD, branches and remotes: a checkout, commit or fetch re-scopes the runs without re-reading stores. */
  private async watchGit(): Promise<void> {
    const dirs = await gitDirs(this.folder.uri.fsPath);
    if (!dirs) return;
    const onGitFile = () => this.queue.request({ rediscover: false, git: true, changed: new Set() });
    for (const dir of new Set([dirs.gitDir, dirs.commonDir])) {
      this.register(watchFiles(new vscode.RelativePattern(vscode.Uri.file(dir), GIT_FILES), onGitFile));
    }
  }

  /** Stores named by settings may live outside the folder, where the folder's watcher cannot see them. */
  private watchExternalStores(): void {
    const outside = new Set(this.service.storeLocations.filter((location) => !isWithin(location, this.folder.uri.fsPath)));
    for (const [location, watcher] of this.externalWatchers) {
      if (outside.has(location)) continue;
      watcher.dispose();
      this.externalWatchers.delete(location);
    }
    for (const location of outside) {
      if (this.externalWatchers.has(location)) continue;
      const pattern = new vscode.RelativePattern(vscode.Uri.file(dirname(location)), `${basename(location)}{,-wal,-journal,/**}`);
      this.externalWatchers.set(location, watchFiles(pattern, this.onStoreFile));
    }
  }
}

function watchFiles(pattern: vscode.RelativePattern, onEvent: (uri: vscode.Uri) => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  watcher.onDidCreate(onEvent);
  watcher.onDidChange(onEvent);
  watcher.onDidDelete(onEvent);
  return watcher;
}

function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
