// The panel's header: a chip per run in the run's colour (its name reveals it in the Experiments view, ×
// removes it), the baseline selector, and "Add runs…".
import { shortCommit } from '../../src/core/format';
import type { PanelRun } from '../../src/protocol/compare';
import { Palette } from './colors';
import { el } from './dom';
import { button, dropdown } from './toolkit';

/** Above this many runs the chips fold away behind a summary line. */
const OPEN_CHIPS = 24;

export interface HeaderContext {
  title: string;
  runs: readonly PanelRun[];
  baseline: number;
  missing: readonly string[];
  onBaseline(run: string): void;
  onRemove(run: string): void;
  onAdd(): void;
  onReveal(run: string): void;
}

export function header(context: HeaderContext): HTMLElement {
  const { runs, baseline } = context;
  const chips = runs.map((run, i) => chip(run, i === baseline, context));
  const choices = runs.map((run) => ({ value: run.key, label: run.name }));
  const missing = context.missing.length
    ? el('p', { class: 'notice', role: 'status' }, `${context.missing.length} run${context.missing.length === 1 ? ' is' : 's are'} no longer in the workspace and left out (deleted, or the store moved or is on another branch's checkout).`)
    : null;
  const list = el('ul', { class: 'chips', 'aria-label': 'Compared runs' }, ...chips);
  return el(
    'header',
    { class: 'panel-header' },
    el('h1', {}, context.title),
    runs.length > OPEN_CHIPS ? el('details', { class: 'chip-list' }, el('summary', {}, `${runs.length} runs`), list) : list,
    el(
      'div',
      { class: 'header-actions' },
      runs.length > 1 ? el('label', { class: 'control' }, 'Baseline ', focusable(dropdown('Baseline run', choices, runs[baseline]?.key ?? '', context.onBaseline), 'baseline')) : null,
      focusable(button('Add runs…', context.onAdd, { appearance: 'primary', title: 'Pick more runs to compare' }), 'add'),
    ),
    missing,
  );
}

function chip(run: PanelRun, isBaseline: boolean, context: HeaderContext): HTMLElement {
  const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  const name = el('button', { class: 'chip-name', type: 'button', title: 'Reveal in the Experiments view', 'data-focus': 'reveal' }, run.name);
  name.addEventListener('click', () => context.onReveal(run.key));
  const details = [run.experiment, run.status.toLowerCase(), shortCommit(run.commit)].filter(Boolean).join(' · ');
  const item = el(
    'li',
    { class: `chip${isBaseline ? ' baseline' : ''}`, 'data-run': run.key },
    swatch,
    name,
    el('span', { class: 'chip-details' }, details),
    isBaseline ? el('span', { class: 'tag' }, 'baseline') : null,
    focusable(button('×', () => context.onRemove(run.key), { appearance: 'icon', ariaLabel: `Remove ${run.name} from the comparison`, title: 'Remove from the comparison' }), 'remove'),
  );
  item.style.setProperty('--run-color', Palette.cssValue(run.key));
  return item;
}

/**
 * Marks an element the page gives focus back to after it re-renders the header (see CompareApp): the
 * baseline dropdown, "Add runs…", and a remove button (focus moves to the next run's).
 */
function focusable(element: HTMLElement, key: string): HTMLElement {
  element.setAttribute('data-focus', key);
  return element;
}
