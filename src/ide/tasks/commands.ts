// Train…, Re-run with Changes…, Deploy Model Version…, Promote Model Version…: each asks for what it was not
// given, launches a `runlens` task (or creates a GTO tag), and refuses in a restricted workspace.
import * as vscode from 'vscode';
import type { ScopedRun } from '../../core/catalog';
import { initialValues } from '../../core/launch';
import type { ModelVersion } from '../../core/model';
import { shortCommit } from '../../core/format';
import { repoRoot } from '../../sources/gto';
import type { RunlensModel } from '../model';
import type { ExperimentNode } from '../views/experiments';
import type { RegistryNode } from '../views/registry';
import type { FolderWorkspace } from '../workspace';
import { deploySpecsOf, trackingStoreOf, trainingSpecsOf } from './folder-specs';
import { createTag, knownStages, planPromotion, suggestedVersion, tagNames, type Promotion } from './gto-promotion';
import { LaunchTracker } from './launches';
import { editLaunch } from './params-input';
import { rerunStart } from './rerun';
import type { LaunchOptions, LaunchSpec } from './spec';
import { definitionOf, launchProblems, RunlensTaskProvider, TASK_TYPE, taskOf, type RunlensTaskDefinition } from './task';

/** What `runlens.train` may be given instead of asking (keybindings, tests): a spec id and its values. */
export interface TrainRequest {
  /** absolute path of the workspace folder; the first one when absent */
  folder?: string;
  /** `<kind>:<project>:<name>`, e.g. `command::train` or `mlproject:.:main` */
  spec: string;
  params?: Record<string, string>;
  queue?: boolean;
  experiment?: string;
}

/** A model version named instead of a Models tree item (keybindings, tests). */
export interface VersionRequest {
  model: string;
  version: string;
}

/** What `runlens.promoteModelVersion` may be given instead of a Models tree item. */
export interface PromoteRequest extends VersionRequest {
  /** assign this stage */
  stage?: string;
  /** register the version under this semantic version */
  register?: string;
}

type VersionTarget = { workspace: FolderWorkspace; version: ModelVersion };
type ModelNode = RegistryNode<unknown, ModelVersion>;

const LAST_USED_KEY = 'runlens.lastParams';

