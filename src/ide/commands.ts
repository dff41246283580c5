// The commands of the Runlens category. Each works from a tree item or, from the palette, asks which run.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { primaryMetricKey, visibleRuns, type ScopedRun } from '../core/catalog';
import { formatNumber, shortCommit } from '../core/format';
import type { Diagnostic } from '../core/model';
import { scopeLabel } from '../core/scope';
import { showCommit } from '../git';
import { FULL_REFRESH } from '../service/folder';
import { primaryMetric } from './config';
import type { RunlensModel } from './model';
import type { ExperimentNode } from './views/experiments';
import type { FolderWorkspace } from './workspace';

export const COMMIT_SCHEME = 'runlens-commit';

interface Views {
  experiments: vscode.TreeView<ExperimentNode>;
  findRun(key: string): ExperimentNode | undefined;
}

type RunTarget = { workspace: FolderWorkspace; run: ScopedRun };

export function registerCommands(model: RunlensModel, views: Views, log: vscode.LogOutputChannel): vscode.Disposable[] {
  /** The run a command acts on: the clicked tree item, else one picked from the current scope. */
  const resolveRun = async (node?: ExperimentNode): Promise<RunTarget | undefined> =>
    node?.type === 'run' ? { workspace: node.workspace, run: node.run } : pickRun(model);

  return [
    vscode.commands.registerCommand('runlens.refresh', () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Runlens: reading tracking data' }, () =>
        Promise.all(model.workspaces.map((ws) => ws.refresh(FULL_REFRESH))),
      ),
    ),
    vscode.commands.registerCommand('runlens.showAllBranches', () => model.setAllBranches(true)),
    vscode.commands.registerCommand('runlens.showCurrentBranch', () => model.setAllBranches(false)),
    vscode.commands.registerCommand('runlens.showLog', () => log.show()),
    vscode.commands.registerCommand('runlens.copyRunId', async (node?: ExperimentNode) => {
      const target = await resolveRun(node);
      if (!target) return;
      await vscode.env.clipboard.writeText(target.run.id);
      vscode.window.setStatusBarMessage(`Copied run ID ${target.run.id}`, 3000);
    }),
    vscode.commands.registerCommand('runlens.openRunFolder', async (node?: ExperimentNode) => {
      const target = await resolveRun(node);
      if (!target) return;
      const uri = vscode.Uri.file(target.run.path);
      const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
    }),
    vscode.commands.registerCommand('runlens.revealRunCommit', async (node?: ExperimentNode) => {
      const target = await resolveRun(node);
      if (!target) return;
      const commit = target.run.git.commit;
      if (!commit) {
        vscode.window.showInformationMessage(`Run "${target.run.name}" has no git commit recorded (no mlflow.source.git.commit tag).`);
        return;
      }
      const uri = vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${shortCommit(commit)}.commit`, query: new URLSearchParams({ folder: target.workspace.folder.uri.fsPath, commit }).toString() });
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }),
    vscode.commands.registerCommand('runlens.revealRun', async (key: string) => {
      const node = views.findRun(key);
      if (node) await views.experiments.reveal(node, { select: true, focus: true, expand: true });
      else vscode.window.showInformationMessage('That run is not in the Experiments view. It may be on another branch: try "Runlens: Show All Branches".');
    }),
    vscode.commands.registerCommand('runlens.openDiagnostic', async (diagnostic: Diagnostic) => {
      const uri = vscode.Uri.file(diagnostic.file);
      if (!existsSync(diagnostic.file)) {
        vscode.window.showWarningMessage(`${diagnostic.file}: ${diagnostic.message}`);
        return;
      }
      try {
        await vscode.window.showTextDocument(uri, { preview: true });
      } catch {
        await vscode.commands.executeCommand('revealInExplorer', uri);
      }
    }),
    vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, {
      async provideTextDocumentContent(uri) {
        const params = new URLSearchParams(uri.query);
        const folder = params.get('folder') ?? '';
        const commit = params.get('commit') ?? '';
        return (await showCommit(folder, commit)) ?? `Commit ${commit} is not in this clone.\n\nFetch it (git fetch), or unshallow a shallow clone (git fetch --unshallow), then try again.\n`;
      },
    }),
  ];
}

async function pickRun(model: RunlensModel): Promise<RunTarget | undefined> {
  const items = model.catalogs().flatMap(({ workspace, catalog }) =>
    visibleRuns(catalog, model.allBranches).map((run) => {
      const key = primaryMetricKey(run, primaryMetric());
      const metric = key ? run.metrics[key] : undefined;
      return {
        label: run.name || run.id,
        description: `${run.experiment}${metric ? ` · ${key} ${formatNumber(metric.last)}` : ''}`,
        detail: `${scopeLabel(run.scope, catalog.git)}${run.git.commit ? ` · ${shortCommit(run.git.commit)}` : ''} · ${run.id}`,
        target: { workspace, run },
      };
    }),
  );
  if (items.length === 0) {
    vscode.window.showInformationMessage('No runs found in this workspace.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Select a run', matchOnDescription: true, matchOnDetail: true }))?.target;
}
