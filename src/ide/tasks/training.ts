// Training specs of one workspace folder: MLproject entry points, DVC pipelines (`dvc exp run -S`) and the
// commands of the `runlens.training` setting. Editor-free.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { renderMLprojectCommand } from '../../core/launch';
import type { Diagnostic } from '../../core/model';
import { parseDataFile } from '../../sources/dvc/data';
import { DEFAULT_PARAMS, parsePipeline } from '../../sources/dvc/pipeline';
import { findMLprojects, type FoundProject } from '../../sources/mlproject/find';
import { flattenParams, isMapping, parseYaml } from '../../sources/shared/values';
import type { TrainingCommand } from './settings';
import { configuredSpec, findExecutable, specId, trackingEnv, type LaunchSpec, type TrackingStore } from './spec';

export interface TrainingContext {
  folder: string;
  commands: readonly TrainingCommand[];
  /** project roots of the folder's DVC stores */
  dvcRoots: readonly string[];
  maxDepth: number;
  store?: TrackingStore;
  /** where executables are looked up; the editor's PATH by default */
  path?: string;
}

export async function trainingSpecs(context: TrainingContext): Promise<{ specs: LaunchSpec[]; diagnostics: Diagnostic[] }> {
  const { projects, diagnostics } = await findMLprojects(context.folder, context.maxDepth);
  const mlflow = findExecutable('mlflow', context.path);
  const dvc = await Promise.all(context.dvcRoots.map((root) => dvcSpecs(root, context, diagnostics)));
  return {
    specs: [
      ...context.commands.map((command) => commandSpec(command, context)),
      ...projects.flatMap((project) => mlprojectSpecs(project, context, mlflow)),
      ...dvc.flat(),
    ],
    diagnostics,
  };
}

/** A `runlens.training` entry: its arguments with `${name}` replaced inside each one. */
export function commandSpec(command: TrainingCommand, context: Pick<TrainingContext, 'folder' | 'store'>): LaunchSpec {
  return configuredSpec('command', { ...command, args: command.command }, {}, context, { experiment: true });
}

/**
 * An entry point runs through `mlflow run` when MLflow is installed (it sets up the project's environment
 * and tags the run with the entry point and commit); otherwise its command runs directly, rendered to an
 * argument array, in the editor's environment: a declared conda/python/docker environment is not set up.
 */
export function mlprojectSpecs(found: FoundProject, context: Pick<TrainingContext, 'store'>, mlflow: string | undefined): LaunchSpec[] {
  const { project, dir, relativeDir } = found;
  const where = relativeDir === '.' ? project.name ?? 'MLproject' : relativeDir;
  const caveat = mlflow
    ? 'via mlflow run'
    : project.environment
      ? `mlflow is not on PATH: runs the command directly, without the project's ${project.environment.kind}`
      : 'mlflow is not on PATH: runs the command directly';
  return project.entryPoints.map((entry) => ({
    id: specId('mlproject', relativeDir, entry.name),
    kind: 'mlproject',
    name: entry.name,
    project: relativeDir,
    label: `${entry.name} (${where})`,
    detail: `${entry.command} — ${caveat}`,
    cwd: dir,
    parameters: entry.parameters,
    offers: { experiment: true },
    invocation(values, options) {
      const env = trackingEnv(context.store, options);
      if (mlflow) {
        const params = entry.parameters.flatMap((p) => (values[p.name] === undefined ? [] : ['-P', `${p.name}=${values[p.name]}`]));
        return { process: mlflow, args: ['run', '.', '-e', entry.name, ...params], cwd: dir, env };
      }
      const [process, ...args] = renderMLprojectCommand(entry.command, values);
      if (!process) throw new Error(`entry point ${entry.name} has an empty command`);
      return { process, args, cwd: dir, env };
    },
  }));
}

