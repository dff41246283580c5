// A multi-select picker of runs for the palette and the panel's "Add runs": the runs the Experiments view
// shows (this branch and its base, or all branches), the already chosen ones checked.
import * as vscode from 'vscode';
import { primaryMetricKey, visibleRuns, type ScopedRun } from '../../core/catalog';
import { formatNumber, shortCommit } from '../../core/format';
import type { Scope } from '../../core/model';
import { scopeLabel } from '../../core/scope';
import { primaryMetric } from '../config';
import type { RunlensModel } from '../model';

interface RunPick extends vscode.QuickPickItem {
  key: string;
}

const SCOPE_ORDER: Scope[] = ['branch', 'base', 'unlinked', 'other'];

export interface PickRunsOptions {
  title: string;
  /** checked at the start */
  checked?: ReadonlySet<string>;
  /** not offered (already in the comparison) */
  exclude?: ReadonlySet<string>;
}

/** The keys of the runs picked, or undefined when the picker was dismissed or there is nothing to pick. */
export async function pickRuns(model: RunlensModel, options: PickRunsOptions): Promise<string[] | undefined> {
  const configured = primaryMetric();
  const items = model.catalogs().flatMap(({ workspace, catalog }) =>
    visibleRuns(catalog, model.allBranches)
      .filter((run) => !options.exclude?.has(run.key))
      .sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope) || (b.startTime ?? 0) - (a.startTime ?? 0))
      .map((run): RunPick => ({
        label: run.name || run.id,
        description: [metricText(run, configured), run.experiment, model.workspaces.length > 1 ? workspace.folder.name : undefined].filter(Boolean).join(' · '),
        detail: `${scopeLabel(run.scope, catalog.git)}${run.git.commit ? ` · ${shortCommit(run.git.commit)}` : ''} · ${run.status.toLowerCase()} · ${run.id}`,
        picked: options.checked?.has(run.key) ?? false,
        key: run.key,
      })),
  );
  if (items.length === 0) {
    vscode.window.showInformationMessage(options.exclude?.size ? 'Every run in the Experiments view is already in the comparison.' : 'No runs found in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: options.title,
    placeHolder: 'Check the runs to compare',
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked && picked.length > 0 ? picked.map((item) => item.key) : undefined;
}

function metricText(run: ScopedRun, configured: string | undefined): string | undefined {
  const key = primaryMetricKey(run, configured);
  const metric = key ? run.metrics[key] : undefined;
  return metric ? `${key} ${formatNumber(metric.last)}` : undefined;
}
