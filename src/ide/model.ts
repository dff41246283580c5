// The extension's model of all workspace folders: the trees render it, commands act on it.
import * as vscode from 'vscode';
import type { Catalog, ScopedRun } from '../core/catalog';
import type { Logger } from '../core/log';
import { Disposable } from './lifecycle';
import { FolderWorkspace } from './workspace';

export class RunlensModel extends Disposable {
  private readonly folders = new Map<string, FolderWorkspace>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when any folder's catalog or the branch filter changes. */
  readonly onDidChange = this.changed.event;
  private showAll: boolean;

  constructor(
    private readonly log: Logger,
    private readonly memento: vscode.Memento,
  ) {
    super();
    this.showAll = memento.get('runlens.allBranches', false);
    void vscode.commands.executeCommand('setContext', 'runlens.allBranches', this.showAll);
    this.sync(vscode.workspace.workspaceFolders ?? []);
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.sync(vscode.workspace.workspaceFolders ?? [])));
    this.register({ dispose: () => this.folders.forEach((ws) => ws.dispose()) });
    this.updateState();
  }

  get workspaces(): FolderWorkspace[] {
    return [...this.folders.values()];
  }

  get allBranches(): boolean {
    return this.showAll;
  }

  async setAllBranches(value: boolean): Promise<void> {
    this.showAll = value;
    await this.memento.update('runlens.allBranches', value);
    await vscode.commands.executeCommand('setContext', 'runlens.allBranches', value);
    this.changed.fire();
  }

  /** Every run of every folder, with the folder it belongs to. */
  allRuns(): Array<{ workspace: FolderWorkspace; run: ScopedRun }> {
    return this.workspaces.flatMap((workspace) => (workspace.catalog?.runs ?? []).map((run) => ({ workspace, run })));
  }

  findRun(key: string): { workspace: FolderWorkspace; run: ScopedRun } | undefined {
    return this.allRuns().find(({ run }) => run.key === key);
  }

  catalogs(): Array<{ workspace: FolderWorkspace; catalog: Catalog }> {
    return this.workspaces.flatMap((workspace) => (workspace.catalog ? [{ workspace, catalog: workspace.catalog }] : []));
  }

  async whenIdle(): Promise<void> {
    await Promise.all(this.workspaces.map((ws) => ws.whenIdle()));
  }

  private sync(folders: readonly vscode.WorkspaceFolder[]): void {
    const wanted = new Map(folders.map((f) => [f.uri.toString(), f]));
    for (const [key, ws] of this.folders) {
      if (wanted.has(key)) continue;
      ws.dispose();
      this.folders.delete(key);
    }
    for (const [key, folder] of wanted) {
      if (this.folders.has(key)) continue;
      const ws = new FolderWorkspace(folder, this.log);
      ws.onDidChange(() => {
        this.updateState();
        this.changed.fire();
      });
      this.folders.set(key, ws);
    }
    this.updateState();
    this.changed.fire();
  }

  /** Drives the welcome views: scanning, empty (nothing found) or ready. */
  private updateState(): void {
    const state = this.workspaces.some((ws) => ws.isScanning) && this.allRuns().length === 0
      ? 'scanning'
      : this.catalogs().some(({ catalog }) => catalog.runs.length + catalog.models.length + catalog.datasets.length + catalog.diagnostics.length > 0)
        ? 'ready'
        : 'empty';
    void vscode.commands.executeCommand('setContext', 'runlens.state', state);
  }
}
