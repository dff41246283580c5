// The compare panel's tables as CSV: the metric summary and the params, tags and git fields. Pure, so the
// quoting is unit-tested; export.ts writes the files.
import type { CsvTable } from '../../protocol/compare';
import type { SessionView } from './compare-session';

type Cell = string | number | undefined | null;

/** Text a spreadsheet would run as a formula; such cells get a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(cell: Cell): string {
  if (cell === undefined || cell === null) return '';
  let text = String(cell);
  if (typeof cell === 'string' && FORMULA_START.test(text) && !Number.isFinite(Number(text))) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: comma-separated, CRLF line ends, fields with quotes, commas or line breaks quoted. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One row per metric: its direction, then each run's last and best value and delta against the baseline. */
function summaryRows(view: SessionView): Cell[][] {
  const { comparison } = view;
  const names = comparison.runs.map((run, i) => (i === comparison.baseline ? `${run.name} (baseline)` : run.name));
  const header = ['metric', 'direction', ...names.flatMap((name) => [`${name} last`, `${name} best`, `${name} delta`])];
  const rows = comparison.metrics.map((row) => [row.key, row.direction ?? '', ...row.cells.flatMap((cell) => [cell?.last, cell?.best, cell?.delta])]);
  return [header, ...rows];
}

/** One row per param, tag and git field, a column per run, and whether the values differ. */
function paramRows(view: SessionView): Cell[][] {
  const { comparison, runs } = view;
  const git = (label: string, values: Array<string | undefined>) => ['git', label, ...values, String(new Set(values).size > 1)];
  return [
    ['kind', 'key', ...comparison.runs.map((run) => run.name), 'differs'],
    ...comparison.params.map((row) => ['param', row.key, ...row.values, String(row.differs)]),
    ...comparison.tags.map((row) => ['tag', row.key, ...row.values, String(row.differs)]),
    git('commit', runs.map((run) => run.commit)),
    git('branch', runs.map((run) => run.branch)),
  ];
}

export function tableCsv(view: SessionView, table: CsvTable): string {
  return toCsv(table === 'summary' ? summaryRows(view) : paramRows(view));
}
