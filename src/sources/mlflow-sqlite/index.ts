// MLflow's SQLite tracking store (`mlflow.db`, MLflow's default backend), read-only through WASM SQLite.
import { resolve } from 'node:path';
import type { SourceProvider } from '../../core/source';
import { DatabaseFile, hasSqliteHeader } from './database-file';
import { Schema } from './schema';
import { MlflowSqliteStore } from './store';

/** Names MLflow users give their database (`sqlite:///mlflow.db`, `mlruns.db`, `tracking.sqlite`…). */
const SQLITE_SUFFIXES = ['.db', '.sqlite', '.sqlite3'];

/** An SQLite file with MLflow's tables. Reads the header, then the schema only. */
async function detect(location: string): Promise<boolean> {
  const database = new DatabaseFile(resolve(location));
  try {
    return hasSqliteHeader(database.file) && (await database.read((db) => Schema.read(db).missingMlflowTables().length === 0)).value;
  } catch {
    return false;
  } finally {
    database.dispose();
  }
}

export const mlflowSqliteProvider: SourceProvider = {
  kind: 'mlflow-sqlite',
  claims: (entry) => !entry.isDirectory && SQLITE_SUFFIXES.some((suffix) => entry.name.endsWith(suffix)) && detect(entry.path),
  detect,
  open: (location) => new MlflowSqliteStore(resolve(location)),
};
