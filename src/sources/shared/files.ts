// Reading the small files of folder-based stores: a cache that re-reads a file only when its size or mtime
// changed, the per-scan bookkeeping behind `lastScanStats`, and the bounded folder listing `claims` uses.
import type { Dirent } from 'node:fs';
import { open, opendir, readFile, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import type { Diagnostic } from '../../core/model';
import type { ScanStats } from '../../core/source';

/** How a cached file is recognised as unchanged. */
export interface Stamp {
  size: number;
  mtimeMs: number;
}

/** One file as the last scan saw it: its parsed value, or why it could not be read. */
export type Loaded<T> = { stamp: Stamp } & ({ value: T; error?: undefined } | { value?: undefined; error: string });

/** One scan: which paths may have changed, and what reading cost. */
export class ScanContext {
  readonly stats: ScanStats = { filesRead: 0, bytesRead: 0 };

  constructor(private readonly changedPaths?: readonly string[]) {}

  /** Without `changedPaths` every file may have changed; with them, only those paths and what lies below them. */
  mayHaveChanged(path: string): boolean {
    return !this.changedPaths || this.changedPaths.some((changed) => path === changed || path.startsWith(changed + sep));
  }

  async readWhole(file: string): Promise<Buffer> {
    const bytes = await readFile(file);
    this.stats.bytesRead += bytes.length;
    return bytes;
  }

  /** Bytes `start` to `end` (exclusive), or fewer when the file is shorter now. */
  async readRange(file: string, start: number, end: number): Promise<Buffer> {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.max(0, end - start));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      this.stats.bytesRead += bytesRead;
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}

/** Reads a file into T; `previous` is what the last read of the same file gave, for formats that only grow. */
export type Loader<T> = (file: string, stamp: Stamp, context: ScanContext, previous: Loaded<T> | undefined) => Promise<T>;

/** A loader that reads the whole file and parses it. */
export function wholeFile<T>(parse: (bytes: Buffer, stamp: Stamp) => T): Loader<T> {
  return async (file, stamp, context) => parse(await context.readWhole(file), stamp);
}

/**
 * Parsed files by path. A file is loaded again only when its size or mtime differs from the last load (or,
 * when the scan names its changed paths, only when it is among them). A load that throws is kept as the
 * file's error, so an unchanged bad file is not read again but still reported.
 */
export class FileCache<T> {
  private readonly entries = new Map<string, Loaded<T>>();
  private readonly asked = new Set<string>();

  constructor(private readonly load: Loader<T>) {}

  /** The file's value or error (an error is also added to `diagnostics`); undefined when it does not exist. */
  async get(file: string, context: ScanContext, diagnostics: Diagnostic[]): Promise<Loaded<T> | undefined> {
    const loaded = await this.fetch(file, context);
    if (loaded?.error !== undefined) diagnostics.push({ file, message: `cannot read: ${loaded.error}`, severity: 'error' });
    return loaded;
  }

  private async fetch(file: string, context: ScanContext): Promise<Loaded<T> | undefined> {
    this.asked.add(file);
    const previous = this.entries.get(file);
    if (previous && !context.mayHaveChanged(file)) return previous;
    let stats;
    try {
      stats = await stat(file);
    } catch (error) {
      this.entries.delete(file);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      return { stamp: { size: 0, mtimeMs: 0 }, error: (error as Error).message };
    }
    if (!stats.isFile()) {
      this.entries.delete(file);
      return undefined;
    }
    const stamp = { size: stats.size, mtimeMs: stats.mtimeMs };
    if (previous && previous.stamp.size === stamp.size && previous.stamp.mtimeMs === stamp.mtimeMs) return previous;
    context.stats.filesRead++;
    let loaded: Loaded<T>;
    try {
      loaded = { stamp, value: await this.load(file, stamp, context, previous) };
    } catch (error) {
      loaded = { stamp, error: (error as Error).message };
    }
    this.entries.set(file, loaded);
    return loaded;
  }

  clear(): void {
    this.entries.clear();
    this.asked.clear();
  }

  /** Forgets the files no `get` asked for since the last sweep: those of deleted runs. */
  sweep(): void {
    for (const file of this.entries.keys()) if (!this.asked.has(file)) this.entries.delete(file);
    this.asked.clear();
  }
}

/**
 * Reads and parses a file outside any cache, for a series: loaded on demand, never kept. A file that cannot
 * be read or parsed gives a diagnostic instead of a value.
 */
export async function readOnce<T>(file: string, parse: (bytes: Buffer, mtimeMs: number) => T): Promise<{ value?: T; diagnostics: Diagnostic[] }> {
  try {
    const [bytes, stats] = await Promise.all([readFile(file), stat(file)]);
    return { value: parse(bytes, stats.mtimeMs), diagnostics: [] };
  } catch (error) {
    return { diagnostics: [{ file, message: `cannot read: ${(error as Error).message}`, severity: 'error' }] };
  }
}

/** The first `limit` entries of a folder (none when it cannot be listed): enough for a cheap `claims`. */
export async function listBounded(dir: string, limit = 1000): Promise<Dirent[]> {
  const entries: Dirent[] = [];
  try {
    for await (const entry of await opendir(dir)) {
      entries.push(entry);
      if (entries.length >= limit) break;
    }
  } catch {
    // unreadable or vanished: what was listed so far is all there is
  }
  return entries;
}

/** Whether `file` exists and is a regular file. */
export async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
