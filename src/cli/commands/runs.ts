import { ScopedRun, visibleRuns } from '../../core/catalog';
import { runsTable } from '../../core/report';
import { z } from 'zod';
import { COMMON_HELP, COMMON_OPTIONS, DataError, json, openFolder, outputStyle, parse } from '../options';
import type { Command } from './command';

export const RunsReport = z.object({ branch: z.string().optional(), base: z.string().optional(), runs: z.array(ScopedRun) });

const read = (args: string[]) =>
  parse(
    args,
    { ...COMMON_OPTIONS, branch: { type: 'string' }, base: { type: 'string' }, 'all-branches': { type: 'boolean' }, metric: { type: 'string', multiple: true }, markdown: { type: 'boolean' } },
    { max: 1, name: 'folder' },
  );

export const runs: Command = {
  name: 'runs',
  summary: 'runs of a branch, newest first, with key metrics',
  usage: `runlens runs [folder] [--branch <branch>] [--all-branches] [--metric <key>]... [--json|--markdown]

  --branch <branch>       scope for this branch (default: the checked-out HEAD)
  --all-branches          include runs of other branches and of commits unknown to this clone
  --base <branch>         base branch (default: origin/HEAD, main, master)
  --metric <key>          a metric column (repeatable; default: the three most common metrics)
  --markdown              print a Markdown table
${COMMON_HELP}`,
  parse: read,
  async run(args, io) {
    const { values, positionals } = read(args);
    const style = outputStyle(values);
    const { service, catalog } = await openFolder(io, positionals[0], values, { baseBranch: values.base, head: values.branch });
    service.dispose();
    if (values.branch && !catalog.git.head) throw new DataError(`"${values.branch}" is not a branch or commit of this repository`);
    const listed = visibleRuns(catalog, values['all-branches'] ?? false).sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0) || a.name.localeCompare(b.name));
    if (style === 'json') {
      io.out(json(RunsReport.parse({ branch: catalog.git.branch, base: catalog.git.base, runs: listed })));
      return 0;
    }
    const metrics = values.metric?.length ? values.metric : commonMetrics(listed, 3);
    io.out(runsTable(listed, metrics, style).join('\n') + '\n');
    return 0;
  },
};

/** The `count` metric keys most runs have; ties by name. */
function commonMetrics(runs: readonly ScopedRun[], count: number): string[] {
  const frequency = new Map<string, number>();
  for (const run of runs) for (const key of Object.keys(run.metrics)) frequency.set(key, (frequency.get(key) ?? 0) + 1);
  return [...frequency.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, count).map(([key]) => key);
}
