// Which tables and columns this database has. MLflow's schema grew by migrations over the years (metric
// steps, NaN flags, the model registry, datasets, aliases…); queries adapt to what exists instead of
// keying on alembic revision ids.
import type { Database } from 'node-sqlite3-wasm';
import { rows, text } from './sqlite';

/** Tables every MLflow tracking database has had since its first alembic migration. */
const MLFLOW_TABLES = ['alembic_version', 'experiments', 'runs', 'metrics', 'params', 'tags'];

export class Schema {
  private constructor(private readonly tables: ReadonlyMap<string, ReadonlySet<string>>) {}

  /** One query: every table with its columns. */
  static read(db: Database): Schema {
    const tables = new Map<string, Set<string>>();
    const sql = "SELECT m.name AS tbl, p.name AS col FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table'";
    for (const row of rows(db, sql)) {
      const table = text(row.tbl);
      const column = text(row.col);
      if (table === undefined || column === undefined) continue;
      if (!tables.has(table)) tables.set(table, new Set());
      tables.get(table)!.add(column);
    }
    return new Schema(tables);
  }

  /** MLflow's tables this database lacks: none for an MLflow database. */
  missingMlflowTables(): string[] {
    return MLFLOW_TABLES.filter((table) => !this.tables.has(table));
  }

  has(table: string): boolean {
    return this.tables.has(table);
  }

  /** `column` when the table has it, else `fallback` (an SQL expression standing in for it). */
  column(table: string, column: string, fallback: string): string {
    return this.tables.get(table)?.has(column) ? column : fallback;
  }
}
