// What DVC recorded about tracked data: `dvc.lock` (each stage's deps and outs with their hashes) and
// `*.dvc` files (`dvc add` / `dvc import` outs). Pure.
import { posix } from 'node:path';
import { finiteNumber, isMapping, parseYaml } from '../shared/values';
import { cleanPath } from './pipeline';

/** One tracked file or folder as DVC hashed it. */
export interface TrackedOut {
  /** relative to the project root */
  path: string;
  /** `md5` (a folder's ends in `.dir`), or the cloud version's `etag` / `version_id` */
  digest?: string;
  size?: number;
  nfiles?: number;
  /** where an import came from: a URL, or `<repo url>#<path>` for `dvc import` */
  sourceUri?: string;
}

export interface LockedStage {
  name: string;
  outs: TrackedOut[];
}

/** Reads `dvc.lock`: schema 2.0 (`stages:`) and DVC 1's flat form. Throws when it is not a YAML mapping. */
export function parseLock(text: string): LockedStage[] {
  const doc = parseYaml(text) ?? {};
  if (!isMapping(doc)) throw new Error('dvc.lock is not a mapping');
  const stages = 'schema' in doc || isMapping(doc.stages) ? doc.stages : doc;
  if (!isMapping(stages)) return [];
  return Object.entries(stages).flatMap(([name, body]) => (isMapping(body) ? [{ name, outs: outsOf(body.outs, '') }] : []));
}

/** Reads a `.dvc` file at `file` (relative to the root); its outs are relative to the file's folder. */
export function parseDvcFile(file: string, text: string): TrackedOut[] {
  const doc = parseYaml(text);
  if (!isMapping(doc)) throw new Error('not a mapping');
  const source = importSource(doc.deps);
  const outs = outsOf(doc.outs, posix.dirname(file));
  return source ? outs.map((out) => ({ ...out, sourceUri: source })) : outs;
}

function outsOf(entries: unknown, folder: string): TrackedOut[] {
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry) => {
    if (!isMapping(entry) || typeof entry.path !== 'string') return [];
    const digest = [entry.md5, entry.etag, entry.version_id, entry.checksum].find((d) => typeof d === 'string') as string | undefined;
    return [{
      path: cleanPath(folder === '.' || folder === '' ? entry.path : posix.join(folder, entry.path)),
      digest,
      size: finiteNumber(entry.size),
      nfiles: finiteNumber(entry.nfiles),
    }];
  });
}

function importSource(deps: unknown): string | undefined {
  const dep = Array.isArray(deps) ? deps[0] : undefined;
  if (!isMapping(dep) || typeof dep.path !== 'string') return undefined;
  const repo = isMapping(dep.repo) && typeof dep.repo.url === 'string' ? dep.repo.url : undefined;
  return repo ? `${repo}#${dep.path}` : dep.path;
}
