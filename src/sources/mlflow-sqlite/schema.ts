// Which tables, columns and indexes this database has. MLflow's schema grew by migrations over the years
// (metric steps, NaN flags, the model registry, datasets, aliases, an index on metrics.run_uuid…);
// queries adapt to what exists instead of keying on alembic revision ids.
import type { Database } from 'node-sqlite3-wasm';
import { rows, text } from './sqlite';

/** Tables every MLflow tracking database has had since its first alembic migration. */
const MLFLOW_TABLES = ['alembic_version', 'experiments', 'runs', 'metrics', 'params', 'tags'];

/** Per table: its columns, and separately the columns some index starts with. */
type Columns = Map<string, Set<string>>;

export class Schema {
  private constructor(
    private readonly columns: Columns,
    private readonly indexed: Columns,
  ) {}

  /** One query: every table with its columns, and the first column of every index. */
  static read(db: Database): Schema {
    const columns: Columns = new Map();
    const indexed: Columns = new Map();
    const sql = `SELECT m.type, m.tbl_name AS tbl, p.name AS col FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table'
      UNION ALL
      SELECT m.type, m.tbl_name, i.name FROM sqlite_master AS m JOIN pragma_index_info(m.name) AS i WHERE m.type = 'index' AND i.seqno = 0`;
    for (const row of rows(db, sql)) {
      const [table, column] = [text(row.tbl), text(row.col)];
      if (table === undefined || column === undefined) continue;
      const target = row.type === 'index' ? indexed : columns;
      if (!target.has(table)) target.set(table, new Set());
      target.get(table)!.add(column);
    }
    return new Schema(columns, indexed);
  }

  /** MLflow's tables this database lacks: none for an MLflow database. */
  missingMlflowTables(): string[] {
    return MLFLOW_TABLES.filter((table) => !this.columns.has(table));
  }

  has(table: string): boolean {
    return this.columns.has(table);
  }

  /** `column` when the table has it, else `fallback` (an SQL expression standing in for it). */
  column(table: string, column: string, fallback: string): string {
    return this.columns.get(table)?.has(column) ? column : fallback;
  }

  /** Whether an index starts with `column`, so that rows with one value of it are found without a scan. */
  isIndexed(table: string, column: string): boolean {
    return this.indexed.get(table)?.has(column) ?? false;
  }
}
