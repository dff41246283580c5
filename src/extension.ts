// Composition root: one model over all workspace folders, three views, the commands.
import * as vscode from 'vscode';
import type { RunlensApi } from './ide/api';
import { registerCommands } from './ide/commands';
import { RESCAN_SETTINGS } from './ide/config';
import { RunlensModel } from './ide/model';
import { registerCompare } from './ide/panels/compare';
import { snapshotTree } from './ide/snapshot';
import { registerLaunchCommands } from './ide/tasks/commands';
import { ExperimentsProvider } from './ide/views/experiments';
import { DatasetsProvider, ModelsProvider } from './ide/views/registry';

export function activate(context: vscode.ExtensionContext): RunlensApi {
  const log = vscode.window.createOutputChannel('Runlens', { log: true });
  context.subscriptions.push(log);
  log.info(`Runlens ${context.extension.packageJSON.version} activating`);

  const model = new RunlensModel(log, context.workspaceState);
  const experiments = new ExperimentsProvider(model);
  const models = new ModelsProvider(model);
  const datasets = new DatasetsProvider(model);
  const experimentsView = vscode.window.createTreeView('runlens.experiments', { treeDataProvider: experiments, canSelectMany: true, showCollapseAll: true });
  const updateMessage = () => {
    const notGit = model.catalogs().filter(({ catalog }) => !catalog.git.isRepo && catalog.runs.length > 0);
    experimentsView.message = notGit.length
      ? `${notGit.map(({ workspace }) => workspace.folder.name).join(', ')}: not a git repository. All runs are listed; scoping them to a branch needs git.`
      : undefined;
  };
  context.subscriptions.push(
    model,
    experiments,
    models,
    datasets,
    experimentsView,
    vscode.window.createTreeView('runlens.models', { treeDataProvider: models, showCollapseAll: true }),
    vscode.window.createTreeView('runlens.datasets', { treeDataProvider: datasets, showCollapseAll: true }),
    model.onDidChange(updateMessage),
    vscode.workspace.onDidChangeConfiguration((event) => {
      for (const ws of model.workspaces) {
        if (RESCAN_SETTINGS.some((setting) => event.affectsConfiguration(setting, ws.folder.uri))) ws.settingsChanged();
      }
    }),
    ...registerCommands(model, { experiments: experimentsView, findRun: (key) => experiments.findRun(key) }, log),
    ...registerLaunchCommands(context, model, log),
  );

  const compare = registerCompare(context, model, experimentsView, log);

  const providers = { experiments, models, datasets };
  return {
    snapshot: async (view) => {
      await model.whenIdle();
      return snapshotTree<unknown>(providers[view] as vscode.TreeDataProvider<unknown>);
    },
    whenIdle: () => model.whenIdle(),
    compare,
  };
}

export function deactivate(): void {}
