// MLflow file store (`mlruns/`): experiments, runs, metrics, params, tags, the model registry and dataset
// inputs, as MLflow 1.x-2.x's FileStore writes them.
import type { Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourceProvider } from '../../core/source';
import { isFile, listBounded } from '../shared/files';
import { META } from './file-set';
import { MlflowFileStore } from './store';

/** How many subfolders `detect` looks into for a meta.yaml. */
const DETECT_LIMIT = 50;

const visibleFolders = (entries: Dirent[]): string[] => entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);

async function anyHasMeta(dir: string, names: string[]): Promise<boolean> {
  for (const name of names.slice(0, DETECT_LIMIT)) if (await isFile(join(dir, name, META))) return true;
  return false;
}

/**
 * A file store has `.trash/` (MLflow creates it with the store), an experiment folder with a meta.yaml, or
 * a registered model folder `models/<name>/meta.yaml`.
 */
async function detect(location: string): Promise<boolean> {
  const entries = await listBounded(location);
  if (entries.some((entry) => entry.isDirectory() && entry.name === '.trash')) return true;
  const folders = visibleFolders(entries);
  if (await anyHasMeta(location, folders.filter((name) => name !== 'models'))) return true;
  const models = join(location, 'models');
  return folders.includes('models') && anyHasMeta(models, visibleFolders(await listBounded(models)));
}

export const mlflowFileProvider: SourceProvider = {
  kind: 'mlflow-file',
  claims: (entry) => entry.isDirectory && entry.name === 'mlruns' && detect(entry.path),
  detect,
  open: (location) => new MlflowFileStore(resolve(location)),
};
