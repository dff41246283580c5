import { rescope } from '../../core/catalog';
import type { DirectionOverrides } from '../../core/direction';
import { BranchDiff, diffBranches } from '../../core/diff';
import { diffLines } from '../../core/report';
import { COMMON_HELP, COMMON_OPTIONS, DataError, directions, json, openFolder, outputStyle, parse } from '../options';
import type { Command, Io } from './command';

const read = (args: string[]) =>
  parse(
    args,
    { ...COMMON_OPTIONS, metric: { type: 'string', multiple: true }, folder: { type: 'string' }, markdown: { type: 'boolean' } },
    { max: 2, name: 'revisions (base, head)' },
  );

export const diff: Command = {
  name: 'diff',
  summary: "a branch's best run against the base's best run, plus changed datasets and model versions",
  usage: `runlens diff [base] [head] [--metric <key>]... [--folder <folder>] [--json|--markdown]

  base                    the base branch (default: origin/HEAD, main, master)
  head                    the branch or commit to report on (default: HEAD)
  --metric <key>          a metric to compare (repeatable); the first picks the best runs
                          (default: all metrics; the best run by the first with a known direction)
  --folder <folder>       the folder whose stores and repository to read (default: .)
  --markdown              Markdown fit for a pull-request comment
${COMMON_HELP}`,
  parse: read,
  async run(args, io) {
    const { values, positionals } = read(args);
    const style = outputStyle(values);
    const result = await branchDiff(io, { ...values, base: positionals[0], head: positionals[1], metrics: values.metric ?? [], directions: directions(values) });
    io.out(style === 'json' ? json(BranchDiff.parse(result)) : diffLines(result, style).join('\n') + '\n');
    return 0;
  },
};

export interface BranchDiffOptions {
  folder?: string;
  base?: string;
  head?: string;
  metrics: readonly string[];
  directions: DirectionOverrides;
  'tracking-uri'?: string;
  'max-depth'?: string;
  'include-deleted'?: boolean;
}

/**
 * Reads the stores once, then scopes the runs twice: for head (its runs: merge-base..head) and for the
 * base (its runs: everything the base reaches).
 */
export async function branchDiff(io: Io, options: BranchDiffOptions): Promise<BranchDiff> {
  const { service, catalog } = await openFolder(io, options.folder, options, { baseBranch: options.base, head: options.head });
  try {
    const git = catalog.git;
    const headRef = options.head ?? git.branch ?? 'HEAD';
    if (!git.isRepo) throw new DataError('not a git repository: diff compares branches, so it needs one');
    if (!git.head) throw new DataError(options.head ? `"${options.head}" is not a branch or commit of this repository` : 'the repository has no commits yet');
    if (!git.base) {
      throw new DataError(options.base
        ? `base "${options.base}" is not a branch or commit of this clone (in CI, fetch it: git fetch origin ${options.base})`
        : 'no base branch found (origin/HEAD, main, master); name one: runlens diff <base>');
    }
    const notes: string[] = [];
    if (git.shallow && !git.mergeBase) {
      notes.push(`This is a shallow clone without the merge-base of ${headRef} and ${git.base}: runs are matched only on the commits it has. Fetch history to compare fully (git fetch --unshallow, or fetch-depth: 0 in actions/checkout).`);
    }
    const baseView = await service.viewFor(git.base);
    const headRuns = catalog.runs.filter((r) => r.scope === 'branch');
    const baseRuns = rescope(catalog, baseView).runs.filter((r) => r.scope === 'branch' || r.scope === 'base');
    const headRunIds = new Set(headRuns.map((r) => r.key));
    const models = catalog.models.filter((m) => (m.run && headRunIds.has(`${m.store}#${m.run}`)) || (m.commit && git.branchCommits.has(m.commit)));
    return diffBranches({
      base: { ref: git.base, commit: baseView.head, runs: baseRuns },
      head: { ref: headRef, commit: git.head, runs: headRuns },
      metrics: options.metrics,
      directions: options.directions,
      datasets: catalog.datasets,
      models,
      notes,
    });
  } finally {
    service.dispose();
  }
}
