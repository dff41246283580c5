// The writes behind the re-scan measurements: one metric point appended the way each store's writer
// appends it, then undone so that the generated store can be reused by the next bench run.
import { execFileSync } from 'node:child_process';
import { appendFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricPoint, Run } from '../src/core/model';
import type { BenchedKind } from './measure-store';

export interface Mutation {
  /** what a file watcher would report as changed */
  readonly changedPath: string;
  append(point: MetricPoint): void;
  undo(): void;
}

/** MLflow's FileStore appends `<timestamp> <value> <step>\n` to `metrics/<key>`. */
function fileStoreMutation(run: Run, key: string): Mutation {
  const file = join(run.path, 'metrics', key);
  const originalSize = statSync(file).size;
  return {
    changedPath: file,
    append: (p) => appendFileSync(file, `${p.timestamp} ${p.value} ${p.step}\n`),
    undo: () => truncateSync(file, originalSize),
  };
}

/** MLflow's SQLAlchemyStore inserts into `metrics` and moves `latest_metrics` on, in one transaction. */
function sqliteStoreMutation(db: string, run: Run, key: string): Mutation {
  const firstStep = run.metrics[key].step + 1;
  const where = `run_uuid = '${run.id}' AND key = '${key}'`;
  const sql = (statements: string) => execFileSync('sqlite3', [db, `BEGIN; ${statements} COMMIT;`]);
  return {
    changedPath: db,
    append: (p) => sql(`INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
        VALUES ('${key}', ${p.value}, ${p.timestamp}, '${run.id}', ${p.step}, 0);
      UPDATE latest_metrics SET value = ${p.value}, timestamp = ${p.timestamp}, step = ${p.step} WHERE ${where};`),
    undo: () => sql(`DELETE FROM metrics WHERE ${where} AND step >= ${firstStep};
      UPDATE latest_metrics SET (value, timestamp, step) =
        (SELECT value, timestamp, step FROM metrics WHERE ${where} ORDER BY step DESC, timestamp DESC LIMIT 1) WHERE ${where};`),
  };
}

export function metricMutation(kind: BenchedKind, location: string, run: Run, key: string): Mutation {
  return kind === 'mlflow-file' ? fileStoreMutation(run, key) : sqliteStoreMutation(location, run, key);
}