/** One spec per stage, and `*` for the whole pipeline; parameters are the stages' params with today's values. */
async function dvcSpecs(root: string, context: TrainingContext, diagnostics: Diagnostic[]): Promise<LaunchSpec[]> {
  const file = join(root, 'dvc.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const stages = parsePipeline(text).stages.map((stage) => stage.name);
    const declared = stageParams(parseYaml(text));
    const values = await paramValues(root, [...new Set([...declared.values()].flat().map(fileOf))], diagnostics);
    const dvc = findExecutable('dvc', context.path);
    const project = relative(context.folder, root) || '.';
    const spec = (name: string, keys: readonly string[]) => dvcSpec(root, project, name, selectParams(values, keys), dvc, context.store);
    const all = [...new Set([...declared.values()].flat())];
    return [...(stages.length > 1 ? [spec('*', all)] : []), ...stages.map((stage) => spec(stage, declared.get(stage) ?? []))];
  } catch (error) {
    diagnostics.push({ file, message: (error as Error).message, severity: 'error' });
    return [];
  }
}

function dvcSpec(root: string, project: string, stage: string, params: Map<string, string>, dvc: string | undefined, store: TrackingStore | undefined): LaunchSpec {
  return {
    id: specId('dvc', project, stage),
    kind: 'dvc',
    name: stage,
    project,
    label: stage === '*' ? `dvc exp run (all stages${project === '.' ? '' : `, ${project}`})` : `dvc exp run ${stage}${project === '.' ? '' : ` (${project})`}`,
    detail: dvc ? `${params.size} params` : 'dvc is not on PATH: install DVC to run experiments',
    cwd: root,
    parameters: [...params].map(([name, value]) => ({ name, type: typeOf(value), default: value })),
    offers: { queue: true, experiment: true },
    invocation(values, options) {
      if (!dvc) throw new Error('dvc is not on PATH');
      // Only changed values are set: the others stay as the params files have them.
      const overrides = [...params].flatMap(([name, current]) => (values[name] === undefined || values[name] === current ? [] : ['-S', `${name}=${values[name]}`]));
      return { process: dvc, args: ['exp', 'run', ...(options.queue ? ['--queue'] : []), ...overrides, ...(stage === '*' ? [] : [stage])], cwd: root, env: trackingEnv(store, options) };
    },
  };
}

/**
 * Each stage's `params:` as DVC run keys: `key` of params.yaml, or `file:key` of another file; a file listed
 * without keys (`- file.yaml:`) stands for all of it, written `file:`.
 */
export function stageParams(doc: unknown): Map<string, string[]> {
  const result = new Map<string, string[]>();
  if (!isMapping(doc) || !isMapping(doc.stages)) return result;
  for (const [name, body] of Object.entries(doc.stages)) {
    if (!isMapping(body) || !Array.isArray(body.params)) continue;
    result.set(name, body.params.flatMap((entry): string[] => {
      if (typeof entry === 'string') return [entry];
      if (!isMapping(entry)) return [];
      return Object.entries(entry).flatMap(([file, keys]) => {
        const prefix = file === DEFAULT_PARAMS ? '' : `${file}:`;
        return Array.isArray(keys) && keys.length > 0 ? keys.filter((k): k is string => typeof k === 'string').map((k) => prefix + k) : [prefix];
      });
    }));
  }
  return result;
}

const fileOf = (key: string) => (key.includes(':') ? key.slice(0, key.indexOf(':')) : DEFAULT_PARAMS);

/** The flattened params of each file, as DVC run keys. */
async function paramValues(root: string, files: readonly string[], diagnostics: Diagnostic[]): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const file of files) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    try {
      const prefix = file === DEFAULT_PARAMS ? '' : `${file}:`;
      for (const [key, value] of Object.entries(flattenParams(parseDataFile(file, await readFile(path, 'utf8'))))) values.set(prefix + key, value);
    } catch (error) {
      diagnostics.push({ file: path, message: (error as Error).message, severity: 'error' });
    }
  }
  return values;
}

/** The values under each declared key: the key itself, or every key below a section (`train` → `train.lr`). */
function selectParams(values: ReadonlyMap<string, string>, keys: readonly string[]): Map<string, string> {
  return new Map([...values].filter(([name]) => keys.some((key) => name === key || name.startsWith(key.endsWith(':') ? key : `${key}.`))));
}

function typeOf(value: string): 'int' | 'float' | 'bool' | 'string' {
  if (/^-?\d+$/.test(value)) return 'int';
  if (/^-?(?:\d+\.\d*|\.\d+|\d+)(?:e[+-]?\d+)?$/i.test(value)) return 'float';
  if (value === 'true' || value === 'false') return 'bool';
  return 'string';
}
