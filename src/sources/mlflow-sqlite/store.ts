// An opened MLflow SQLite store: cached scans keyed by the file's size and mtime, lazy metric series, and
// the retry that rides out a writer in the middle of a transaction.
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Database } from 'node-sqlite3-wasm';
import { emptyScan, type Diagnostic, type MetricPoint, type ScanResult } from '../../core/model';
import type { ScanOptions, ScanStats, TrackingStore } from '../../core/source';
import { DatabaseFile, fingerprint, hasHotJournal, hasSqliteHeader, type Fingerprint } from './database-file';
import { readSeries } from './metrics';
import { readStore, visible } from './read';
import { Schema } from './schema';
import { errorMessage } from './sqlite';

/** How long to wait before the one retry of a half-written database. */
const RETRY_DELAY_MS = 200;

interface Attempt<T> {
  value?: T;
  /** why there is no value, or, beside a value, a warning about it */
  diagnostic?: Diagnostic;
  /** the failure may pass by itself: worth the one retry, not worth caching */
  transient: boolean;
}

export class MlflowSqliteStore implements TrackingStore {
  readonly kind = 'mlflow-sqlite';
  lastScanStats: ScanStats = { filesRead: 0, bytesRead: 0 };
  private readonly database: DatabaseFile;
  private cache: { key: string; result: ScanResult } | undefined;

  constructor(readonly location: string) {
    this.database = new DatabaseFile(location);
  }

  async scan(options: ScanOptions = {}): Promise<ScanResult> {
    return visible(await this.current(options.changedPaths), options.includeDeleted ?? false);
  }

  async loadSeries(runId: string, key: string): Promise<{ points: MetricPoint[]; diagnostics: Diagnostic[] }> {
    const { value, diagnostic } = await this.withRetry((db) => readSeries(db, Schema.read(db), runId, key));
    return { points: value ?? [], diagnostics: diagnostic ? [diagnostic] : [] };
  }

  dispose(): void {
    this.database.dispose();
    this.cache = undefined;
  }

  /** The full, unfiltered result: cached while the file is unchanged, read again when it changed. */
  private async current(changedPaths: readonly string[] | undefined): Promise<ScanResult> {
    if (this.cache && changedPaths && !changedPaths.some((path) => this.isOwnFile(path))) return this.cached(this.cache.result);
    let print: Fingerprint;
    try {
      print = fingerprint(this.location);
    } catch (error) {
      this.cache = undefined;
      this.lastScanStats = { filesRead: 0, bytesRead: 0 };
      return scanOf(undefined, problem(this.location, `cannot read the database: ${errorMessage(error)}`));
    }
    if (this.cache && !changedPaths && this.cache.key === print.key) return this.cached(this.cache.result);
    this.lastScanStats = { filesRead: print.files, bytesRead: print.bytes };
    const { value, diagnostic, transient } = await this.withRetry(
      (db) => this.readAll(db),
      (result) => result.diagnostics.length > 0,
    );
    const result = scanOf(value, diagnostic);
    this.cache = transient ? undefined : { key: print.key, result };
    return result;
  }

  private cached(result: ScanResult): ScanResult {
    this.lastScanStats = { filesRead: 0, bytesRead: 0 };
    return result;
  }

  private readAll(db: Database): ScanResult {
    const schema = Schema.read(db);
    const missing = schema.missingMlflowTables();
    if (missing.length === 0) return readStore(db, schema, this.location);
    return scanOf(undefined, problem(this.location, `not an MLflow database (missing tables: ${missing.join(', ')})`));
  }

  /** The database, its WAL and its rollback journal: the paths whose change means the store changed. */
  private isOwnFile(path: string): boolean {
    const absolute = resolve(path);
    return [this.location, `${this.location}-wal`, `${this.location}-journal`].includes(absolute);
  }

  private async withRetry<T>(read: (db: Database) => T, failed: (value: T) => boolean = () => false): Promise<Attempt<T>> {
    const first = await this.attempt(read, failed);
    if (!first.transient) return first;
    await delay(RETRY_DELAY_MS);
    return this.attempt(read, failed);
  }

  /**
   * One read. Transient: a writer's unfinished transaction, or read errors while the file changed
   * underneath (`failed` tells whether the value carries errors).
   */
  private async attempt<T>(read: (db: Database) => T, failed: (value: T) => boolean): Promise<Attempt<T>> {
    const file = this.location;
    try {
      const before = fingerprint(file).key;
      if (!hasSqliteHeader(file)) return { diagnostic: problem(file, 'not an SQLite database (no SQLite header)'), transient: false };
      if (hasHotJournal(file)) {
        const message = `database is being written: ${file}-journal holds an unfinished transaction (MLflow or sqlite3 rolls it back the next time it opens the database)`;
        return { diagnostic: problem(file, message), transient: true };
      }
      const { value, lockedOut } = await this.database.read(read);
      const torn = failed(value) && (fingerprint(file).key !== before || hasHotJournal(file));
      if (!lockedOut) return { value, transient: torn };
      const message = `another reader holds ${file}.lock (a folder left by a crashed reader can be removed): read a temporary copy`;
      return { value, diagnostic: { file, message, severity: 'warning' }, transient: torn };
    } catch (error) {
      return { diagnostic: problem(file, `cannot read the database: ${errorMessage(error)}`), transient: false };
    }
  }
}

function problem(file: string, message: string): Diagnostic {
  return { file, message, severity: 'error' };
}

/** What a scan returns: the result read, with the attempt's warning if any, or just the diagnostic. */
function scanOf(value: ScanResult | undefined, diagnostic: Diagnostic | undefined): ScanResult {
  const result = value ?? emptyScan();
  return diagnostic ? { ...result, diagnostics: [diagnostic, ...result.diagnostics] } : result;
}
