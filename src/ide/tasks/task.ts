// Launches as VS Code tasks of type `runlens` (schema in package.json `taskDefinitions`): a definition names
// the spec and holds the parameter values, so a task written to tasks.json is rebuilt from it alone. The
// execution is always a ProcessExecution with an argument array; nothing goes through a shell.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { initialValues, problemsOf, type LaunchKind } from '../../core/launch';
import type { RunlensModel } from '../model';
import type { FolderWorkspace } from '../workspace';
import { deploySpecsOf, trainingSpecsOf } from './folder-specs';
import type { LaunchOptions, LaunchSpec } from './spec';

export const TASK_TYPE = 'runlens';

export interface RunlensTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  kind: LaunchKind;
  name: string;
  project?: string;
  params?: Record<string, string>;
  queue?: boolean;
  experiment?: string;
  /** the model version a deploy task deploys */
  model?: { name: string; version: string };
}

export function isRunlensTask(task: vscode.Task): boolean {
  return task.definition.type === TASK_TYPE;
}

/** Whether a local path exists, relative to the spec's working folder. */
export function pathExists(spec: LaunchSpec): (path: string) => boolean {
  return (path) => existsSync(resolve(spec.cwd, path));
}

/** Why these values cannot launch the spec, as one sentence per parameter; empty when they can. */
export function launchProblems(spec: LaunchSpec, values: Readonly<Record<string, string>>): string[] {
  return [...problemsOf(spec.parameters, values, pathExists(spec))].map(([name, problem]) => `${name} ${problem}`);
}

export function definitionOf(spec: LaunchSpec, values: Record<string, string>, options: LaunchOptions, model?: RunlensTaskDefinition['model']): RunlensTaskDefinition {
  return {
    type: TASK_TYPE,
    kind: spec.kind,
    name: spec.name,
    ...(spec.project === undefined ? {} : { project: spec.project }),
    ...(Object.keys(values).length ? { params: values } : {}),
    ...(options.queue ? { queue: true } : {}),
    ...(options.experiment ? { experiment: options.experiment } : {}),
    ...(model ? { model } : {}),
  };
}

/** The task for a definition and its spec; throws with the reason when the values cannot launch it. */
export function taskOf(definition: RunlensTaskDefinition, spec: LaunchSpec, folder: vscode.WorkspaceFolder): vscode.Task {
  const values = initialValues(spec.parameters, definition.params);
  const problems = launchProblems(spec, values);
  if (problems.length) throw new Error(`${spec.label}: ${problems.join('; ')}`);
  const { process, args, cwd, env } = spec.invocation(values, { queue: definition.queue, experiment: definition.experiment });
  const name = definition.model ? `${spec.label} · ${definition.model.name} ${definition.model.version}` : spec.label;
  const task = new vscode.Task(definition, folder, name, TASK_TYPE, new vscode.ProcessExecution(process, args, { cwd, env }));
  task.detail = spec.detail;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  return task;
}

/** The spec a definition names, found again in the folder as it is now. */
export async function specOf(definition: RunlensTaskDefinition, workspace: FolderWorkspace, log: vscode.LogOutputChannel): Promise<LaunchSpec> {
  const matches = (spec: LaunchSpec) => spec.kind === definition.kind && spec.name === definition.name && (spec.project ?? '') === (definition.project ?? '');
  if (definition.kind === 'deploy') {
    const { model } = definition;
    const version = model && workspace.catalog?.models.find((v) => v.model === model.name && v.version === model.version);
    if (!version) throw new Error(`no model version ${model?.name} ${model?.version} in ${workspace.folder.name}`);
    const spec = (await deploySpecsOf(workspace, version, log)).find(matches);
    if (!spec) throw new Error(`no deploy target "${definition.name}" (runlens.deployTargets)`);
    return spec;
  }
  const spec = (await trainingSpecsOf(workspace, log)).find(matches);
  if (!spec) throw new Error(`no ${definition.kind} "${definition.name}"${definition.project ? ` in ${definition.project}` : ''} in ${workspace.folder.name}`);
  return spec;
}

/** Lists the folders' training specs that run with their defaults, and rebuilds any runlens task from its definition. */
export class RunlensTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly model: RunlensModel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const tasks = await Promise.all(
      this.model.workspaces.map(async (workspace) =>
        (await trainingSpecsOf(workspace, this.log)).flatMap((spec) => {
          try {
            return [taskOf(definitionOf(spec, {}, {}), spec, workspace.folder)];
          } catch {
            return []; // a parameter without a default: launch it with "Runlens: Train…" instead
          }
        }),
      ),
    );
    return tasks.flat();
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const workspace = this.workspaceOf(task);
    if (!workspace || !vscode.workspace.isTrusted) return undefined;
    const definition = task.definition as RunlensTaskDefinition;
    try {
      return taskOf(definition, await specOf(definition, workspace, this.log), workspace.folder);
    } catch (error) {
      this.log.error(`task ${task.name}: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(`Runlens: cannot run task "${task.name}": ${(error as Error).message}`);
      return undefined;
    }
  }

  private workspaceOf(task: vscode.Task): FolderWorkspace | undefined {
    const scope = task.scope;
    const folder = typeof scope === 'object' ? scope : undefined;
    return folder ? this.model.workspaces.find((ws) => ws.folder.uri.toString() === folder.uri.toString()) : this.model.workspaces[0];
  }
}
