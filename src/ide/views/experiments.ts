// Experiments view: [folder →] branch scope → experiment → run, plus the problems found while reading.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { primaryMetricKey, visibleRuns, type ScopedRun } from '../../core/catalog';
import { formatDuration, formatNumber, shortCommit, SOURCE_LABELS } from '../../core/format';
import type { Diagnostic, RunStatus, Scope } from '../../core/model';
import { scopeLabel } from '../../core/scope';
import { primaryMetric } from '../config';
import { Disposable } from '../lifecycle';
import type { RunlensModel } from '../model';
import type { FolderWorkspace } from '../workspace';
import { appendField, diagnosticItem, folderItem, messageItem } from './items';

export type ExperimentNode =
  | { type: 'folder'; workspace: FolderWorkspace }
  | { type: 'group'; workspace: FolderWorkspace; scope: Scope; parent?: ExperimentNode }
  | { type: 'experiment'; workspace: FolderWorkspace; scope: Scope; experiment: string; runs: ScopedRun[]; parent: ExperimentNode }
  | { type: 'run'; workspace: FolderWorkspace; run: ScopedRun; parent: ExperimentNode }
  | { type: 'problems'; workspace: FolderWorkspace; diagnostics: Diagnostic[]; parent?: ExperimentNode }
  | { type: 'diagnostic'; diagnostic: Diagnostic; parent: ExperimentNode }
  | { type: 'message'; text: string; parent: ExperimentNode };

const SCOPE_ORDER: Scope[] = ['branch', 'base', 'unlinked', 'other'];

