// The database file on disk: its identity for caching, the checks made before SQLite opens it, and the
// read-only connection itself.
import { accessSync, closeSync, constants, copyFileSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Database } from 'node-sqlite3-wasm';
import { errorMessage, loadSqlite, openReadOnly } from './sqlite';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** What a scan of the file costs and how the cache recognises an unchanged file. */
export interface Fingerprint {
  /** size and mtime of the database and of its `-wal` file */
  key: string;
  files: number;
  bytes: number;
}

/** Throws (ENOENT, EACCES…) when the database itself cannot be stat'ed. */
export function fingerprint(file: string): Fingerprint {
  const db = statSync(file);
  const wal = statSync(`${file}-wal`, { throwIfNoEntry: false });
  const key = `${db.size}:${db.mtimeMs}|${wal ? `${wal.size}:${wal.mtimeMs}` : '-'}`;
  return { key, files: wal ? 2 : 1, bytes: db.size + (wal?.size ?? 0) };
}

/** The first bytes of `file`, or fewer when it is shorter. Throws when it cannot be read. */
function head(file: string, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/** Throws when `file` cannot be read; false when it is not an SQLite database. */
export function hasSqliteHeader(file: string): boolean {
  return head(file, SQLITE_MAGIC.length).equals(SQLITE_MAGIC);
}

/**
 * Whether a writer is in the middle of a transaction (or crashed in one): a `-journal` whose header is
 * written. node-sqlite3-wasm cannot see this itself: its lock check looks for its own `.lock` folder, which
 * the reading connection holds, so it would read the half-written pages.
 */
export function hasHotJournal(file: string): boolean {
  try {
    const first = head(`${file}-journal`, 1);
    return first.length === 1 && first[0] !== 0;
  } catch {
    return false;
  }
}

/** How long to wait before the one retry of a database another reader has locked. */
const LOCK_RETRY_MS = 200;

export interface Read<T> {
  value: T;
  /** another reader's lock outlived the retry, so the value comes from a temporary copy */
  lockedOut: boolean;
}

/**
 * A database file opened for reading. node-sqlite3-wasm locks a database by creating a `<file>.lock`
 * folder beside it, removed on close. Where that folder cannot be created (a read-only folder), or while
 * another reader's stays (a long read, or a reader that crashed and never removed it), SQLite reads a
 * temporary copy, which needs no lock; the copy is made again whenever the file changes.
 */
export class DatabaseFile {
  private copy: { key: string; dir: string; path: string } | undefined;

  constructor(readonly file: string) {}

  /** Runs `use` on a fresh read-only connection and closes it, releasing the lock, before returning. */
  async read<T>(use: (db: Database) => T): Promise<Read<T>> {
    const sqlite = await loadSqlite();
    const readAt = (path: string) => {
      const db = openReadOnly(sqlite, path);
      try {
        return use(db);
      } finally {
        db.close();
      }
    };
    if (!isWritable(dirname(this.file))) return { value: readAt(this.copyPath()), lockedOut: false };
    for (const pause of [0, LOCK_RETRY_MS]) {
      if (pause > 0) await delay(pause);
      try {
        return { value: readAt(this.file), lockedOut: false };
      } catch (error) {
        if (!/database is locked/i.test(errorMessage(error))) throw error;
      }
    }
    return { value: readAt(this.copyPath()), lockedOut: true };
  }

  dispose(): void {
    if (this.copy) rmSync(this.copy.dir, { recursive: true, force: true });
    this.copy = undefined;
  }

  private copyPath(): string {
    const { key } = fingerprint(this.file);
    if (this.copy?.key !== key) {
      this.dispose();
      this.copy = { key, ...copyToTemp(this.file) };
    }
    return this.copy.path;
  }
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Copies the database and its WAL into a fresh temporary folder. */
function copyToTemp(file: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runlens-sqlite-'));
  const path = join(dir, basename(file));
  try {
    copyFileSync(file, path);
    if (statSync(`${file}-wal`, { throwIfNoEntry: false })) copyFileSync(`${file}-wal`, `${path}-wal`);
    return { dir, path };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
