// MLflow Projects' `MLproject` file (mlflow/projects/_project_spec.py `load_project`): a name, at most one
// environment (`python_env`, `conda_env` or `docker_env`), and entry points, each a command template with
// parameters. A parameter is `name: type` or `name: {type, default, description}`; MLflow checks only
// `path` (must exist, or be a URI it downloads) and `uri` (must have a scheme), and a parameter without a
// default must be given. Pure.
import type { ParamSpec, ParamType } from '../../core/launch';
import { isMapping, parseYaml } from '../shared/values';

export type ProjectEnvironment = 'python_env' | 'conda_env' | 'docker_env';

export interface EntryPoint {
  name: string;
  /** the command template: shell words with Python `{name}` fields */
  command: string;
  parameters: MLprojectParam[];
}

export interface MLprojectParam extends ParamSpec {
  /** the type as the MLproject file spells it (`str`, `float`, `path`…) */
  declaredType: string;
}

export interface MLproject {
  name?: string;
  /** the environment MLflow would set up, and the file that describes it (a docker image for docker_env) */
  environment?: { kind: ProjectEnvironment; spec: string };
  entryPoints: EntryPoint[];
  /** entry points or parameters that were left out, and why */
  problems: string[];
}

const ENVIRONMENTS: readonly ProjectEnvironment[] = ['python_env', 'conda_env', 'docker_env'];

/**
 * MLflow's types, plus the ones projects write that MLflow passes through unchecked: numbers and booleans are
 * checked here too, since the script will parse them; anything unknown is a string, as MLflow treats it.
 */
const TYPES: Readonly<Record<string, ParamType>> = {
  string: 'string', str: 'string', text: 'string',
  float: 'float', double: 'float', number: 'float',
  int: 'int', integer: 'int', long: 'int',
  bool: 'bool', boolean: 'bool',
  path: 'path', uri: 'uri',
};

/** Reads an MLproject file; throws when it is not YAML, not a mapping, or declares two environments (as MLflow does). */
export function parseMLproject(text: string): MLproject {
  const doc = parseYaml(text) ?? {};
  if (!isMapping(doc)) throw new Error('MLproject is not a mapping');
  const envs = ENVIRONMENTS.filter((kind) => doc[kind] !== undefined);
  if (envs.length > 1) throw new Error(`MLproject declares more than one environment: ${envs.join(', ')}`);
  const project: MLproject = { entryPoints: [], problems: [] };
  if (typeof doc.name === 'string') project.name = doc.name;
  const env = envs[0];
  if (env) project.environment = { kind: env, spec: environmentSpec(doc[env]) };
  const entries = doc.entry_points ?? {};
  if (!isMapping(entries)) throw new Error('entry_points is not a mapping');
  for (const [name, body] of Object.entries(entries)) {
    if (!isMapping(body) || typeof body.command !== 'string') {
      project.problems.push(`entry point ${name}: no command`);
      continue;
    }
    const params = body.parameters ?? {};
    if (!isMapping(params)) {
      project.problems.push(`entry point ${name}: parameters is not a mapping`);
      continue;
    }
    project.entryPoints.push({ name, command: body.command, parameters: Object.entries(params).map(([key, value]) => parameter(key, value)) });
  }
  return project;
}

function environmentSpec(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isMapping(value) && typeof value.image === 'string') return value.image;
  return '';
}

function parameter(name: string, value: unknown): MLprojectParam {
  const declaredType = typeof value === 'string' ? value : isMapping(value) && typeof value.type === 'string' ? value.type : 'string';
  const param: MLprojectParam = { name, declaredType, type: TYPES[declaredType.toLowerCase()] ?? 'string' };
  if (isMapping(value)) {
    // MLflow reads YAML `null` (and a missing default) as "required"; YAML turns `default: 0.1` into a number.
    if (value.default !== undefined && value.default !== null) param.default = scalarText(value.default);
    if (typeof value.description === 'string') param.description = value.description;
  }
  return param;
}

/** A YAML scalar as Python's `str()` writes it, which is what MLflow substitutes: `True`, not `true`. */
function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}
