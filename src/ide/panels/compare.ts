// The compare feature's registration: the two commands, the panel serializer (panels come back after a
// reload, on the run keys their webview saved), the status bar item, and the API the tests drive.
//
// One panel at a time: a second "Compare" shows its runs in the open panel and reveals it. The panel is a
// workspace of its own (add and remove runs, a baseline, zoom); a second one would split that state and
// read and follow the same running runs twice.
import * as vscode from 'vscode';
import type { CompareApi } from '../api';
import type { Logger } from '../../core/log';
import { PanelState } from '../../protocol/compare';
import { METRIC_DIRECTIONS_SETTING, metricDirections, primaryMetric } from '../config';
import { Disposable } from '../lifecycle';
import type { RunlensModel } from '../model';
import { BranchStatusBar, currentFolder } from '../status-bar';
import type { ExperimentNode } from '../views/experiments';
import { branchVersusBase } from './branch-base';
import { ComparePanel, COMPARE_VIEW_TYPE } from './compare-panel';
import { CompareSession } from './compare-session';
import { pickRuns } from './pick-runs';
import { webviewOptions } from './webview-html';

export function registerCompare(
  context: vscode.ExtensionContext,
  model: RunlensModel,
  experiments: vscode.TreeView<ExperimentNode>,
  log: Logger,
): CompareApi {
  const panels = new ComparePanels(context.extensionUri, model, log);
  context.subscriptions.push(
    panels,
    new BranchStatusBar(model),
    vscode.commands.registerCommand('runlens.compareRuns', async (node?: ExperimentNode, nodes?: readonly ExperimentNode[]) => {
      const selected = runKeys(nodes ?? (node ? [node] : experiments.selection));
      const keys = selected.length >= 2 ? selected : await pickRuns(model, { title: 'Runlens: Compare Selected Runs', checked: new Set(selected) });
      if (keys) panels.open(keys);
    }),
    vscode.commands.registerCommand('runlens.compareBranchWithBase', () => compareBranchWithBase(model, panels)),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => panels.restore(panel, state),
    }),
  );
  return panels.api();
}

const runKeys = (nodes: readonly ExperimentNode[]): string[] => nodes.flatMap((node) => (node.type === 'run' ? [node.run.key] : []));

async function compareBranchWithBase(model: RunlensModel, panels: ComparePanels): Promise<void> {
  const target = currentFolder(model);
  if (!target) {
    vscode.window.showInformationMessage('No runs found in this workspace.');
    return;
  }
  const { catalog } = target;
  const branch = catalog.git.branch ?? 'this branch';
  const base = catalog.git.base ?? 'the base branch';
  const result = branchVersusBase(catalog, primaryMetric(), metricDirections());
  if (!result.metric) {
    vscode.window.showInformationMessage(`No run of ${branch} or ${base} has logged a metric yet.`);
    return;
  }
  if (!result.direction) {
    const open = 'Open Settings';
    const answer = await vscode.window.showWarningMessage(
      `Runlens cannot tell whether a higher or a lower ${result.metric} is better. Say so in the ${METRIC_DIRECTIONS_SETTING} setting, or pick another runlens.primaryMetric.`,
      open,
    );
    if (answer === open) await vscode.commands.executeCommand('workbench.action.openSettings', METRIC_DIRECTIONS_SETTING);
    return;
  }
  if (!result.branchBest) {
    vscode.window.showInformationMessage(`No run on ${branch} has logged ${result.metric} yet.`);
    return;
  }
  if (!result.baseBest) vscode.window.showInformationMessage(`No run from ${base} has logged ${result.metric}: showing the best run of ${branch} alone.`);
  const keys = [result.baseBest?.key, result.branchBest.key].filter((key): key is string => key !== undefined);
  panels.open(keys, result.baseBest?.key, `${branch} vs ${base}`);
}

/** The compare panel, if one is open, and how it is opened, reused and restored. */
class ComparePanels extends Disposable {
  private current: ComparePanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly model: RunlensModel,
    private readonly log: Logger,
  ) {
    super();
    this.register({ dispose: () => this.current?.dispose() });
  }

  open(keys: readonly string[], baseline?: string, label?: string): void {
    const session = new CompareSession(this.model, keys, baseline, this.log, label);
    if (this.current) {
      this.current.replace(session);
      this.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, session.view().title, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.adopt(panel, session);
  }

  /** A panel VS Code brings back after a reload, with the state its page saved. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    if (this.current) {
      panel.dispose();
      return;
    }
    const saved = PanelState.parse(state ?? {});
    this.adopt(panel, new CompareSession(this.model, saved.runs, saved.baseline, this.log));
  }

  api(): CompareApi {
    const open = (): ComparePanel => {
      if (!this.current) throw new Error('no compare panel is open');
      return this.current;
    };
    return {
      state: () => {
        const panel = this.current;
        if (!panel) return undefined;
        return { title: panel.panel.title, runs: [...panel.runKeys], baseline: panel.baseline, visible: panel.panel.visible, ...panel.renderState, problems: [...panel.problems] };
      },
      record: () => open().record(),
      exportTable: (table, path) => open().exportTable(table, vscode.Uri.file(path)),
      exportChart: (metric, path) => open().exportChart(metric, vscode.Uri.file(path)),
    };
  }

  private adopt(webviewPanel: vscode.WebviewPanel, session: CompareSession): void {
    const panel = new ComparePanel(webviewPanel, session, this.extensionUri, this.model, this.log, {
      pickRunsToAdd: (current) => pickRuns(this.model, { title: 'Runlens: Add Runs to the Comparison', exclude: new Set(current) }),
    });
    panel.onDidDispose(() => {
      if (this.current === panel) this.current = undefined;
    });
    this.current = panel;
  }
}
