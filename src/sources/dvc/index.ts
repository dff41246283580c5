// DVC projects: pipelines (`dvc.yaml`, `dvc.lock`), params, metrics, plots, DVCLive output, experiments
// (`refs/exps`) and tracked data, read from the working tree and git objects; no DVC install needed.
import { join } from 'node:path';
import type { SourceProvider } from '../../core/source';
import { isFile } from '../shared/files';
import { DvcStore, PIPELINE_FILE, projectRoot } from './store';

/** `dvc init` always writes `.dvc/config` (empty at first); a bare `dvc.yaml` is a project too. */
async function detect(location: string): Promise<boolean> {
  const root = projectRoot(location);
  return (await isFile(join(root, '.dvc', 'config'))) || isFile(join(root, PIPELINE_FILE));
}

/**
 * The store is claimed at the project's `.dvc` folder: the walker lists a folder's entries, not the folder,
 * and `.dvc/` marks one project however many `dvc.yaml` files it has.
 */
export const dvcProvider: SourceProvider = {
  kind: 'dvc',
  claims: (entry) => entry.isDirectory && entry.name === '.dvc' && isFile(join(entry.path, 'config')),
  detect,
  open: (location) => new DvcStore(location),
};
