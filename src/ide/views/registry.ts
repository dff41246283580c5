// Models and Datasets views: both list one folder's catalog entries, grouped, with a folder level only
// in multi-root workspaces.
import * as vscode from 'vscode';
import { runKey, type Catalog, type ScopedRun } from '../../core/catalog';
import type { Dataset, ModelVersion } from '../../core/model';
import { Disposable } from '../lifecycle';
import type { RunlensModel } from '../model';
import type { FolderWorkspace } from '../workspace';
import { formatBytes, shortCommit, SOURCE_LABELS } from '../../core/format';
import { appendField, folderItem } from './items';

export type RegistryNode<G, L> =
  | { type: 'folder'; workspace: FolderWorkspace }
  | { type: 'group'; workspace: FolderWorkspace; group: G }
  | { type: 'leaf'; workspace: FolderWorkspace; leaf: L };

abstract class FolderTreeProvider<G, L> extends Disposable implements vscode.TreeDataProvider<RegistryNode<G, L>> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(protected readonly model: RunlensModel) {
    super();
    this.register(model.onDidChange(() => this.changed.fire()));
  }

  protected abstract groups(catalog: Catalog): G[];
  protected abstract leaves(group: G, catalog: Catalog): L[];
  protected abstract groupItem(group: G, workspace: FolderWorkspace): vscode.TreeItem;
  protected abstract leafItem(leaf: L, workspace: FolderWorkspace): vscode.TreeItem;

  getChildren(node?: RegistryNode<G, L>): RegistryNode<G, L>[] {
    const withGroups = (workspace: FolderWorkspace) =>
      workspace.catalog ? this.groups(workspace.catalog).map((group): RegistryNode<G, L> => ({ type: 'group', workspace, group })) : [];
    if (!node) {
      const workspaces = this.model.workspaces.filter((ws) => ws.catalog && this.groups(ws.catalog).length > 0);
      return workspaces.length === 1 ? withGroups(workspaces[0]!) : workspaces.map((workspace) => ({ type: 'folder', workspace }));
    }
    if (node.type === 'folder') return withGroups(node.workspace);
    if (node.type === 'group' && node.workspace.catalog) {
      return this.leaves(node.group, node.workspace.catalog).map((leaf) => ({ type: 'leaf', workspace: node.workspace, leaf }));
    }
    return [];
  }

  getTreeItem(node: RegistryNode<G, L>): vscode.TreeItem {
    switch (node.type) {
      case 'folder':
        return folderItem(node.workspace);
      case 'group':
        return this.groupItem(node.group, node.workspace);
      case 'leaf':
        return this.leafItem(node.leaf, node.workspace);
    }
  }
}

interface RegisteredModel {
  name: string;
  store: string;
  source: ModelVersion['source'];
  versions: ModelVersion[];
}

export class ModelsProvider extends FolderTreeProvider<RegisteredModel, ModelVersion> {
  protected groups(catalog: Catalog): RegisteredModel[] {
    const byModel = new Map<string, RegisteredModel>();
    for (const version of catalog.models) {
      const id = `${version.store}#${version.model}`;
      const model = byModel.get(id) ?? { name: version.model, store: version.store, source: version.source, versions: [] };
      model.versions.push(version);
      byModel.set(id, model);
    }
    return [...byModel.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  protected leaves(model: RegisteredModel): ModelVersion[] {
    return [...model.versions].sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }));
  }

  protected groupItem(model: RegisteredModel, workspace: FolderWorkspace): vscode.TreeItem {
    const item = new vscode.TreeItem(model.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `model:${workspace.folder.uri}:${model.store}#${model.name}`;
    const latest = model.versions.find((v) => v.aliases.includes('latest')) ?? (model.source === 'gto' ? undefined : this.leaves(model)[0]);
    item.description = `${model.versions.length} version${model.versions.length === 1 ? '' : 's'}${latest ? `, latest ${versionLabel(latest.version)}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'model';
    return item;
  }

  protected leafItem(version: ModelVersion, workspace: FolderWorkspace): vscode.TreeItem {
    const item = new vscode.TreeItem(versionLabel(version.version), vscode.TreeItemCollapsibleState.None);
    item.id = `version:${workspace.folder.uri}:${version.store}#${version.model}@${version.version}`;
    item.description = [...version.stages, ...version.aliases.map((a) => `@${a}`)].join(' · ') || undefined;
    item.iconPath = new vscode.ThemeIcon(version.stages.length > 0 ? 'rocket' : version.aliases.length > 0 ? 'tag' : 'versions');
    item.contextValue = version.run ? 'modelVersion.withRun' : 'modelVersion';
    const run = version.run ? workspace.catalog?.runs.find((r) => r.key === runKey({ store: version.store, id: version.run! })) : undefined;
    item.tooltip = versionTooltip(version, run);
    if (version.run) item.command = { command: 'runlens.revealRun', title: 'Reveal Run', arguments: [runKey({ store: version.store, id: version.run })] };
    return item;
  }
}