export function registerLaunchCommands(context: vscode.ExtensionContext, model: RunlensModel, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const tracker = new LaunchTracker(model, context.workspaceState, log);
  const memory = context.workspaceState;
  const lastUsed = (workspace: FolderWorkspace, spec: LaunchSpec) => memory.get<Record<string, Record<string, string>>>(LAST_USED_KEY, {})[`${workspace.folder.uri}|${spec.id}`];

  const launch = async (workspace: FolderWorkspace, spec: LaunchSpec, values: Record<string, string>, options: LaunchOptions, modelRef?: RunlensTaskDefinition['model']) => {
    const remembered = memory.get<Record<string, Record<string, string>>>(LAST_USED_KEY, {});
    await memory.update(LAST_USED_KEY, { ...remembered, [`${workspace.folder.uri}|${spec.id}`]: values });
    return vscode.tasks.executeTask(taskOf(definitionOf(spec, values, options, modelRef), spec, workspace.folder));
  };

  /** Asks for values, or with `given` values launches them as they are (refusing invalid ones with the reasons). */
  const editAndLaunch = async (workspace: FolderWorkspace, spec: LaunchSpec, start: Record<string, string>, options: LaunchOptions, given: boolean, modelRef?: RunlensTaskDefinition['model']) => {
    if (given) {
      const problems = launchProblems(spec, start);
      if (problems.length === 0) return launch(workspace, spec, start, options, modelRef);
      void vscode.window.showErrorMessage(`Runlens: cannot run ${spec.label}: ${problems.join('; ')}`);
      return undefined;
    }
    const store = await trackingStoreOf(workspace, spec.cwd);
    const experiments = (workspace.catalog?.experiments ?? []).filter((e) => e.store === store?.location && !e.deleted).map((e) => e.name);
    const edited = await editLaunch(spec, start, options, { experiments });
    return edited && launch(workspace, spec, edited.values, edited.options, modelRef);
  };

  const train = async (request?: TrainRequest) => {
    const workspace = request?.folder ? model.workspaces.find((ws) => ws.folder.uri.fsPath === request.folder) : await pickWorkspace(model);
    if (!workspace) return undefined;
    const specs = await trainingSpecsOf(workspace, log);
    const spec = request ? specs.find((s) => s.id === request.spec) : await pickSpec(specs, 'Select what to train');
    if (!spec) {
      if (request) void vscode.window.showErrorMessage(`Runlens: nothing to train named ${request.spec} in ${workspace.folder.name}.`);
      else if (specs.length === 0) await explainNoTraining();
      return undefined;
    }
    const start = initialValues(spec.parameters, request?.params, lastUsed(workspace, spec));
    return editAndLaunch(workspace, spec, start, { queue: request?.queue, experiment: request?.experiment }, request?.params !== undefined);
  };

  const rerun = async (node?: ExperimentNode) => {
    const target = node?.type === 'run' ? { workspace: node.workspace, run: node.run } : await pickRun(model);
    if (!target) return undefined;
    const specs = await trainingSpecsOf(target.workspace, log);
    const found = rerunStart(target.run, specs, tracker.recordsOf(target.workspace), Date.now());
    const spec = found?.spec ?? (await pickSpec(specs, `Which launch made ${target.run.name}? Its params fill the parameters of the same name`));
    if (!spec) {
      if (specs.length === 0) await explainNoTraining();
      return undefined;
    }
    return editAndLaunch(target.workspace, spec, found?.values ?? initialValues(spec.parameters, target.run.params), {}, false);
  };

  const deploy = async (arg?: ModelNode | VersionRequest) => {
    const target = await resolveVersion(model, arg);
    if (!target) return undefined;
    const specs = await deploySpecsOf(target.workspace, target.version, log);
    if (specs.length === 0) {
      const choice = await vscode.window.showInformationMessage(
        `Runlens: no deploy target for ${target.version.model} ${target.version.version}. Add one to the runlens.deployTargets setting (an argument array with \${model.uri}, \${model.version}…); MLflow's serve and build-docker targets appear when mlflow is on PATH.`,
        'Open Settings',
      );
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'runlens.deployTargets');
      return undefined;
    }
    const spec = specs.length === 1 ? specs[0] : await pickSpec(specs, `Deploy ${target.version.model} ${target.version.version} with`);
    if (!spec) return undefined;
    const start = initialValues(spec.parameters, lastUsed(target.workspace, spec));
    return editAndLaunch(target.workspace, spec, start, {}, spec.parameters.length === 0, { name: target.version.model, version: target.version.version });
  };

  const promote = async (arg?: ModelNode | PromoteRequest) => {
    const request = arg && !('type' in arg) ? arg : undefined;
    const target = await resolveVersion(model, arg);
    if (!target) return undefined;
    const { version, workspace } = target;
    if (version.source !== 'gto') {
      await vscode.window.showInformationMessage(
        `Runlens cannot promote ${version.model} ${version.version} yet: MLflow registry stages and aliases are changed through an MLflow tracking server, which Runlens does not support yet, and Runlens never edits MLflow store files. Use the MLflow UI or MlflowClient (set_registered_model_alias, transition_model_version_stage).`,
        { modal: true },
      );
      return undefined;
    }
    const tags = await tagNames(version);
    const promotion = request?.stage ? { action: 'assign' as const, stage: request.stage } : request?.register ? { action: 'register' as const, version: request.register } : await askPromotion(version, tags);
    if (!promotion) return undefined;
    let plan;
    try {
      plan = planPromotion(version, promotion, tags);
    } catch (error) {
      void vscode.window.showErrorMessage(`Runlens: ${(error as Error).message}`);
      return undefined;
    }
    const CREATE = 'Create Tag';
    const confirmed = await vscode.window.showWarningMessage(
      `Create git tag ${plan.tag}?`,
      { modal: true, detail: `${plan.message}.\n\nAn annotated tag on commit ${shortCommit(plan.commit)} in ${repoRoot(version.store)}, as GTO creates it. Push it to share it: git push origin ${plan.tag}` },
      CREATE,
    );
    if (confirmed !== CREATE) return undefined;
    try {
      await createTag(version, plan);
    } catch (error) {
      void vscode.window.showErrorMessage(`Runlens: ${(error as Error).message}`);
      return undefined;
    }
    log.info(`created tag ${plan.tag} on ${plan.commit}: ${plan.message}`);
    await workspace.refresh({ rediscover: false, git: true, changed: new Set() });
    void vscode.window.showInformationMessage(`Runlens: created tag ${plan.tag}. Push it to share it: git push origin ${plan.tag}`);
    return plan.tag;
  };

  return [
    tracker,
    vscode.tasks.registerTaskProvider(TASK_TYPE, new RunlensTaskProvider(model, log)),
    vscode.commands.registerCommand('runlens.train', trusted(train)),
    vscode.commands.registerCommand('runlens.rerunWithChanges', trusted(rerun)),
    vscode.commands.registerCommand('runlens.deployModelVersion', trusted(deploy)),
    vscode.commands.registerCommand('runlens.promoteModelVersion', trusted(promote)),
  ];
}

