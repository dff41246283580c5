// The status bar item: the best primary metric of this branch and its delta against the base's best.
// Clicking it opens that comparison.
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog';
import { formatNumber } from '../core/format';
import { metricDirections, primaryMetric } from './config';
import { Disposable } from './lifecycle';
import type { RunlensModel } from './model';
import { branchVersusBase, type BranchVersusBase } from './panels/branch-base';
import type { FolderWorkspace } from './workspace';

/**
 * The folder "this branch" means: the one of the active editor's file, else the first whose branch has runs,
 * else the first with tracking data.
 */
export function currentFolder(model: RunlensModel): { workspace: FolderWorkspace; catalog: Catalog } | undefined {
  const catalogs = model.catalogs();
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = active && vscode.workspace.getWorkspaceFolder(active);
  return (
    catalogs.find(({ workspace }) => folder !== undefined && workspace.folder.uri.toString() === folder.uri.toString()) ??
    catalogs.find(({ catalog }) => catalog.runs.some((run) => run.scope === 'branch')) ??
    catalogs[0]
  );
}

const signed = (value: number) => `${value > 0 ? '+' : ''}${formatNumber(value)}`;

export class BranchStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('runlens.branchMetric', vscode.StatusBarAlignment.Left, 10));

  constructor(private readonly model: RunlensModel) {
    super();
    this.item.name = 'Runlens: This Branch against Its Base';
    this.item.command = 'runlens.compareBranchWithBase';
    this.register(model.onDidChange(() => this.update()));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('runlens.primaryMetric') || e.affectsConfiguration('runlens.metricDirections')) this.update();
    }));
    this.update();
  }

  private update(): void {
    const target = currentFolder(this.model);
    const result = target && branchVersusBase(target.catalog, primaryMetric(), metricDirections());
    if (!target || !result || result.branchRuns === 0) {
      this.item.hide();
      return;
    }
    const { git } = target.catalog;
    const { text, label } = describe(result);
    this.item.text = `$(beaker) ${text}`;
    this.item.accessibilityInformation = { label };
    this.item.tooltip = tooltip(result, git.branch ?? 'this branch', git.base ?? 'the base');
    this.item.show();
  }
}

function describe(result: BranchVersusBase): { text: string; label: string } {
  const runs = `${result.branchRuns} run${result.branchRuns === 1 ? '' : 's'}`;
  const best = result.metric && result.branchBest?.metrics[result.metric];
  if (!result.metric || !best) return { text: runs, label: `${runs} on this branch` };
  const value = `${result.metric} ${formatNumber(best.last)}`;
  if (result.delta === undefined) return { text: value, label: `best ${value} on this branch` };
  const verdict = result.better === undefined ? 'the same as' : result.better ? 'better than' : 'worse than';
  return { text: `${value} (${signed(result.delta)})`, label: `best ${value} on this branch, ${verdict} the base by ${formatNumber(Math.abs(result.delta))}` };
}

function tooltip(result: BranchVersusBase, branch: string, base: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const line = (text: string) => {
    md.appendText(text);
    md.appendMarkdown('  \n');
  };
  line(`${branch}: ${result.branchRuns} run${result.branchRuns === 1 ? '' : 's'}`);
  const { metric } = result;
  if (!metric) return md;
  if (!result.direction) {
    line(`Whether a higher or a lower ${metric} is better is unknown: set it in runlens.metricDirections to rank runs.`);
    return md;
  }
  const best = (name: string, run: BranchVersusBase['branchBest']) =>
    line(run ? `Best on ${name}: ${metric} ${formatNumber(run.metrics[metric]!.last)} (${run.name})` : `No run on ${name} has ${metric}.`);
  best(branch, result.branchBest);
  best(base, result.baseBest);
  if (result.delta !== undefined) line(`${signed(result.delta)}: ${result.better === undefined ? 'no change' : result.better ? 'better' : 'worse'} (${result.direction === 'max' ? 'higher' : 'lower'} is better)`);
  md.appendMarkdown('\n*Click to compare the two runs.*');
  return md;
}
