// Read-only file access for the file-store scanner.
//
// The calls are synchronous on purpose: a store is tens of thousands of small files, and a sync call costs
// a few microseconds where an fs/promises call costs a thread-pool round trip (measured 4x slower for the
// benchmark store). Scans stay responsive by giving the event loop a turn between runs (`Breather`).
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Dirent, type Stats } from 'node:fs';
import type { ScanStats } from '../../core/source';
import type { Stamp } from '../shared/files';

export type { Stamp };

export const sameStamp = (a: Stamp, b: Stamp): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs;

/** A problem with one file or folder, reported as a Diagnostic naming it. */
export interface Problem {
  message: string;
  severity: 'error' | 'warning';
}

/** `missing` is set when the path does not exist, which callers often treat as "deleted", not as an error. */
export type IoResult<T> = { ok: true; value: T } | { ok: false; missing: boolean; message: string };

/** Receives the complete lines of a file, chunk by chunk (see `FileReader.readLines`). */
export interface LineSink {
  /** Takes the complete lines of `chunk` from `start` on; returns where the incomplete rest begins. */
  lines(chunk: Buffer, start: number): number;
  /** A complete line longer than the read buffer: skipped unparsed. */
  oversized(): void;
  /** Called before the chunk's memory is reused: anything still pointing into it must be copied out. */
  flush(chunk: Buffer): void;
}

const CHUNK = 256 * 1024;
/** Meta, param and tag files beyond this size are not read (MLflow's own limits are a few KB). */
const MAX_SMALL_FILE = 16 * 1024 * 1024;

function failure(error: unknown): { ok: false; missing: boolean; message: string } {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return { ok: false, missing: true, message: 'no such file or folder' };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, missing: false, message: 'permission denied' };
    case 'EISDIR':
      return { ok: false, missing: false, message: 'is a folder, expected a file' };
    case 'ENOTDIR':
      return { ok: false, missing: false, message: 'is a file, expected a folder' };
    default:
      return { ok: false, missing: false, message: error instanceof Error ? error.message : String(error) };
  }
}

const stampOf = (stats: Stats): Stamp => ({ size: stats.size, mtimeMs: stats.mtimeMs });

/** Does the I/O of one scan (or one series load) and counts what it read. */
export class FileReader {
  readonly stats: ScanStats = { filesRead: 0, bytesRead: 0 };
  private readonly buffer = Buffer.allocUnsafe(CHUNK);

  stat(path: string): IoResult<Stats> {
    try {
      return { ok: true, value: statSync(path) };
    } catch (error) {
      return failure(error);
    }
  }

  list(dir: string): IoResult<Dirent[]> {
    try {
      return { ok: true, value: readdirSync(dir, { withFileTypes: true }) };
    } catch (error) {
      return failure(error);
    }
  }

  /** Whether a listed entry is a folder, following symbolic links. */
  isFolder(dir: string, entry: Dirent): boolean {
    if (entry.isSymbolicLink()) {
      const target = this.stat(`${dir}/${entry.name}`);
      return target.ok && target.value.isDirectory();
    }
    return entry.isDirectory();
  }

  /** Whether a listed entry is a regular file, following symbolic links (a dangling link counts as a file). */
  isFile(dir: string, entry: Dirent): boolean {
    if (entry.isSymbolicLink()) {
      const target = this.stat(`${dir}/${entry.name}`);
      return !target.ok || target.value.isFile();
    }
    return entry.isFile();
  }

  /** Reads a whole small file as UTF-8. */
  readText(path: string): IoResult<{ stamp: Stamp; text: string }> {
    return this.withFile(path, (fd, stats) => {
      if (stats.size > MAX_SMALL_FILE) throw new Error(`larger than ${MAX_SMALL_FILE} bytes, not read`);
      const target = stats.size <= this.buffer.length ? this.buffer : Buffer.allocUnsafe(stats.size);
      let length = 0;
      for (let n; length < stats.size && (n = readSync(fd, target, length, stats.size - length, length)) > 0; ) length += n;
      this.count(length);
      return { stamp: stampOf(stats), text: target.toString('utf8', 0, length) };
    });
  }

  /**
   * Feeds the complete lines of `path` from byte `from` up to its size at open time to `sink`. A last line
   * without `\n` (a write in progress) is left for the next read. Returns the file's stamp and the offset
   * just past the last complete line.
   */
  readLines(path: string, from: number, sink: LineSink): IoResult<{ stamp: Stamp; end: number }> {
    return this.withFile(path, (fd, stats) => {
      const buf = this.buffer;
      let offset = from; // file offset of buf[0]
      let filled = 0;
      let skipping = false; // inside an oversized line
      let skippedFrom = 0; // file offset where that line starts
      let read = 0;
      for (let n; offset + filled < stats.size; ) {
        n = readSync(fd, buf, filled, Math.min(buf.length - filled, stats.size - offset - filled), offset + filled);
        if (n === 0) break;
        read += n;
        filled += n;
        const view = buf.subarray(0, filled);
        let start = 0;
        if (skipping) {
          const newline = view.indexOf(10);
          if (newline === -1) {
            offset += filled;
            filled = 0;
            continue;
          }
          skipping = false;
          sink.oversized();
          start = newline + 1;
        }
        start = sink.lines(view, start);
        sink.flush(view);
        if (start === 0 && filled === buf.length) {
          skipping = true;
          skippedFrom = offset;
          start = filled;
        }
        buf.copyWithin(0, start, filled);
        offset += start;
        filled -= start;
      }
      this.count(read);
      return { stamp: stampOf(stats), end: skipping ? skippedFrom : offset };
    });
  }

  private withFile<T>(path: string, use: (fd: number, stats: Stats) => T): IoResult<T> {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      const stats = fstatSync(fd);
      if (!stats.isFile()) return { ok: false, missing: false, message: 'not a regular file' };
      return { ok: true, value: use(fd, stats) };
    } catch (error) {
      return failure(error);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private count(bytes: number): void {
    this.stats.filesRead++;
    this.stats.bytesRead += bytes;
  }
}

const SLICE_MS = 12;

/** Lets a long synchronous scan give the event loop a turn every few milliseconds. */
export class Breather {
  private sliceStart = performance.now();

  async breathe(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}
