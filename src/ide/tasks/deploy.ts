// Deploy specs for one model version: the `runlens.deployTargets` commands, and MLflow's `models serve` and
// `models build-docker` when `mlflow` is on PATH and the version is in an MLflow registry. Editor-free.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelVersion, Run } from '../../core/model';
import { repoRoot } from '../../sources/gto';
import type { DeployTarget } from './settings';
import { configuredSpec, findExecutable, type LaunchSpec, type TrackingStore } from './spec';

export const SERVE_TARGET = 'MLflow: serve locally';
export const DOCKER_TARGET = 'MLflow: build Docker image';

/** The values a deploy template may use, from the version (undefined where the version does not tell). */
export function modelValues(version: ModelVersion, run: Pick<Run, 'git'> | undefined): Record<string, string | undefined> {
  const mlflow = version.source === 'mlflow-file' || version.source === 'mlflow-sqlite';
  const localPath = mlflow ? fileUriPath(version.sourceUri) : version.sourceUri && join(repoRoot(version.store), version.sourceUri);
  return {
    'model.name': version.model,
    'model.version': version.version,
    'model.uri': mlflow ? `models:/${version.model}/${version.version}` : localPath,
    'model.path': localPath,
    'run.id': version.run,
    'git.commit': version.commit ?? run?.git.commit,
  };
}

function fileUriPath(uri: string | undefined): string | undefined {
  if (uri?.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  return uri && uri.startsWith('/') ? uri : undefined;
}

export interface DeployContext {
  folder: string;
  targets: readonly DeployTarget[];
  store?: TrackingStore;
  path?: string;
}

export function deploySpecs(version: ModelVersion, run: Pick<Run, 'git'> | undefined, context: DeployContext): LaunchSpec[] {
  const model = modelValues(version, run);
  const mlflow = findExecutable('mlflow', context.path);
  const builtIn: DeployTarget[] = mlflow && (version.source === 'mlflow-file' || version.source === 'mlflow-sqlite')
    ? [
        { name: SERVE_TARGET, args: [mlflow, 'models', 'serve', '-m', '${model.uri}', '-p', '${port}'], parameters: [{ name: 'port', type: 'int', default: '5000' }], env: {} },
        { name: DOCKER_TARGET, args: [mlflow, 'models', 'build-docker', '-m', '${model.uri}', '-n', '${image}'], parameters: [{ name: 'image', type: 'string', default: '${model.name}:${model.version}' }], env: {} },
      ]
    : [];
  return [...context.targets, ...builtIn].map((target) => configuredSpec('deploy', target, model, context, {}));
}
