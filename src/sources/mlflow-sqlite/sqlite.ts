// node-sqlite3-wasm access: loading the WASM SQLite, opening a database read-only, streaming rows, and
// turning loosely typed column values into what the domain types expect.
import type { BindValues, Database, NormalQueryResult, SQLiteValue } from 'node-sqlite3-wasm';

type Sqlite = typeof import('node-sqlite3-wasm');
export type Row = NormalQueryResult;

let loading: Promise<Sqlite> | undefined;

/**
 * Loads the WASM SQLite on first use, so that a folder without a database never pays for it (about 20 ms
 * and 20 MB). The package reads `node-sqlite3-wasm.wasm` from the directory of the JS file that contains
 * it (`__dirname`): its own `dist/` when unbundled, the bundle's directory when bundled by esbuild (which
 * is why the build copies the .wasm beside `dist/extension.js`). The package is CommonJS: an ES import sees
 * it as `default`, a CommonJS bundle as the module itself.
 */
export function loadSqlite(): Promise<Sqlite> {
  loading ??= import('node-sqlite3-wasm').then((mod) => (mod as Sqlite & { default?: Sqlite }).default ?? mod);
  return loading;
}

/**
 * Opens `file` read-only. Exclusive locking mode is what lets this VFS, which has no shared-memory
 * support, read a WAL database at all (SQLite then keeps the WAL index in heap memory); a read-only
 * connection still never writes the database, its WAL or a journal.
 */
export function openReadOnly(sqlite: Sqlite, file: string): Database {
  const db = new sqlite.Database(file, { readOnly: true });
  db.exec('PRAGMA locking_mode = EXCLUSIVE');
  return db;
}

/** Streams the rows of one query. The statement is always finalized, so that closing the database releases its lock. */
export function* rows(db: Database, sql: string, params?: BindValues): Generator<Row> {
  const statement = db.prepare(sql);
  try {
    yield* statement.iterate(params) as IterableIterator<Row>;
  } finally {
    statement.finalize();
  }
}

export function text(value: SQLiteValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
}

export function num(value: SQLiteValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
