// The parameter editor: one quick pick that lists every parameter with its current value, plus the launch's
// options; picking a parameter edits just that one (a pick of its choices, or an input box that refuses
// invalid values with the reason), then the list comes back. "Run" launches once every value is valid.
import * as vscode from 'vscode';
import { invalidValue, type ParamSpec } from '../../core/launch';
import type { LaunchOptions, LaunchSpec } from './spec';
import { launchProblems, pathExists } from './task';

type Item = vscode.QuickPickItem & { action: 'run' | 'param' | 'queue' | 'experiment'; param?: ParamSpec };

export interface EditorContext {
  /** MLflow experiments of the store the launch writes to, offered for MLFLOW_EXPERIMENT_NAME */
  experiments: readonly string[];
}

/** The values and options to launch with, or undefined when the user cancelled. */
export async function editLaunch(
  spec: LaunchSpec,
  start: Readonly<Record<string, string>>,
  startOptions: LaunchOptions,
  context: EditorContext,
): Promise<{ values: Record<string, string>; options: LaunchOptions } | undefined> {
  const values = { ...start };
  const options = { ...startOptions };
  let active: Item['action'] | string = 'run';
  for (;;) {
    const problems = launchProblems(spec, values);
    const items = editorItems(spec, values, options, problems);
    const picked = await pick(items, spec, active);
    if (!picked) return undefined;
    active = picked.param?.name ?? picked.action;
    if (picked.action === 'run') {
      if (problems.length === 0) return { values, options };
      void vscode.window.showWarningMessage(`Cannot run ${spec.label}: ${problems.join('; ')}`);
    } else if (picked.action === 'queue') {
      options.queue = !options.queue;
    } else if (picked.action === 'experiment') {
      const experiment = await pickExperiment(options.experiment, context.experiments);
      if (experiment !== undefined) options.experiment = experiment || undefined;
    } else if (picked.param) {
      const value = await editValue(picked.param, values[picked.param.name], spec);
      if (value !== undefined) values[picked.param.name] = value;
    }
  }
}

function editorItems(spec: LaunchSpec, values: Record<string, string>, options: LaunchOptions, problems: string[]): Item[] {
  const run: Item = {
    action: 'run',
    label: `$(play) Run ${spec.label}`,
    detail: problems.length ? `$(error) ${problems.length === 1 ? problems[0] : `${problems.length} parameters need a valid value`}` : spec.detail,
    alwaysShow: true,
  };
  const params = spec.parameters.map((param): Item => {
    const value = values[param.name];
    const problem = value === undefined ? 'needs a value' : invalidValue(param, value, pathExists(spec));
    const facts = [param.type, param.default === undefined ? 'required' : value === param.default ? 'default' : `default ${param.default}`, param.description];
    return {
      action: 'param',
      param,
      label: param.name,
      description: value === undefined ? '(no value)' : `= ${JSON.stringify(value).slice(1, -1)}`,
      detail: problem ? `$(error) ${problem}` : facts.filter(Boolean).join(' · '),
    };
  });
  const extra: Item[] = [];
  if (spec.offers.queue) extra.push({ action: 'queue', label: '$(list-ordered) Queue', description: options.queue ? 'on: dvc exp run --queue' : 'off: run now', detail: 'Add to DVC\'s experiment queue instead of running now' });
  if (spec.offers.experiment) extra.push({ action: 'experiment', label: '$(beaker) MLflow experiment', description: options.experiment ?? '(the tracker\'s default)', detail: 'Sets MLFLOW_EXPERIMENT_NAME' });
  return [run, ...(params.length ? [separator('Parameters')] : []), ...params, ...(extra.length ? [separator('Options')] : []), ...extra];
}

function separator(label: string): Item {
  return { action: 'run', label, kind: vscode.QuickPickItemKind.Separator };
}

function pick(items: Item[], spec: LaunchSpec, active: string): Promise<Item | undefined> {
  return new Promise((done) => {
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = `Runlens: ${spec.label}`;
    quickPick.placeholder = 'Pick a parameter to change it, or Run';
    quickPick.matchOnDescription = true;
    quickPick.items = items;
    quickPick.activeItems = items.filter((item) => (item.param?.name ?? item.action) === active && item.kind !== vscode.QuickPickItemKind.Separator).slice(0, 1);
    quickPick.ignoreFocusOut = true;
    let result: Item | undefined;
    quickPick.onDidAccept(() => {
      result = quickPick.selectedItems[0];
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      done(result);
    });
    quickPick.show();
  });
}

async function editValue(param: ParamSpec, current: string | undefined, spec: LaunchSpec): Promise<string | undefined> {
  const choices = param.choices ?? (param.type === 'bool' ? ['true', 'false'] : undefined);
  const title = `${param.name} (${param.type})`;
  if (choices) {
    const items = choices.map((choice) => ({ label: choice, description: [choice === current ? 'current' : '', choice === param.default ? 'default' : ''].filter(Boolean).join(', ') }));
    return (await vscode.window.showQuickPick(items, { title, placeHolder: param.description, ignoreFocusOut: true }))?.label;
  }
  return vscode.window.showInputBox({
    title,
    value: current ?? '',
    prompt: [param.description, param.default === undefined ? 'required' : `default: ${param.default}`].filter(Boolean).join(' · '),
    ignoreFocusOut: true,
    validateInput: (value) => invalidValue(param, value, pathExists(spec)),
  });
}

async function pickExperiment(current: string | undefined, experiments: readonly string[]): Promise<string | undefined> {
  const NEW = '$(add) New experiment…';
  const DEFAULT = '$(circle-slash) The tracker\'s default';
  const picked = await vscode.window.showQuickPick([DEFAULT, ...experiments, NEW].map((label) => ({ label, description: label === current ? 'current' : undefined })), {
    title: 'MLflow experiment (MLFLOW_EXPERIMENT_NAME)',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.label === DEFAULT) return '';
  if (picked.label !== NEW) return picked.label;
  return vscode.window.showInputBox({ title: 'New MLflow experiment name', value: current, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'a name is needed') });
}
