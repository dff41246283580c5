import { CheckReport, evaluateGates, parseDrop, type Gate } from '../../core/check';
import { checkLines } from '../../core/report';
import { COMMON_HELP, COMMON_OPTIONS, DataError, directions, json, outputStyle, parse, UsageError } from '../options';
import { branchDiff } from './diff';
import type { Command } from './command';

const OPTIONS = {
  ...COMMON_OPTIONS,
  metric: { type: 'string', multiple: true },
  'max-drop': { type: 'string', multiple: true },
  min: { type: 'string', multiple: true },
  max: { type: 'string', multiple: true },
  base: { type: 'string' },
  head: { type: 'string' },
  markdown: { type: 'boolean' },
} as const;

/** The parsed command line and its gates, in command-line order. */
function read(args: string[]) {
  const parsed = parse(args, OPTIONS, { max: 1, name: 'folder' });
  return { ...parsed, gates: gatesFrom(parsed.tokens) };
}

export const check: Command = {
  name: 'check',
  summary: 'a CI gate: exit 0 when the metrics hold, 1 when not, 2 when data is missing',
  usage: `runlens check --metric <key> [--max-drop <x>|--min <y>|--max <y>]... [--base <branch>] [--head <rev>] [folder]

  --metric <key>          a metric to gate; the bounds after it apply to it (repeatable).
                          The branch's best run by the first metric is the one checked.
  --max-drop <x>          at most this much worse than the base's best run: absolute (0.01) or
                          relative to the base value (2%); the metric's direction says what worse is
  --min <y>, --max <y>    fixed bounds on the branch's value
  --base <branch>         the base branch (default: origin/HEAD, main, master)
  --head <rev>            the branch or commit to check (default: HEAD)
  --markdown              Markdown output
${COMMON_HELP}

Exit codes: 0 every gate holds; 1 a gate does not hold (why is printed); 2 usage or data errors (what is
missing is printed).`,
  parse: read,
  async run(args, io) {
    const { values, positionals, gates } = read(args);
    const style = outputStyle(values);
    const metrics = [...new Set(gates.map((g) => g.metric))];
    const result = await branchDiff(io, { ...values, folder: positionals[0], base: values.base, head: values.head, metrics, directions: directions(values) });
    const report = CheckReport.parse(evaluateGates(gates, result.headRun, result.baseRun, directions(values)));
    io.out(style === 'json' ? json(report) : checkLines(report, style).join('\n') + '\n');
    const missing = report.results.filter((r) => r.status === 'missing');
    if (missing.length > 0) throw new DataError(missing.map((r) => r.message).concat(result.notes).join('\n'));
    for (const note of result.notes) io.err(`note: ${note}\n`);
    return report.ok ? 0 : 1;
  },
};

type Token = ReturnType<typeof parse>['tokens'][number];

/** Gates in command-line order: each bound belongs to the --metric before it. */
export function gatesFrom(tokens: readonly Token[]): Gate[] {
  const gates: Gate[] = [];
  let metric: string | undefined;
  let bounded = true;
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (token.name === 'metric') {
      if (!bounded) throw new UsageError(`--metric ${metric} has no --max-drop, --min or --max after it`);
      metric = token.value;
      bounded = false;
      continue;
    }
    if (!['max-drop', 'min', 'max'].includes(token.name)) continue;
    if (!metric) throw new UsageError(`--${token.name} must follow the --metric it applies to`);
    bounded = true;
    if (token.name === 'max-drop') {
      const drop = parseDrop(token.value);
      if (!drop) throw new UsageError(`--max-drop takes a non-negative number or a percentage, got "${token.value}"`);
      gates.push({ kind: 'max-drop', metric, ...drop });
    } else {
      const bound = Number(token.value);
      if (token.value.trim() === '' || !Number.isFinite(bound)) throw new UsageError(`--${token.name} takes a number, got "${token.value}"`);
      gates.push({ kind: token.name as 'min' | 'max', metric, bound });
    }
  }
  if (!metric) throw new UsageError('check needs at least one --metric with a bound');
  if (!bounded) throw new UsageError(`--metric ${metric} has no --max-drop, --min or --max after it`);
  return gates;
}
