// DVC-tracked data as datasets: the outs of `dvc.lock` stages and of `*.dvc` files, with the stages that
// depend on them and whether their hash differs from the merge-base's.
import type { Dataset } from '../../core/model';
import { parseDvcFile, parseLock, type TrackedOut } from './lock';
import type { Stage } from './pipeline';
import type { Problem } from './run-data';
import type { Revision } from './revision';

export interface TrackedData {
  /** by path; `sourceType` is the file that records it (`dvc.lock` or the `.dvc` file) */
  outs: Map<string, TrackedOut & { sourceType: string }>;
  problems: Problem[];
}

export const LOCK_FILE = 'dvc.lock';

/** The outs recorded in `dvc.lock` and in `dvcFiles` (paths of `*.dvc` files) at one revision. */
export async function readTrackedData(revision: Revision, dvcFiles: readonly string[]): Promise<TrackedData> {
  const data: TrackedData = { outs: new Map(), problems: [] };
  const record = async (file: string, parse: (text: string) => TrackedOut[]) => {
    try {
      const text = await revision.read(file);
      if (text === undefined) return;
      for (const out of parse(text)) data.outs.set(out.path, { ...out, sourceType: file });
    } catch (error) {
      data.problems.push({ path: file, message: (error as Error).message });
    }
  };
  await record(LOCK_FILE, (text) => parseLock(text).flatMap((stage) => stage.outs));
  for (const file of dvcFiles) await record(file, (text) => parseDvcFile(file, text));
  return data;
}

/** Digests by path: what `changedOnBranch` compares against. */
export function digests(data: TrackedData): Map<string, string | undefined> {
  return new Map([...data.outs].map(([path, out]) => [path, out.digest]));
}

/**
 * One dataset per tracked out. `base` holds the merge-base's digests; without it (no base branch, no
 * common history) `changedOnBranch` is left unset. An out the merge-base does not have is changed.
 */
export function toDatasets(data: TrackedData, stages: readonly Stage[], base: Map<string, string | undefined> | undefined, store: string): Dataset[] {
  return [...data.outs.values()].map((out) => ({
    name: out.path,
    digest: out.digest ?? '',
    sourceUri: out.sourceUri,
    sourceType: out.sourceType,
    runs: [],
    path: out.path,
    size: out.size,
    nfiles: out.nfiles,
    usedBy: stages.filter((stage) => stage.deps.some((dep) => overlaps(dep, out.path))).map((stage) => stage.name),
    changedOnBranch: base ? !base.has(out.path) || base.get(out.path) !== out.digest : undefined,
    source: 'dvc',
    store,
  }));
}

/** A dependency on the out itself, on a file inside it, or on a folder that holds it. */
function overlaps(dep: string, path: string): boolean {
  return dep === path || dep.startsWith(path + '/') || path.startsWith(dep + '/');
}
