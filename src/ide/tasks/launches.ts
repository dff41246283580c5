// Every `runlens` task that starts is a launch: Runlens records it (commit, branch, dirty state, command,
// params, time, working folder) in the editor's workspace storage, shows it in the status bar while it runs,
// claims the runs that appear meanwhile, hands the records to each folder's service (which links runs
// without a commit of their own), and when it ends says how it went and offers to compare the new run with
// the best earlier one.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { primaryMetricKey } from '../../core/catalog';
import { appearedDuring, launchResult, LaunchRecord } from '../../core/launch';
import { headCommit, isDirty } from '../../git';
import { gitIn } from '../../git/run';
import { FULL_REFRESH } from '../../service/folder';
import { primaryMetric } from '../config';
import { Disposable } from '../lifecycle';
import type { RunlensModel } from '../model';
import type { FolderWorkspace } from '../workspace';
import { trackingStoreOf } from './folder-specs';
import { specId } from './spec';
import { isRunlensTask, type RunlensTaskDefinition } from './task';

const STORAGE_KEY = 'runlens.launches';
/** Records kept per workspace; older ones are dropped (their runs keep whatever commit they were given). */
const MAX_RECORDS = 200;

interface Active {
  record: Promise<LaunchRecord>;
  workspace: FolderWorkspace;
  status: vscode.StatusBarItem;
}

export class LaunchTracker extends Disposable {
  private records: LaunchRecord[];
  private readonly active = new Map<vscode.TaskExecution, Active>();
  private knownRuns: Set<string>;
  private readonly linked = new WeakSet<FolderWorkspace>();

  constructor(
    private readonly model: RunlensModel,
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    const stored = LaunchRecord.array().safeParse(memento.get(STORAGE_KEY, []));
    this.records = stored.success ? stored.data : [];
    this.knownRuns = this.runKeys();
    this.register(vscode.tasks.onDidStartTaskProcess((event) => this.started(event.execution, event.processId)));
    this.register(vscode.tasks.onDidEndTaskProcess((event) => void this.ended(event.execution, event.exitCode)));
    this.register(model.onDidChange(() => this.catalogChanged()));
    this.register({ dispose: () => this.active.forEach(({ status }) => status.dispose()) });
    this.catalogChanged();
  }

  recordsOf(workspace: FolderWorkspace): LaunchRecord[] {
    return this.records.filter((record) => record.folder === workspace.folder.uri.fsPath);
  }

  private runKeys(): Set<string> {
    return new Set(this.model.allRuns().map(({ run }) => run.key));
  }

  private workspaceOf(execution: vscode.TaskExecution): FolderWorkspace | undefined {
    const scope = execution.task.scope;
    return typeof scope === 'object' ? this.model.workspaces.find((ws) => ws.folder.uri.toString() === scope.uri.toString()) : this.model.workspaces[0];
  }

  private started(execution: vscode.TaskExecution, pid: number): void {
    const task = execution.task;
    const workspace = this.workspaceOf(execution);
    if (!isRunlensTask(task) || !workspace || !(task.execution instanceof vscode.ProcessExecution)) return;
    const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
    status.text = `$(sync~spin) ${task.name}`;
    status.tooltip = `Runlens: ${task.name} is running (pid ${pid}). Click to stop a task.`;
    status.command = 'workbench.action.tasks.terminate';
    status.show();
    // Registered before anything is awaited: a short task may end before its record is written.
    this.active.set(execution, { record: this.record(task, task.execution, workspace), workspace, status });
  }

