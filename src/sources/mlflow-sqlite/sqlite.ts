// node-sqlite3-wasm access: loading the WASM SQLite, opening a database read-only, streaming rows, and
// turning loosely typed column values into what the domain types expect.
import type { BindValues, Database, NormalQueryResult } from 'node-sqlite3-wasm';

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

/** A column or JSON value as text; undefined for NULL (and for what no text stands for). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : undefined;
}

/** A finite number, or undefined: the model's numbers are finite (zod rejects NaN and ±Infinity). */
export function num(value: unknown): number | undefined {
  const parsed = typeof value === 'bigint' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
