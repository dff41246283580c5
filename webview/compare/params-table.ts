// Params, tags and the git commit and branch of each run, a column per run. "Differences only" (on by
// default) leaves out rows where every run agrees; cells that differ from the baseline are marked.
import type { Comparison, ValueRow } from '../../src/core/compare';
import { shortCommit } from '../../src/core/format';
import type { PanelRun } from '../../src/protocol/compare';
import { Palette } from './colors';
import { el, srOnly } from './dom';

export interface ParamsContext {
  runs: readonly PanelRun[];
  comparison: Comparison;
  differencesOnly: boolean;
}

function gitRows(runs: readonly PanelRun[]): ValueRow[] {
  const row = (key: string, values: Array<string | null>): ValueRow => ({ key, values, differs: values.some((v) => v !== values[0]) });
  return [row('commit', runs.map((run) => shortCommit(run.commit) ?? null)), row('branch', runs.map((run) => run.branch ?? null))];
}

export function paramsTable({ runs, comparison, differencesOnly }: ParamsContext): HTMLElement {
  const groups: Array<[string, ValueRow[]]> = [
    ['Params', comparison.params],
    ['Tags', comparison.tags],
    ['Git', gitRows(runs)],
  ];
  const columns = runs.length + 1;
  const bodies = groups.map(([title, all]) => {
    const rows = differencesOnly ? all.filter((row) => row.differs) : all;
    const hiddenCount = all.length - rows.length;
    const note =
      rows.length === 0
        ? all.length === 0
          ? `No ${title.toLowerCase()} recorded.`
          : `All ${all.length} the same in every run.`
        : hiddenCount > 0
          ? `${hiddenCount} more the same in every run.`
          : undefined;
    return el(
      'tbody',
      { 'data-group': title },
      el('tr', { class: 'group' }, el('th', { scope: 'rowgroup', colspan: String(columns) }, title)),
      ...rows.map((row) => valueRow(row, comparison.baseline)),
      note ? el('tr', { class: 'group-note' }, el('td', { colspan: String(columns) }, note)) : null,
    );
  });
  const headers = runs.map((run, i) => {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.setProperty('--run-color', Palette.cssValue(run.key));
    return el('th', { scope: 'col' }, el('span', { class: 'run-label' }, swatch, run.name, i === comparison.baseline ? el('span', { class: 'tag' }, 'baseline') : null));
  });
  return el(
    'div',
    { class: 'table-scroll' },
    el(
      'table',
      { class: 'params' },
      el('caption', { class: 'sr-only' }, differencesOnly ? 'Params, tags and git fields that differ between the runs' : 'Params, tags and git fields of the runs'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Key'), ...headers)),
      ...bodies,
    ),
  );
}

function valueRow(row: ValueRow, baseline: number): HTMLTableRowElement {
  const reference = row.values[baseline];
  return el(
    'tr',
    { 'data-key': row.key },
    el('th', { scope: 'row' }, row.key),
    ...row.values.map((value, i) => {
      const differs = i !== baseline && value !== reference;
      return el(
        'td',
        { class: differs ? 'differs' : undefined },
        value ?? el('span', { class: 'missing' }, '—', srOnly('not set')),
        differs ? srOnly(' (differs from the baseline)') : null,
      );
    }),
  );
}
