import { primaryMetricKey, ScanReport, visibleRuns } from '../../core/catalog';
import { formatNumber, shortCommit } from '../../core/format';
import { renderTable } from '../../core/report';
import { scopeLabel } from '../../core/scope';
import { COMMON_HELP, COMMON_OPTIONS, json, openFolder, parse } from '../options';
import type { Command } from './command';

const SCOPES = ['branch', 'base', 'unlinked', 'other'] as const;

const read = (args: string[]) =>
  parse(args, { ...COMMON_OPTIONS, 'all-branches': { type: 'boolean' }, base: { type: 'string' }, metric: { type: 'string' } }, { max: 1, name: 'folder' });

export const scan: Command = {
  name: 'scan',
  summary: 'everything the folder tracks: runs, model versions, datasets, problems',
  usage: `runlens scan [folder] [--json] [--all-branches] [--base <branch>] [--metric <key>]

  --all-branches          include runs of other branches and of commits unknown to this clone
  --base <branch>         base branch for scoping (default: origin/HEAD, main, master)
  --metric <key>          metric shown in the table (default: each run's first metric)
${COMMON_HELP}`,
  parse: read,
  async run(args, io) {
    const { values, positionals } = read(args);
    const { service, catalog } = await openFolder(io, positionals[0], values, { baseBranch: values.base });
    service.dispose();
    const report = ScanReport.parse({
      runs: visibleRuns(catalog, values['all-branches'] ?? false),
      models: catalog.models,
      datasets: catalog.datasets,
      diagnostics: catalog.diagnostics,
    });
    if (values.json) {
      io.out(json(report));
      return 0;
    }
    const git = catalog.git;
    const lines = [git.isRepo ? `branch ${git.branch ?? '(detached)'}${git.base ? `, base ${git.base}` : ''}` : 'not a git repository: runs are not scoped to a branch'];
    for (const scope of SCOPES) {
      const runs = report.runs.filter((r) => r.scope === scope);
      if (runs.length === 0) continue;
      const rows = runs.map((run) => {
        const key = primaryMetricKey(run, values.metric);
        const metric = key ? run.metrics[key] : undefined;
        return [run.experiment, run.name, run.status.toLowerCase(), metric ? `${key}=${formatNumber(metric.last)}` : '', shortCommit(run.git.commit) ?? ''];
      });
      lines.push('', `${scopeLabel(scope, git)} (${runs.length})`, ...renderTable({ header: ['experiment', 'run', 'status', 'metric', 'commit'], rows }, 'text'));
    }
    if (report.runs.length === 0) lines.push('', 'No runs found.');
    if (report.models.length > 0) {
      const rows = report.models.map((m) => [m.model, m.version, m.stages.join(','), m.aliases.join(','), m.run ?? '']);
      lines.push('', `Models (${report.models.length} versions)`, ...renderTable({ header: ['model', 'version', 'stages', 'aliases', 'run'], rows }, 'text'));
    }
    if (report.datasets.length > 0) {
      const rows = report.datasets.map((d) => [d.name, d.digest.slice(0, 12), d.sourceUri ?? d.path ?? '', String(d.runs.length)]);
      lines.push('', `Datasets (${report.datasets.length})`, ...renderTable({ header: ['name', 'digest', 'source', 'runs'], rows }, 'text'));
    }
    io.out(lines.join('\n') + '\n');
    return 0;
  },
};
