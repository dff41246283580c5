// What Runlens can launch, editor-free: a launch spec turns parameter values into one process with an
// argument array, a working folder and environment additions. Training specs come from MLproject entry
// points, DVC stages and the `runlens.training` setting; deploy specs from `runlens.deployTargets` and
// MLflow's own commands (see training.ts and deploy.ts).
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expandTemplate, type LaunchKind, type ParamSpec } from '../../core/launch';
import type { SourceKind } from '../../core/model';

export interface Invocation {
  process: string;
  args: string[];
  cwd: string;
  /** added to the editor's environment */
  env: Record<string, string>;
}

export interface LaunchOptions {
  /** DVC: `dvc exp run --queue` */
  queue?: boolean;
  /** MLflow: `MLFLOW_EXPERIMENT_NAME` */
  experiment?: string;
}

export interface LaunchSpec {
  /** unique within a folder: `<kind>:<project>:<name>` */
  id: string;
  kind: LaunchKind;
  /** entry point, stage (`*` for a whole pipeline), configured command or deploy target */
  name: string;
  /** folder of the MLproject or dvc.yaml, relative to the workspace folder */
  project?: string;
  label: string;
  /** one line for pickers: what runs, and any caveat */
  detail: string;
  cwd: string;
  parameters: ParamSpec[];
  /** which options the launch offers */
  offers: { queue?: boolean; experiment?: boolean };
  /** The process for these values; throws with the reason when it cannot be built. */
  invocation(values: Readonly<Record<string, string>>, options: LaunchOptions): Invocation;
}

export function specId(kind: LaunchKind, project: string | undefined, name: string): string {
  return `${kind}:${project ?? ''}:${name}`;
}

/** The MLflow store a launch writes to, as `MLFLOW_TRACKING_URI` names it. */
export interface TrackingStore {
  kind: SourceKind;
  location: string;
}

export function trackingUri(store: TrackingStore): string {
  return store.kind === 'mlflow-sqlite' ? `sqlite:///${store.location}` : pathToFileURL(store.location).href;
}

/** The environment additions every launch gets: the tracking store in use and the chosen experiment. */
export function trackingEnv(store: TrackingStore | undefined, options: LaunchOptions): Record<string, string> {
  const env: Record<string, string> = {};
  if (store) env.MLFLOW_TRACKING_URI = trackingUri(store);
  if (options.experiment) env.MLFLOW_EXPERIMENT_NAME = options.experiment;
  return env;
}

/** The absolute path of an executable named `name` on `PATH`, if there is one. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A command from the settings: an argument array (the first is the program) with `${name}` templates. */
export interface ConfiguredCommand {
  name: string;
  description?: string;
  args: readonly string[];
  cwd?: string;
  env: Readonly<Record<string, string>>;
  parameters: readonly ParamSpec[];
}

/**
 * The spec of a configured command: `${name}` is replaced inside each argument, the cwd and env values by a
 * parameter's value or one of `provided` (the folder as `workspaceFolder`, a model version's values…);
 * parameter defaults may use `provided` values too.
 */
export function configuredSpec(
  kind: LaunchKind,
  command: ConfiguredCommand,
  provided: Readonly<Record<string, string | undefined>>,
  context: { folder: string; store?: TrackingStore },
  offers: LaunchSpec['offers'],
): LaunchSpec {
  const fill = (values: Readonly<Record<string, string>>) => (text: string) => expandTemplate(text, { ...provided, workspaceFolder: context.folder, ...values });
  return {
    id: specId(kind, undefined, command.name),
    kind,
    name: command.name,
    label: command.name,
    detail: command.description ?? command.args.join(' '),
    cwd: baseCwd(context.folder, command.cwd, fill({})),
    parameters: command.parameters.map((param) => ({ ...param, default: filledDefault(param.default, fill({})) })),
    offers,
    invocation(values, options) {
      const expand = fill(values);
      const [process, ...args] = command.args.map(expand);
      if (!process) throw new Error('the command is empty');
      const env = Object.fromEntries(Object.entries(command.env).map(([key, value]) => [key, expand(value)]));
      return { process, args, cwd: resolve(context.folder, expand(command.cwd ?? '.')), env: { ...trackingEnv(context.store, options), ...env } };
    },
  };
}

/** A default that uses a value this version lacks has no default: the value is then asked for. */
function filledDefault(value: string | undefined, fill: (text: string) => string): string | undefined {
  try {
    return value === undefined ? undefined : fill(value);
  } catch {
    return undefined;
  }
}

/**
 * The working folder a spec is known by before values are chosen (where `path` values are checked): its
 * `cwd` template resolved against the folder, or the folder itself when that template uses a parameter.
 */
function baseCwd(folder: string, template: string | undefined, fill: (text: string) => string): string {
  try {
    return resolve(folder, template ? fill(template) : '.');
  } catch {
    return folder;
  }
}
