// The cache of one folder's files: an entry per file, re-read only when its (size, mtime) changed.
import { join, relative, sep } from 'node:path';
import { sameStamp, type FileReader, type IoResult, type Problem, type Stamp } from './files';
import type { Parsed } from './meta';

/** A cached small file. Without `stamp` it could not be read and is retried on every scan. */
export interface Cached<T> {
  stamp?: Stamp;
  value?: T;
  problem?: Problem;
}

/** Re-reads `path` into an entry; `missing` is recorded when it does not exist, else the entry is dropped. */
export type Refresh<E> = (io: FileReader, path: string, key: string, previous: E | undefined, missing?: Problem) => E | undefined;

export function failedRead<E>(failure: Extract<IoResult<unknown>, { ok: false }>, missing: Problem | undefined, entry: (problem: Problem) => E): E | undefined {
  if (failure.missing) return missing ? entry(missing) : undefined;
  return entry({ message: failure.message, severity: 'error' });
}

/** Brings one small file's entry up to date, parsing it with `parse` when it changed. */
export function refreshFile<T>(io: FileReader, path: string, previous: Cached<T> | undefined, parse: (text: string) => Parsed<T>, missing?: Problem): Cached<T> | undefined {
  if (previous?.stamp) {
    const stats = io.stat(path);
    if (!stats.ok) return failedRead(stats, missing, (problem) => ({ problem }));
    if (sameStamp(previous.stamp, stats.value)) return previous;
  }
  const read = io.readText(path);
  if (!read.ok) return failedRead(read, missing, (problem) => ({ problem }));
  return { stamp: read.value.stamp, ...parse(read.value.text) };
}

/** `Refresh` for a small file parsed with `parse`. */
export const fileRefresh =
  <T>(parse: (text: string) => Parsed<T>): Refresh<Cached<T>> =>
  (io, path, _key, previous, missing) =>
    refreshFile(io, path, previous, parse, missing);

/** Param and tag files: the content is the value. */
export const textRefresh = fileRefresh((text) => ({ value: text }));

/**
 * After a change reported on a child folder held as a node in `nodes`: forgets the node when the folder is
 * gone, else creates it if new and brings it up to date with `sync`.
 */
export function revisitFolder<N, R>(io: FileReader, nodes: Map<string, N>, key: string, dir: string, create: () => N, sync: (node: N) => R): R | undefined {
  const stats = io.stat(dir);
  if (!stats.ok || !stats.value.isDirectory()) {
    nodes.delete(key);
    return undefined;
  }
  const node = nodes.get(key) ?? create();
  nodes.set(key, node);
  return sync(node);
}

/** The file that describes an experiment, run, registered model, version, dataset or input. */
export const META = 'meta.yaml';

const VANISHED: Problem = { message: 'listed, but disappeared before it could be read', severity: 'warning' };
const NO_META: Problem = { message: 'folder without meta.yaml, skipped', severity: 'warning' };

/**
 * How a folder holds its entries:
 * - `tree`: every file below it, keyed by its relative path with `/` (MLflow keys may contain `/`);
 * - `folders`: every subfolder's `meta.yaml`, keyed by the subfolder's name.
 */
export type Layout = 'tree' | 'folders';

/** The entries of one folder, kept in sync with the disk. */
export class FileSet<E extends { problem?: Problem }> {
  readonly entries = new Map<string, E>();
  /** folders that could not be listed, by path */
  private readonly folderProblems = new Map<string, Problem>();
  private changes = 0;

  constructor(
    readonly dir: string,
    private readonly layout: Layout,
    private readonly refresh: Refresh<E>,
    /** which subfolders hold entries, for the `folders` layout */
    private readonly accepts: (name: string) => boolean = () => true,
  ) {}

  /** Changes with every entry added, replaced or removed: what is built from the entries can be kept until then. */
  get version(): number {
    return this.changes;
  }

  /** Lists the folder and refreshes every entry; a missing folder has no entries. */
  sync(io: FileReader): void {
    this.folderProblems.clear();
    const seen = new Set<string>();
    this.walk(io, this.dir, '', seen);
    for (const key of this.entries.keys()) if (!seen.has(key)) this.delete(key);
  }

  /** Revisits one changed path inside the folder (or the folder itself). */
  refreshPath(io: FileReader, path: string): void {
    const key = relative(this.dir, path).split(sep).join('/');
    if (key === '') return this.sync(io);
    if (this.layout === 'folders') {
      const name = key.split('/')[0]!;
      const folder = join(this.dir, name);
      const stats = io.stat(folder);
      if (!this.accepts(name) || (!stats.ok && stats.missing) || (stats.ok && !stats.value.isDirectory())) return this.drop(name);
      return this.update(io, name, join(folder, META), NO_META);
    }
    const stats = io.stat(path);
    if (!stats.ok && stats.missing) return this.drop(key);
    if (stats.ok && stats.value.isDirectory()) return this.sync(io);
    this.update(io, key, path, undefined);
  }

  /** Every entry's and folder's problem, with the path it concerns. */
  *problems(): Generator<[string, Problem]> {
    yield* this.folderProblems;
    for (const [key, entry] of this.entries) if (entry.problem) yield [this.pathOf(key), entry.problem];
  }

  private pathOf(key: string): string {
    return this.layout === 'folders' ? join(this.dir, key, META) : join(this.dir, ...key.split('/'));
  }

  private walk(io: FileReader, dir: string, prefix: string, seen: Set<string>): void {
    const listing = io.list(dir);
    if (!listing.ok) {
      if (!listing.missing) this.folderProblems.set(dir, { message: `cannot list folder: ${listing.message}`, severity: 'error' });
      return;
    }
    for (const entry of listing.value) {
      const key = prefix + entry.name;
      const path = join(dir, entry.name);
      if (this.layout === 'folders') {
        if (!this.accepts(entry.name) || !io.isFolder(dir, entry)) continue;
        seen.add(key);
        this.update(io, key, join(path, META), NO_META);
      } else if (io.isFolder(dir, entry)) {
        this.walk(io, path, `${key}/`, seen);
      } else if (io.isFile(dir, entry)) {
        seen.add(key);
        this.update(io, key, path, VANISHED);
      }
    }
  }

  private update(io: FileReader, key: string, path: string, missing: Problem | undefined): void {
    const previous = this.entries.get(key);
    const next = this.refresh(io, path, key, previous, missing);
    if (next === previous) return;
    if (next) this.entries.set(key, next);
    else this.entries.delete(key);
    this.changes++;
  }

  private delete(key: string): void {
    if (this.entries.delete(key)) this.changes++;
  }

  /** Forgets `key` and, in a tree, every key below it. */
  private drop(key: string): void {
    this.delete(key);
    if (this.layout === 'tree') for (const other of this.entries.keys()) if (other.startsWith(`${key}/`)) this.delete(other);
  }
}
