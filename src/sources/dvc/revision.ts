// The files of one state of a DVC project: the working tree, or a commit read from git objects.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { FileCache, ScanContext } from '../shared/files';

export interface Revision {
  /** The text of a file (path relative to the project root); undefined when absent. May throw when unreadable. */
  read(path: string): Promise<string | undefined>;
  /** The files at or below `path`. */
  filesUnder(path: string): Promise<string[]>;
}

/** Files listed below one folder of the working tree, at most: plot folders are small. */
const MAX_LISTED = 2000;

/** The working tree. Reads go through a cache that re-reads a file only when its size or mtime changed. */
export class WorkspaceRevision implements Revision {
  /** mtime of the newest file read (ms), for telling a live run from a finished one */
  latestWrite = 0;

  constructor(
    private readonly root: string,
    private readonly cache: FileCache<string>,
    private readonly context: ScanContext,
  ) {}

  async read(path: string): Promise<string | undefined> {
    // An unreadable file is thrown here and reported by the caller with the revision it belongs to.
    const loaded = await this.cache.get(join(this.root, path), this.context, []);
    if (!loaded) return undefined;
    this.latestWrite = Math.max(this.latestWrite, loaded.stamp.mtimeMs);
    if (loaded.error !== undefined) throw new Error(loaded.error);
    return loaded.value;
  }

  async filesUnder(path: string): Promise<string[]> {
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        // a file, not a folder: itself
        if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') files.push(relative(this.root, dir).split(sep).join('/'));
        return;
      }
      for (const entry of entries) {
        if (files.length >= MAX_LISTED) return;
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else if (entry.isFile()) files.push(relative(this.root, join(dir, entry.name)).split(sep).join('/'));
      }
    };
    await walk(join(this.root, path));
    return files.sort();
  }
}

/** A commit's files, read beforehand from git objects (see `readFilesAt`). */
export class CommitRevision implements Revision {
  constructor(private readonly files: ReadonlyMap<string, string>) {}

  async read(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }

  async filesUnder(path: string): Promise<string[]> {
    const prefix = path + '/';
    return [...this.files.keys()].filter((file) => file === path || file.startsWith(prefix)).sort();
  }
}

/** Loads a file of the working tree as text, counting the bytes. */
export async function loadText(file: string, _stamp: unknown, context: ScanContext): Promise<string> {
  return (await context.readWhole(file)).toString('utf8');
}

/** Joins a posix path below the root for a Diagnostic. */
export function absolutePath(root: string, path: string): string {
  return join(root, ...posix.normalize(path).split('/'));
}