  private async record(task: vscode.Task, execution: vscode.ProcessExecution, workspace: FolderWorkspace): Promise<LaunchRecord> {
    const startTime = Date.now();
    const definition = task.definition as RunlensTaskDefinition;
    const folder = workspace.folder.uri.fsPath;
    const cwd = execution.options?.cwd ?? folder;
    const [commit, branch, dirty, store] = await Promise.all([headCommit(folder), gitIn(folder)?.('symbolic-ref', '--short', '-q', 'HEAD'), isDirty(folder), trackingStoreOf(workspace, cwd)]);
    const record: LaunchRecord = {
      id: randomUUID(),
      folder,
      kind: definition.kind,
      spec: specId(definition.kind, definition.project, definition.name),
      label: task.name,
      command: [execution.process, ...execution.args],
      params: definition.params ?? {},
      cwd,
      trackingStore: store?.location,
      commit,
      branch: branch || undefined,
      dirty,
      startTime,
      runs: [],
    };
    this.log.info(`launched ${task.name} in ${cwd} at ${commit ?? 'no commit'}${dirty ? ' (dirty)' : ''}: ${record.command.join(' ')}`);
    await this.save(record);
    return record;
  }

  private async ended(execution: vscode.TaskExecution, exitCode: number | undefined): Promise<void> {
    const launch = this.active.get(execution);
    if (!launch) return;
    this.active.delete(execution);
    launch.status.dispose();
    const record = await launch.record;
    const { workspace } = launch;
    record.endTime = Date.now();
    record.exitCode = exitCode;
    this.log.info(`${record.label} ended with exit code ${exitCode ?? '(none: stopped)'}`);
    await this.save(record);
    await workspace.refresh(FULL_REFRESH);
    const runs = workspace.catalog?.runs ?? [];
    const result = record.kind === 'deploy' ? {} : launchResult(record, runs, (run) => primaryMetricKey(run, primaryMetric()), Date.now());
    await this.report(record, result.run?.key, result.best?.key);
  }

  private async report(record: LaunchRecord, run: string | undefined, best: string | undefined): Promise<void> {
    const COMPARE = 'Compare with Previous Best';
    const REVEAL = 'Reveal Run';
    const actions = [...(run && best ? [COMPARE] : []), ...(run ? [REVEAL] : [])];
    const message = record.exitCode === undefined
      ? `Runlens: ${record.label} was stopped (no exit code).`
      : `Runlens: ${record.label} ${record.exitCode === 0 ? 'finished' : 'failed'} with exit code ${record.exitCode}.`;
    const show = record.exitCode === 0 || record.exitCode === undefined ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const choice = await show(message, ...actions);
    if (choice === COMPARE) await vscode.commands.executeCommand('runlens.compareRuns', [run, best]);
    if (choice === REVEAL) await vscode.commands.executeCommand('runlens.revealRun', run);
  }

  /** New runs that appeared where a running (or just ended) launch writes belong to it. */
  private catalogChanged(): void {
    const now = Date.now();
    const current = this.runKeys();
    const changed = new Set<LaunchRecord>();
    for (const { workspace, run } of this.model.allRuns()) {
      if (this.knownRuns.has(run.key)) continue;
      const owner = this.records
        .filter((record) => record.folder === workspace.folder.uri.fsPath && appearedDuring(run, record, now))
        .sort((a, b) => b.startTime - a.startTime)[0];
      if (!owner) continue;
      owner.runs.push(run.key);
      changed.add(owner);
      this.log.info(`run ${run.name} (${run.key}) belongs to launch ${owner.label}`);
    }
    this.knownRuns = current;
    for (const record of changed) void this.save(record);
    for (const workspace of this.model.workspaces) {
      if (this.linked.has(workspace)) continue;
      this.linked.add(workspace);
      this.push(workspace);
    }
  }

  private async save(record: LaunchRecord): Promise<void> {
    const others = this.records.filter((r) => r.id !== record.id);
    const mine = others.filter((r) => r.folder === record.folder);
    const dropped = new Set(mine.slice(0, Math.max(0, mine.length + 1 - MAX_RECORDS)));
    this.records = [...others.filter((r) => !dropped.has(r)), record];
    await this.memento.update(STORAGE_KEY, this.records);
    const workspace = this.model.workspaces.find((ws) => ws.folder.uri.fsPath === record.folder);
    if (workspace) this.push(workspace);
  }

  /** Gives a folder's service its records and has the catalog rebuilt with them. */
  private push(workspace: FolderWorkspace): void {
    workspace.service.setLaunchRecords(this.recordsOf(workspace));
    void workspace.refresh({ rediscover: false, git: false, changed: new Set() });
  }
}
