// The launch specs of a workspace folder in the editor: settings read (and their problems logged), the
// catalog asked for the folder's DVC projects and MLflow store.
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { z } from 'zod';
import type { ModelVersion } from '../../core/model';
import { resolveTrackingUri } from '../../sources/discover';
import { projectRoot } from '../../sources/dvc/store';
import { folderSettings } from '../config';
import type { FolderWorkspace } from '../workspace';
import { deploySpecs } from './deploy';
import { DeployTarget, parseEntries, TrainingCommand } from './settings';
import type { LaunchSpec, TrackingStore } from './spec';
import { trainingSpecs } from './training';

const MLFLOW_KINDS = new Set(['mlflow-file', 'mlflow-sqlite']);

/** Problems already shown once, so a broken setting is not reported on every launch. */
const reported = new Set<string>();

function settingEntries<S extends z.ZodType>(schema: S, key: string, folder: vscode.WorkspaceFolder, log: vscode.LogOutputChannel): z.infer<S>[] {
  const { entries, problems } = parseEntries(schema, vscode.workspace.getConfiguration('runlens', folder.uri).get(key), `runlens.${key}`);
  for (const problem of problems) {
    log.warn(problem);
    if (!reported.has(problem)) {
      reported.add(problem);
      void vscode.window.showWarningMessage(`Runlens: ${problem}`, 'Open Settings').then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', `runlens.${key}`));
    }
  }
  return entries;
}

/**
 * The MLflow store launches write to: the one `runlens.mlflow.trackingUri` names, else the folder's first
 * MLflow store under `cwd`, else its first MLflow store. None when the folder has no MLflow store yet: the
 * tracker then uses its own default.
 */
export async function trackingStoreOf(workspace: FolderWorkspace, cwd: string): Promise<TrackingStore | undefined> {
  const configured = folderSettings(workspace.folder.uri).trackingUri;
  if (configured) {
    const resolved = await resolveTrackingUri(configured, workspace.folder.uri.fsPath);
    if (!('error' in resolved)) return resolved;
  }
  const stores = [...new Map((workspace.catalog?.experiments ?? []).filter((e) => MLFLOW_KINDS.has(e.source)).map((e) => [e.store, { kind: e.source, location: e.store }])).values()];
  return stores.find((store) => isUnder(store.location, cwd)) ?? stores[0];
}

function isUnder(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

export async function trainingSpecsOf(workspace: FolderWorkspace, log: vscode.LogOutputChannel): Promise<LaunchSpec[]> {
  const folder = workspace.folder.uri.fsPath;
  const dvcRoots = [...new Set((workspace.catalog?.experiments ?? []).filter((e) => e.source === 'dvc').map((e) => projectRoot(e.store)))];
  const { specs, diagnostics } = await trainingSpecs({
    folder,
    commands: settingEntries(TrainingCommand, 'training', workspace.folder, log),
    dvcRoots,
    maxDepth: folderSettings(workspace.folder.uri).maxDepth,
    store: await trackingStoreOf(workspace, folder),
  });
  for (const d of diagnostics) log.warn(`${d.file}: ${d.message}`);
  return specs;
}

export async function deploySpecsOf(workspace: FolderWorkspace, version: ModelVersion, log: vscode.LogOutputChannel): Promise<LaunchSpec[]> {
  const folder = workspace.folder.uri.fsPath;
  // `models:/name/version` is resolved against the registry that holds the version.
  const store = MLFLOW_KINDS.has(version.source) ? { kind: version.source, location: version.store } : await trackingStoreOf(workspace, folder);
  const run = version.run ? workspace.catalog?.runs.find((r) => r.store === version.store && r.id === version.run) : undefined;
  return deploySpecs(version, run, {
    folder,
    targets: settingEntries(DeployTarget, 'deployTargets', workspace.folder, log),
    store,
  });
}
