// Text and Markdown renderings of runs, comparisons, branch diffs and gates. Stable ordering, no links:
// fit for a terminal and for a pull-request comment.
import type { ScopedRun } from './catalog';
import type { CheckReport } from './check';
import type { Comparison, MetricCell } from './compare';
import type { BranchDiff } from './diff';
import { formatBytes, formatNumber, shortCommit } from './format';

export type Style = 'text' | 'markdown';

interface Table {
  header: string[];
  rows: string[][];
  /** per column: right-align numbers */
  numeric?: boolean[];
}

export function renderTable({ header, rows, numeric = [] }: Table, style: Style): string[] {
  if (style === 'markdown') {
    const cell = (c: string) => c.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    return [
      `| ${header.map(cell).join(' | ')} |`,
      `|${header.map((_, i) => (numeric[i] ? '---:' : '---')).join('|')}|`,
      ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    ];
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const code = (text: string, style: Style) => (style === 'markdown' ? '`' + text.replace(/`/g, "'") + '`' : text);

export function runsTable(runs: readonly ScopedRun[], metrics: readonly string[], style: Style): string[] {
  return renderTable(
    {
      header: ['run', 'experiment', 'status', 'commit', ...metrics],
      rows: runs.map((r) => [r.name || r.id, r.experiment, r.status.toLowerCase(), shortCommit(r.git.commit) ?? '', ...metrics.map((m) => valueOf(r.metrics[m]?.last))]),
      numeric: [false, false, false, false, ...metrics.map(() => true)],
    },
    style,
  );
}

function valueOf(value: number | undefined): string {
  return value === undefined ? '' : formatNumber(value);
}

const ARROW: Record<string, string> = { better: '▲ better', worse: '▼ worse', same: '= same' };

function deltaText(cell: MetricCell | null): string {
  if (!cell || cell.delta === undefined) return '';
  const sign = cell.delta > 0 ? '+' : cell.delta < 0 ? '−' : '±';
  const relative = cell.relative === undefined ? '' : ` (${sign}${formatNumber(Math.abs(cell.relative * 100))}%)`;
  return `${sign}${formatNumber(Math.abs(cell.delta))}${relative}${cell.verdict ? ` ${ARROW[cell.verdict]}` : ''}`;
}

/** Metrics rows × runs, with each non-baseline run's delta; then the params that differ. */
export function comparisonLines(cmp: Comparison, style: Style, paramsDifferOnly = true): string[] {
  const names = cmp.runs.map((r, i) => `${r.name || r.id}${i === cmp.baseline ? ' (baseline)' : ''}`);
  const others = cmp.runs.map((_, i) => i).filter((i) => i !== cmp.baseline);
  const metrics = renderTable(
    {
      header: ['metric', ...names, ...others.map((i) => `Δ ${cmp.runs[i]!.name || cmp.runs[i]!.id}`)],
      rows: cmp.metrics.map((m) => [
        `${m.key}${m.direction === 'min' ? ' ↓' : m.direction === 'max' ? ' ↑' : ''}`,
        ...m.cells.map((c) => valueOf(c?.last)),
        ...others.map((i) => deltaText(m.cells[i] ?? null)),
      ]),
      numeric: [false, ...names.map(() => true), ...others.map(() => true)],
    },
    style,
  );
  const params = cmp.params.filter((p) => !paramsDifferOnly || p.differs);
  const lines = [...metrics];
  if (params.length > 0) {
    lines.push('', ...renderTable({ header: ['param', ...names], rows: params.map((p) => [p.key, ...p.values.map((v) => v ?? '—')]) }, style));
  } else if (cmp.params.length > 0) {
    lines.push('', 'Params: identical.');
  }
  return lines;
}

export function diffLines(diff: BranchDiff, style: Style): string[] {
  const md = style === 'markdown';
  const ref = (side: BranchDiff['head']) => `${code(side.ref, style)}${side.commit ? ` @ ${code(shortCommit(side.commit)!, style)}` : ''}`;
  const lines = [md ? `### Runlens: ${ref(diff.head)} vs ${ref(diff.base)}` : `Runlens: ${ref(diff.head)} vs ${ref(diff.base)}`, ''];
  const runLabel = (run: BranchDiff['headRun']) => (run ? `${code(run.name || run.id, style)}${run.git.commit ? ` (${code(shortCommit(run.git.commit)!, style)})` : ''}` : 'none');
  lines.push(`Best run by ${diff.metric ? code(diff.metric, style) : '(no metric with a known direction)'}: ${runLabel(diff.headRun)} of ${diff.headRunCount} on ${code(diff.head.ref, style)}, against ${runLabel(diff.baseRun)} of ${diff.baseRunCount} on ${code(diff.base.ref, style)}.`, '');
  if (diff.comparison) lines.push(...comparisonLines(diff.comparison, style));
  else lines.push('No comparison: ' + (diff.headRun ? `no run on ${diff.base.ref} has ${diff.metric}.` : `no run on ${diff.head.ref} has ${diff.metric ?? 'a ranked metric'}.`));
  if (diff.datasets.length > 0) {
    lines.push('', md ? '**Datasets changed on this branch**' : 'Datasets changed on this branch:', '');
    lines.push(...renderTable({ header: ['dataset', 'version', 'size'], rows: diff.datasets.map((d) => [d.path ?? d.name, d.digest.slice(0, 8), d.size === undefined ? '' : formatBytes(d.size)]) }, style));
  }
  if (diff.models.length > 0) {
    lines.push('', md ? '**Model versions from this branch**' : 'Model versions from this branch:', '');
    lines.push(...renderTable({ header: ['model', 'version', 'stages', 'aliases'], rows: diff.models.map((m) => [m.model, m.version, m.stages.join(', '), m.aliases.join(', ')]) }, style));
  }
  for (const note of diff.notes) lines.push('', md ? `> ${note}` : `note: ${note}`);
  return lines;
}

export function checkLines(report: CheckReport, style: Style): string[] {
  const mark = { pass: 'PASS', fail: 'FAIL', missing: 'MISSING' } as const;
  return [
    ...report.results.map((r) => (style === 'markdown' ? `- **${mark[r.status]}** ${r.message}` : `${mark[r.status].padEnd(7)}  ${r.message}`)),
    '',
    report.ok ? 'All gates hold.' : `${report.results.filter((r) => r.status !== 'pass').length} of ${report.results.length} gates do not hold.`,
  ];
}
