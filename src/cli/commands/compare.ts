import type { ScopedRun } from '../../core/catalog';
import { Comparison, compareRuns } from '../../core/compare';
import { comparisonLines } from '../../core/report';
import { COMMON_HELP, COMMON_OPTIONS, DataError, directions, json, openFolder, outputStyle, parse, UsageError } from '../options';
import type { Command } from './command';

const read = (args: string[]) =>
  parse(
    args,
    { ...COMMON_OPTIONS, folder: { type: 'string' }, 'all-params': { type: 'boolean' }, markdown: { type: 'boolean' } },
    { max: Infinity, name: 'runs' },
  );

export const compare: Command = {
  name: 'compare',
  summary: 'params diff and metric summary of runs, with deltas against the first',
  usage: `runlens compare <run> <run>... [--folder <folder>] [--all-params] [--json|--markdown]

  <run>                   a run id, a unique id prefix (6+ characters), or a unique run name
  --folder <folder>       the folder whose stores hold the runs (default: .)
  --all-params            list every param, not only those that differ
  --markdown              print Markdown tables
${COMMON_HELP}`,
  parse: read,
  async run(args, io) {
    const { values, positionals } = read(args);
    if (positionals.length < 2) throw new UsageError('compare needs at least two runs');
    const style = outputStyle(values);
    const { service, catalog } = await openFolder(io, values.folder, values);
    service.dispose();
    const runs = positionals.map((ref) => findRun(catalog.runs, ref));
    const comparison = Comparison.parse(compareRuns(runs, { directions: directions(values) }));
    io.out(style === 'json' ? json(comparison) : comparisonLines(comparison, style, !values['all-params']).join('\n') + '\n');
    return 0;
  },
};

/** A run by id, unique id prefix or unique name; a clear error for none or several. */
export function findRun(runs: readonly ScopedRun[], ref: string): ScopedRun {
  const exact = runs.filter((r) => r.id === ref);
  const candidates = exact.length ? exact : runs.filter((r) => (ref.length >= 6 && r.id.startsWith(ref)) || r.name === ref);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new DataError(`no run "${ref}" in this folder (give a run id, a 6+ character id prefix or a run name; see runlens runs --all-branches)`);
  throw new DataError(`"${ref}" names ${candidates.length} runs: ${candidates.slice(0, 5).map((r) => `${r.id} (${r.name})`).join(', ')}; give the run id`);
}
