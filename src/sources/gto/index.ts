// GTO, the git-tag model registry: versions, stages and deprecations from annotated tags, artifact
// descriptions from the `artifacts:` section of dvc.yaml (or GTO's legacy artifacts.yaml) at HEAD.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SourceProvider } from '../../core/source';
import { isFile, listBounded } from '../shared/files';
import { GtoStore } from './store';
import { parseTagName } from './tags';

/** The repository root of a store location: the folder holding `.git`, given as itself or as `.git`. */
export function repoRoot(location: string): string {
  return basename(location) === '.git' ? dirname(location) : location;
}

/**
 * Whether a repository uses GTO: a GTO config or artifacts file, dvc.yaml with an `artifacts:` section,
 * or a tag GTO reads among the first loose or packed tags. Reads at most dvc.yaml and packed-refs.
 */
export async function usesGto(root: string): Promise<boolean> {
  if ((await isFile(join(root, 'artifacts.yaml'))) || (await isFile(join(root, '.gto')))) return true;
  const pipeline = await readFile(join(root, 'dvc.yaml'), 'utf8').catch(() => '');
  if (/^artifacts\s*:/m.test(pipeline)) return true;
  const gitDir = join(root, '.git');
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  if (packed.split('\n').some((line) => isGtoTag(line.split(' refs/tags/')[1]))) return true;
  for (const entry of await listBounded(join(gitDir, 'refs', 'tags'))) {
    if (isGtoTag(entry.name)) return true;
    // an artifact name with a slash (`models/churn@v1.0.0`) is a folder of loose tags
    if (entry.isDirectory() && (await listBounded(join(gitDir, 'refs', 'tags', entry.name), 100)).some((e) => isGtoTag(`${entry.name}/${e.name}`))) return true;
  }
  return false;
}

function isGtoTag(name: string | undefined): boolean {
  return name !== undefined && parseTagName(name.trim()) !== undefined;
}

/** The store is claimed at the repository's `.git` entry: the walker lists a folder's entries, not the folder. */
export const gtoProvider: SourceProvider = {
  kind: 'gto',
  claims: (entry) => entry.name === '.git' && usesGto(dirname(entry.path)),
  detect: (location) => usesGto(repoRoot(location)),
  open: (location) => new GtoStore(location, repoRoot(location)),
};