export class ExperimentsProvider extends Disposable implements vscode.TreeDataProvider<ExperimentNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: RunlensModel) {
    super();
    this.register(model.onDidChange(() => this.changed.fire()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('runlens.primaryMetric') && this.changed.fire()));
  }

  getChildren(node?: ExperimentNode): ExperimentNode[] {
    if (!node) {
      const workspaces = this.model.workspaces.filter((ws) => ws.catalog);
      if (workspaces.length === 1) return this.folderChildren(workspaces[0]!);
      return workspaces.map((workspace) => ({ type: 'folder', workspace }));
    }
    switch (node.type) {
      case 'folder':
        return this.folderChildren(node.workspace, node);
      case 'group':
        return this.groupChildren(node);
      case 'experiment':
        return node.runs.map((run) => ({ type: 'run', workspace: node.workspace, run, parent: node }));
      case 'problems':
        return node.diagnostics.map((diagnostic) => ({ type: 'diagnostic', diagnostic, parent: node }));
      default:
        return [];
    }
  }

  getParent(node: ExperimentNode): ExperimentNode | undefined {
    return 'parent' in node ? node.parent : undefined;
  }

  getTreeItem(node: ExperimentNode): vscode.TreeItem {
    switch (node.type) {
      case 'folder':
        return folderItem(node.workspace);
      case 'group':
        return this.groupItem(node);
      case 'experiment': {
        const item = new vscode.TreeItem(node.experiment, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `experiment:${node.workspace.folder.uri}:${node.scope}:${node.experiment}`;
        item.description = `${node.runs.length}`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'experiment';
        return item;
      }
      case 'run':
        return runItem(node.run);
      case 'problems': {
        const item = new vscode.TreeItem('Problems', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `problems:${node.workspace.folder.uri}`;
        item.description = `${node.diagnostics.length}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = 'Files Runlens could not read. Everything else loaded.';
        return item;
      }
      case 'diagnostic':
        return diagnosticItem(node.diagnostic);
      case 'message':
        return messageItem(node.text);
    }
  }

  /** Finds the node of a run so the view can reveal it. */
  findRun(key: string): ExperimentNode | undefined {
    const search = (nodes: ExperimentNode[]): ExperimentNode | undefined => {
      for (const node of nodes) {
        if (node.type === 'run' && node.run.key === key) return node;
        if (node.type === 'folder' || node.type === 'group' || node.type === 'experiment') {
          const found = search(this.getChildren(node));
          if (found) return found;
        }
      }
      return undefined;
    };
    return search(this.getChildren());
  }

  private folderChildren(workspace: FolderWorkspace, parent?: ExperimentNode): ExperimentNode[] {
    const catalog = workspace.catalog;
    if (!catalog) return [];
    const runs = visibleRuns(catalog, this.model.allBranches);
    const scopes = SCOPE_ORDER.filter((scope) => runs.some((run) => run.scope === scope) || (scope === 'branch' && catalog.git.isRepo && catalog.runs.length > 0));
    const nodes: ExperimentNode[] = scopes.map((scope) => ({ type: 'group', workspace, scope, parent }));
    if (catalog.diagnostics.length > 0) nodes.push({ type: 'problems', workspace, diagnostics: catalog.diagnostics, parent });
    return nodes;
  }

  private groupChildren(node: Extract<ExperimentNode, { type: 'group' }>): ExperimentNode[] {
    const runs = (node.workspace.catalog?.runs ?? []).filter((run) => run.scope === node.scope);
    if (runs.length === 0) return [{ type: 'message', text: 'No runs on this branch yet', parent: node }];
    const byExperiment = new Map<string, ScopedRun[]>();
    for (const run of runs.sort(newestFirst)) byExperiment.set(run.experiment, [...(byExperiment.get(run.experiment) ?? []), run]);
    return [...byExperiment.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([experiment, expRuns]) => ({ type: 'experiment', workspace: node.workspace, scope: node.scope, experiment, runs: expRuns, parent: node }));
  }

  private groupItem(node: Extract<ExperimentNode, { type: 'group' }>): vscode.TreeItem {
    const catalog = node.workspace.catalog!;
    const count = catalog.runs.filter((run) => run.scope === node.scope).length;
    const expanded = node.scope === 'branch' || node.scope === 'unlinked' || !catalog.git.isRepo;
    const item = new vscode.TreeItem(scopeLabel(node.scope, catalog.git), expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `group:${node.workspace.folder.uri}:${node.scope}`;
    item.description = `${count} run${count === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon(node.scope === 'branch' ? 'git-branch' : node.scope === 'base' ? 'git-merge' : node.scope === 'unlinked' ? 'circle-large-outline' : 'git-compare');
    item.contextValue = `group.${node.scope}`;
    item.tooltip = groupTooltip(node.scope, catalog.git.branch, catalog.git.base);
    return item;
  }
}

function groupTooltip(scope: Scope, branch: string | undefined, base: string | undefined): string {
  switch (scope) {
    case 'branch':
      return `Runs made on commits of ${branch ?? 'this detached HEAD'} since it left ${base ?? 'its base'}, and runs on HEAD.`;
    case 'base':
      return `Runs made on commits ${base ?? 'the base branch'} already had when this branch started.`;
    case 'unlinked':
      return 'Runs with no git commit recorded (no mlflow.source.git.commit tag), or a folder that is not a git repository.';
    case 'other':
      return 'Runs on commits of other branches, or commits this clone does not have.';
  }
}

function newestFirst(a: ScopedRun, b: ScopedRun): number {
  return (b.startTime ?? 0) - (a.startTime ?? 0) || a.name.localeCompare(b.name);
}

const STATUS_ICONS: Record<RunStatus, [string, string | undefined]> = {
  RUNNING: ['sync~spin', 'charts.blue'],
  SCHEDULED: ['clock', undefined],
  FINISHED: ['pass', 'testing.iconPassed'],
  FAILED: ['error', 'testing.iconFailed'],
  KILLED: ['circle-slash', 'disabledForeground'],
  UNKNOWN: ['question', undefined],
};

export function runItem(run: ScopedRun): vscode.TreeItem {
  const item = new vscode.TreeItem(run.name || run.id, vscode.TreeItemCollapsibleState.None);
  item.id = `run:${run.key}`;
  const key = primaryMetricKey(run, primaryMetric());
  const metric = key ? run.metrics[key] : undefined;
  item.description = metric ? `${key} ${formatNumber(metric.last)}` : undefined;
  const [icon, color] = STATUS_ICONS[run.status];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = run.git.commit ? 'run.linked' : 'run';
  item.tooltip = runTooltip(run);
  item.accessibilityInformation = { label: `Run ${run.name}, ${run.status.toLowerCase()}${metric ? `, ${key} ${formatNumber(metric.last)}` : ''}` };
  return item;
}

function runTooltip(run: ScopedRun): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const line = (label: string, value: string) => appendField(md, label, value);
  md.appendMarkdown('**');
  md.appendText(run.name || run.id);
  md.appendMarkdown(`** · ${run.status.toLowerCase()}\n\n`);
  line('Experiment', run.experiment);
  line('Run ID', run.id);
  if (run.git.commit) line('Commit', `${shortCommit(run.git.commit)}${run.git.branch ? ` (${run.git.branch})` : ''}${run.git.dirty ? ', uncommitted changes' : ''}`);
  if (run.startTime) line('Started', new Date(run.startTime).toLocaleString());
  if (run.startTime && run.endTime) line('Duration', formatDuration(run.endTime - run.startTime));
  line('Source', `${SOURCE_LABELS[run.source]} ${vscode.workspace.asRelativePath(run.path, false) || basename(run.path)}`);
  const section = (title: string, entries: Array<[string, string]>) => {
    if (entries.length === 0) return;
    md.appendMarkdown(`\n\n**${title}**  \n`);
    for (const [k, v] of entries.slice(0, 25)) {
      md.appendText(`${k} = ${v}`);
      md.appendMarkdown('  \n');
    }
    if (entries.length > 25) md.appendText(`… and ${entries.length - 25} more`);
  };
  section('Metrics', Object.values(run.metrics).sort((a, b) => a.key.localeCompare(b.key)).map((m) => [m.key, `${formatNumber(m.last)} (step ${m.step}, min ${formatNumber(m.min)}, max ${formatNumber(m.max)})`]));
  section('Params', Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b)));
  return md;
}
