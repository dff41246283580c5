// A DVC project as a tracking store. Runs: the working tree ("workspace"), each commit of HEAD's history
// that changed params, metrics or `dvc.lock` (a committed `dvc repro`: metrics are often DVC outputs that
// git never sees, but the lock file records every reproduction), and each experiment under `refs/exps`.
// Datasets: every out of `dvc.lock` and of `*.dvc` files. Commits never change, so what was read at a
// commit is kept; a re-scan reads only commits it has not seen, plus the working tree's changed files.
import { basename, dirname } from 'node:path';
import { emptyScan, type Diagnostic, type MetricPoint, type Run, type ScanResult } from '../../core/model';
import type { GitView } from '../../core/scope';
import type { ScanOptions, ScanStats, TrackingStore } from '../../core/source';
import { commitsTouching, isDirty, listRefs, listWorkingFiles, readFilesAt, readGitView, type FilesAt } from '../../git';
import { FileCache, ScanContext } from '../shared/files';
import { statusFromWrites } from '../shared/run-folders';
import { digests, LOCK_FILE, readTrackedData, toDatasets } from './datasets';
import { emptyPipeline, parsePipeline, type Pipeline } from './pipeline';
import { absolutePath, CommitRevision, loadText, WorkspaceRevision, type Revision } from './revision';
import { dataPaths, readRunData, readSeries, type Problem, type RunData, type SeriesSource } from './run-data';

export const PIPELINE_FILE = 'dvc.yaml';
export const WORKSPACE = 'workspace';
/** How far back HEAD's history is read for runs. */
export const MAX_COMMIT_RUNS = 200;
/** `refs/exps/<2 hex>/<38 hex>/<name>`: the baseline commit split as git objects are, then the experiment's name. */
const EXPERIMENT_REF = /^refs\/exps\/([0-9a-f]{2})\/([0-9a-f]{38})\/(.+)$/;

/** The project root of a store location: the folder holding `.dvc/`, given as itself or as its `.dvc` folder. */
export function projectRoot(location: string): string {
  return basename(location) === '.dvc' ? dirname(location) : location;
}

/** The pipeline a revision declares; an unreadable dvc.yaml is a problem, and the defaults stand in for it. */
async function pipelineAt(revision: Revision): Promise<{ pipeline: Pipeline; problems: Problem[] }> {
  try {
    const text = await revision.read(PIPELINE_FILE);
    return { pipeline: text === undefined ? emptyPipeline() : parsePipeline(text), problems: [] };
  } catch (error) {
    return { pipeline: emptyPipeline(), problems: [{ path: PIPELINE_FILE, message: (error as Error).message }] };
  }
}

/** What loadSeries needs of a run the last scan listed. */
interface RunSeries {
  /** WORKSPACE or a commit sha */
  revision: string;
  time: number;
  series: Map<string, SeriesSource>;
}

interface CommitRun {
  sha: string;
  time: number;
  data: RunData;
}

export class DvcStore implements TrackingStore {
  readonly kind = 'dvc';
  readonly gitBacked = true;
  lastScanStats: ScanStats = { filesRead: 0, bytesRead: 0 };
  private readonly root: string;
  readonly watchRoot: string;
  private readonly texts = new FileCache<string>(loadText);
  /** what each commit (history or experiment) holds, by sha */
  private commits = new Map<string, CommitRun>();
  private base: { sha: string; digests: Map<string, string | undefined> } | undefined;
  private runSeries = new Map<string, RunSeries>();

  constructor(readonly location: string) {
    this.root = projectRoot(location);
    this.watchRoot = this.root;
  }