/** The command, or a refusal in a restricted workspace: these run programs or write git tags. */
function trusted<A extends unknown[], R>(command: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
  return async (...args) => {
    if (vscode.workspace.isTrusted) return command(...args);
    const choice = await vscode.window.showWarningMessage(
      'Runlens: training, deploying and promoting run programs or create git tags, so they need a trusted workspace. This workspace is in restricted mode.',
      'Manage Workspace Trust',
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  };
}

/** The version a command acts on: the Models tree item, the version a request names, else one picked. */
async function resolveVersion(model: RunlensModel, arg: ModelNode | VersionRequest | undefined): Promise<VersionTarget | undefined> {
  if (!arg) return pickVersion(model);
  if ('type' in arg) return arg.type === 'leaf' ? { workspace: arg.workspace, version: arg.leaf } : pickVersion(model);
  for (const { workspace, catalog } of model.catalogs()) {
    const found = catalog.models.find((v) => v.model === arg.model && v.version === arg.version);
    if (found) return { workspace, version: found };
  }
  void vscode.window.showErrorMessage(`Runlens: no model version ${arg.model} ${arg.version}.`);
  return undefined;
}

async function pickWorkspace(model: RunlensModel): Promise<FolderWorkspace | undefined> {
  if (model.workspaces.length <= 1) return model.workspaces[0];
  const folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Select the folder to train in' });
  return folder && model.workspaces.find((ws) => ws.folder.uri.toString() === folder.uri.toString());
}

const KIND_TITLES: Record<LaunchSpec['kind'], string> = { command: 'Configured commands', mlproject: 'MLflow Projects', dvc: 'DVC experiments', deploy: 'Deploy targets' };

async function pickSpec(specs: readonly LaunchSpec[], placeHolder: string): Promise<LaunchSpec | undefined> {
  type Item = vscode.QuickPickItem & { spec?: LaunchSpec };
  const items: Item[] = [];
  for (const kind of Object.keys(KIND_TITLES) as LaunchSpec['kind'][]) {
    const ofKind = specs.filter((spec) => spec.kind === kind);
    if (ofKind.length) items.push({ label: KIND_TITLES[kind], kind: vscode.QuickPickItemKind.Separator });
    for (const spec of ofKind) items.push({ label: spec.label, description: spec.parameters.length ? `${spec.parameters.length} parameters` : undefined, detail: spec.detail, spec });
  }
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true }))?.spec;
}

async function explainNoTraining(): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    'Runlens found nothing to train: no MLproject file, no dvc.yaml stage, and no runlens.training setting. Add a command to runlens.training (an argument array with ${name} parameters).',
    'Open Settings',
  );
  if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'runlens.training');
}

async function pickRun(model: RunlensModel): Promise<{ workspace: FolderWorkspace; run: ScopedRun } | undefined> {
  const items = model.allRuns().map((target) => ({
    label: target.run.name || target.run.id,
    description: target.run.experiment,
    detail: `${Object.keys(target.run.params).length} params${target.run.git.commit ? ` · ${shortCommit(target.run.git.commit)}` : ''} · ${target.run.id}`,
    target,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No runs found in this workspace.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Select the run to re-run with changes', matchOnDescription: true, matchOnDetail: true }))?.target;
}

async function pickVersion(model: RunlensModel): Promise<VersionTarget | undefined> {
  const items = model.catalogs().flatMap(({ workspace, catalog }) =>
    catalog.models.map((version) => ({
      label: `${version.model} ${version.version}`,
      description: [...version.stages, ...version.aliases.map((a) => `@${a}`)].join(' · '),
      detail: version.source,
      target: { workspace, version },
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No registered model versions found in this workspace.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Select a model version', matchOnDescription: true }))?.target;
}

async function askPromotion(version: ModelVersion, tags: readonly string[]): Promise<Promotion | undefined> {
  const ASSIGN = 'Assign a stage…';
  const REGISTER = 'Register as a version…';
  const unregistered = version.status !== 'registered';
  const action = unregistered ? (await vscode.window.showQuickPick([ASSIGN, REGISTER], { placeHolder: `Promote ${version.model} ${version.version}` })) : ASSIGN;
  if (!action) return undefined;
  if (action === REGISTER) {
    const semver = await vscode.window.showInputBox({
      title: `Register ${version.model} at ${shortCommit(version.commit ?? '')}`,
      value: suggestedVersion(tags, version.model),
      validateInput: (value) => problem(() => planPromotion(version, { action: 'register', version: value }, tags)),
    });
    return semver === undefined ? undefined : { action: 'register', version: semver };
  }
  const NEW = '$(add) New stage…';
  const stages = (await knownStages(repoRoot(version.store), tags, version.model)).filter((stage) => !version.stages.includes(stage));
  const picked = await vscode.window.showQuickPick([...stages, NEW], { placeHolder: `Assign a stage to ${version.model} ${version.version}` });
  if (!picked) return undefined;
  const stage = picked === NEW
    ? await vscode.window.showInputBox({ title: 'New stage', prompt: 'lowercase letters, digits, - and /', validateInput: (value) => problem(() => planPromotion(version, { action: 'assign', stage: value }, tags)) })
    : picked;
  return stage === undefined ? undefined : { action: 'assign', stage };
}

function problem(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