/**
 * MLflow numbers versions ("Version 3"); GTO names them by semver ("v1.2.0"), or by commit when an
 * artifact is declared but not registered.
 */
function versionLabel(version: string): string {
  if (/^\d+$/.test(version)) return `Version ${version}`;
  return /^[0-9a-f]{40}$/.test(version) ? shortCommit(version)! : version;
}

function versionTooltip(version: ModelVersion, run: ScopedRun | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const line = (label: string, value: string) => appendField(md, label, value);
  line('Model', `${version.model} ${versionLabel(version.version)}`);
  if (version.stages.length) line('Stage', version.stages.join(', '));
  if (version.aliases.length) line('Aliases', version.aliases.join(', '));
  if (version.run) line('Run', run ? `${run.name} (${version.run})` : version.run);
  if (run?.git.commit) line('Commit', run.git.commit.slice(0, 7));
  if (version.sourceUri) line('Source', version.sourceUri);
  if (version.createdAt) line('Created', new Date(version.createdAt).toLocaleString());
  if (version.commit) line('Tagged commit', version.commit.slice(0, 7));
  if (version.deprecated) line('Deprecated', 'yes');
  if (version.description) line('Description', version.description);
  line('Registry', SOURCE_LABELS[version.source]);
  return md;
}

interface DatasetRun {
  dataset: Dataset;
  runId: string;
}

export class DatasetsProvider extends FolderTreeProvider<Dataset, DatasetRun> {
  protected groups(catalog: Catalog): Dataset[] {
    return [...catalog.datasets].sort((a, b) => a.name.localeCompare(b.name) || a.digest.localeCompare(b.digest));
  }

  protected leaves(dataset: Dataset): DatasetRun[] {
    return dataset.runs.map((runId) => ({ dataset, runId }));
  }

  protected groupItem(dataset: Dataset, workspace: FolderWorkspace): vscode.TreeItem {
    const item = new vscode.TreeItem(dataset.path ?? dataset.name, dataset.runs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `dataset:${workspace.folder.uri}:${dataset.store}#${dataset.name}@${dataset.digest}`;
    const facts = [
      dataset.digest.slice(0, 8),
      dataset.size === undefined ? undefined : formatBytes(dataset.size),
      dataset.nfiles === undefined ? undefined : `${dataset.nfiles} files`,
      dataset.runs.length ? `${dataset.runs.length} run${dataset.runs.length === 1 ? '' : 's'}` : undefined,
      dataset.changedOnBranch ? 'changed on this branch' : undefined,
    ];
    item.description = facts.filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('database', dataset.changedOnBranch ? new vscode.ThemeColor('gitDecoration.modifiedResourceForeground') : undefined);
    item.contextValue = dataset.changedOnBranch ? 'dataset.changed' : 'dataset';
    const md = new vscode.MarkdownString();
    appendField(md, 'Dataset', dataset.name);
    appendField(md, 'Version', dataset.digest);
    if (dataset.sourceUri) appendField(md, 'Source', `${dataset.sourceType ? `${dataset.sourceType} ` : ''}${dataset.sourceUri}`);
    if (dataset.usedBy?.length) appendField(md, 'Used by stages', dataset.usedBy.join(', '));
    if (dataset.changedOnBranch !== undefined) appendField(md, 'On this branch', dataset.changedOnBranch ? 'changed since the merge-base with the base branch' : 'unchanged');
    if (dataset.profile) appendField(md, 'Profile', dataset.profile);
    appendField(md, 'Read from', SOURCE_LABELS[dataset.source]);
    item.tooltip = md;
    return item;
  }

  protected leafItem({ dataset, runId }: DatasetRun, workspace: FolderWorkspace): vscode.TreeItem {
    const key = runKey({ store: dataset.store, id: runId });
    const run = workspace.catalog?.runs.find((r) => r.key === key);
    const item = new vscode.TreeItem(run?.name ?? runId, vscode.TreeItemCollapsibleState.None);
    item.id = `dataset-run:${workspace.folder.uri}:${dataset.store}#${dataset.name}@${dataset.digest}:${runId}`;
    item.description = run ? run.experiment : 'run not loaded';
    item.iconPath = new vscode.ThemeIcon('play-circle');
    item.command = { command: 'runlens.revealRun', title: 'Reveal Run', arguments: [key] };
    return item;
  }
}