  /**
   * The working tree's files are checked by size and mtime on every scan (`changedPaths` is not used: the
   * store's files lie beside its location, not below it), git history only for commits not seen before.
   */
  async scan(options?: ScanOptions): Promise<ScanResult> {
    const context = new ScanContext();
    const result = emptyScan();
    const view = options?.git ?? (await readGitView(this.root));
    const workspace = new WorkspaceRevision(this.root, this.texts, context);
    const { pipeline, problems } = await pipelineAt(workspace);
    this.report(problems, undefined, result.diagnostics);
    const now = Date.now();
    const runs: Run[] = [];
    const series = new Map<string, RunSeries>();
    const workspaceData = await readRunData(workspace, pipeline, now);
    this.report(workspaceData.problems, undefined, result.diagnostics);
    // A checkout rewrites the pipeline's files too: only a working tree with uncommitted changes that are
    // still being written counts as a run in progress (`dvc exp run` rewrites dvc.lock, params, metrics).
    const dirty = view.head ? await isDirty(this.root) : undefined;
    runs.push(this.toRun(WORKSPACE, WORKSPACE, workspaceData, {
      status: dirty !== false && workspace.latestWrite > 0 ? statusFromWrites(workspace.latestWrite, now) : 'FINISHED',
      git: view.head ? { commit: view.head, branch: view.branch, dirty } : {},
    }));
    series.set(WORKSPACE, { revision: WORKSPACE, time: now, series: workspaceData.series });

    // `*.dvc` files are found through git's index and ignore rules; a project outside git has only dvc.lock.
    const dvcFiles = view.isRepo ? ((await listWorkingFiles(this.root, '*.dvc')) ?? []) : [];
    const tracked = await readTrackedData(workspace, dvcFiles);
    this.report(tracked.problems, undefined, result.diagnostics);
    if (view.isRepo && view.head) {
      runs.push(...(await this.historyRuns(pipeline, context, series, result.diagnostics)));
      await this.readBase(view, context);
    }
    this.texts.sweep();
    this.runSeries = series;
    result.runs = runs;
    result.datasets = toDatasets(tracked, pipeline.stages, view.mergeBase ? this.base?.digests : undefined, this.location);
    const name = basename(this.root);
    result.experiments.push({ id: name, name, source: 'dvc', store: this.location, deleted: false });
    this.lastScanStats = context.stats;
    return result;
  }

  async loadSeries(runId: string, key: string): Promise<{ points: MetricPoint[]; diagnostics: Diagnostic[] }> {
    const run = this.runSeries.get(runId);
    const source = run?.series.get(key);
    if (!run || !source) return { points: [], diagnostics: [{ file: this.location, message: `no series ${key} of run ${runId}`, severity: 'error' }] };
    try {
      const revision: Revision =
        run.revision === WORKSPACE
          ? new WorkspaceRevision(this.root, this.texts, new ScanContext())
          : new CommitRevision((await readFilesAt(this.root, [run.revision], [source.file])).get(run.revision) ?? new Map());
      return { points: await readSeries(revision, source, run.time), diagnostics: [] };
    } catch (error) {
      return { points: [], diagnostics: [{ file: absolutePath(this.root, source.file), message: `cannot load ${key}: ${(error as Error).message}`, severity: 'error' }] };
    }
  }

  dispose(): void {
    this.texts.sweep();
    this.commits.clear();
    this.runSeries.clear();
  }

  /** Commit runs of HEAD's history, then experiments; reads only the commits not seen before. */
  private async historyRuns(pipeline: Pipeline, context: ScanContext, series: Map<string, RunSeries>, diagnostics: Diagnostic[]): Promise<Run[]> {
    const [history, refs] = await Promise.all([
      commitsTouching(this.root, [...dataPaths(pipeline), LOCK_FILE], MAX_COMMIT_RUNS),
      listRefs(this.root, 'refs/exps'),
    ]);
    const experiments = refs.flatMap((ref) => {
      const match = EXPERIMENT_REF.exec(ref.ref);
      return match ? [{ ...ref, baseline: match[1]! + match[2]!, name: match[3]! }] : [];
    });
    await this.readCommits([...history, ...experiments.map((e) => ({ sha: e.commit, time: e.time }))], context);
    const runs: Run[] = [];
    const add = (commit: CommitRun, id: string, name: string, fields: Partial<Run>) => {
      this.report(commit.data.problems, commit.sha, diagnostics);
      runs.push(this.toRun(id, name, commit.data, { startTime: commit.time, ...fields }));
      series.set(id, { revision: commit.sha, time: commit.time, series: commit.data.series });
    };
    for (const info of history) add(this.commits.get(info.sha)!, info.sha, `${info.sha.slice(0, 7)} ${info.subject}`, { git: { commit: info.sha } });
    for (const exp of experiments) {
      add(this.commits.get(exp.commit)!, exp.commit, exp.name, {
        git: { commit: exp.baseline },
        tags: { 'dvc.exp.name': exp.name, 'dvc.exp.ref': exp.ref, 'dvc.exp.baseline': exp.baseline, 'dvc.exp.commit': exp.commit },
      });
    }
    const listed = new Set([...history.map((h) => h.sha), ...experiments.map((e) => e.commit)]);
    for (const sha of this.commits.keys()) if (!listed.has(sha)) this.commits.delete(sha);
    return runs;
  }

  /** Reads the commits not read before: each one's dvc.yaml first, then the files it names, in two git calls. */
  private async readCommits(commits: readonly { sha: string; time: number }[], context: ScanContext): Promise<void> {
    const fresh = [...new Map(commits.filter((c) => !this.commits.has(c.sha)).map((c) => [c.sha, c])).values()];
    if (fresh.length === 0) return;
    const shas = fresh.map((c) => c.sha);
    const pipelineFiles = this.counted(await readFilesAt(this.root, shas, [PIPELINE_FILE]), context);
    const pipelines = new Map<string, { pipeline: Pipeline; problems: Problem[] }>();
    for (const sha of shas) pipelines.set(sha, await pipelineAt(new CommitRevision(pipelineFiles.get(sha) ?? new Map())));
    const pathspecs = [...new Set([...pipelines.values()].flatMap((p) => dataPaths(p.pipeline)))];
    const files = this.counted(await readFilesAt(this.root, shas, pathspecs), context);
    for (const { sha, time } of fresh) {
      const { pipeline, problems } = pipelines.get(sha)!;
      const data = await readRunData(new CommitRevision(files.get(sha) ?? new Map()), pipeline, time);
      data.problems.unshift(...problems);
      this.commits.set(sha, { sha, time, data });
    }
  }

  /** The digests of tracked data at the merge-base, read once per merge-base. */
  private async readBase(view: GitView, context: ScanContext): Promise<void> {
    const sha = view.mergeBase;
    if (!sha || this.base?.sha === sha) return;
    const files = this.counted(await readFilesAt(this.root, [sha], [LOCK_FILE, '*.dvc']), context).get(sha) ?? new Map<string, string>();
    const tracked = await readTrackedData(new CommitRevision(files), [...files.keys()].filter((f) => f.endsWith('.dvc')));
    this.base = { sha, digests: digests(tracked) };
  }

  private counted(files: FilesAt, context: ScanContext): FilesAt {
    for (const byPath of files.values()) {
      for (const text of byPath.values()) {
        context.stats.filesRead++;
        context.stats.bytesRead += Buffer.byteLength(text);
      }
    }
    return files;
  }

  /** Problems as diagnostics: errors in the working tree, warnings in history (it cannot be fixed, only noted). */
  private report(problems: readonly Problem[], commit: string | undefined, diagnostics: Diagnostic[]): void {
    for (const { path, message } of problems) {
      diagnostics.push({
        file: absolutePath(this.root, path),
        message: commit ? `at commit ${commit.slice(0, 7)}: ${message}` : message,
        severity: commit ? 'warning' : 'error',
      });
    }
  }

  private toRun(id: string, name: string, data: RunData, fields: Partial<Run>): Run {
    const experiment = basename(this.root);
    return {
      id, name, experiment, experimentId: experiment, status: 'FINISHED', params: data.params, tags: {}, metrics: data.metrics,
      git: {}, ...fields, source: 'dvc', store: this.location, path: this.root, deleted: false,
    };
  }
}
