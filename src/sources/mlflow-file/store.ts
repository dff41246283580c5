// An opened `mlruns/` store: incremental scans over a cached tree, series loaded on demand.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic, MetricPoint, ScanResult } from '../../core/model';
import type { ScanOptions, ScanStats, TrackingStore } from '../../core/source';
import { assemble } from './assemble';
import { newExperiment, refreshExperimentPath, syncExperiment, type ExperimentNode } from './experiments';
import { Breather, FileReader, type Problem } from './files';
import { META, revisitFolder } from './file-set';
import { readSeries } from './metric-file';
import { newModel, refreshModelPath, syncModel, type ModelNode } from './registry';

const TRASH = '.trash';
const MODELS = 'models';

/** A single path segment: what run ids and metric key parts must be to stay inside the store. */
const isSegment = (name: string): boolean => name !== '' && name !== '.' && name !== '..' && !/[/\\]/.test(name);
const isNonEmpty = (parts: string[]): parts is [string, ...string[]] => parts.length > 0;

export class MlflowFileStore implements TrackingStore {
  readonly kind = 'mlflow-file' as const;
  lastScanStats: ScanStats = { filesRead: 0, bytesRead: 0 };
  /** experiments by folder path (active ones and those in `.trash/`) */
  private readonly experiments = new Map<string, ExperimentNode>();
  private readonly models = new Map<string, ModelNode>();
  /** folders of the store itself that could not be listed */
  private readonly problems = new Map<string, Problem>();
  private synced = false;
  /** scans run one after the other: they share the cache */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly location: string) {}

  private get trashDir(): string {
    return join(this.location, TRASH);
  }

  private get modelsDir(): string {
    return join(this.location, MODELS);
  }

  scan(options: ScanOptions = {}): Promise<ScanResult> {
    const result = this.queue.then(() => this.runScan(options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  async loadSeries(runId: string, key: string): Promise<{ points: MetricPoint[]; diagnostics: Diagnostic[] }> {
    const runDir = isSegment(runId) ? this.findRun(runId) : undefined;
    if (!runDir) return { points: [], diagnostics: [{ file: this.location, message: `no run ${JSON.stringify(runId)} in this store`, severity: 'error' }] };
    const parts = key.split('/');
    if (!parts.every(isSegment)) return { points: [], diagnostics: [{ file: join(runDir, 'metrics'), message: `invalid metric key ${JSON.stringify(key)}`, severity: 'error' }] };
    const path = join(runDir, 'metrics', ...parts);
    const { points, problem } = readSeries(new FileReader(), path);
    return { points, diagnostics: problem ? [{ file: path, ...problem }] : [] };
  }

  dispose(): void {
    this.experiments.clear();
    this.models.clear();
    this.synced = false;
  }

  private async runScan(options: ScanOptions): Promise<ScanResult> {
    const io = new FileReader();
    const breather = new Breather();
    try {
      if (options.changedPaths && this.synced) {
        for (const path of options.changedPaths) {
          if (await this.applyChange(io, breather, resolve(path))) break;
        }
      } else {
        await this.syncAll(io, breather);
      }
      this.synced = true;
    } catch (error) {
      // a fence for the unforeseen: the scan still returns what it has, and says why it is incomplete
      this.problems.set(this.location, { message: `scan stopped early: ${(error as Error).message}`, severity: 'error' });
    }
    this.lastScanStats = io.stats;
    const tree = { location: this.location, experiments: this.experiments.values(), models: this.models.values(), problems: this.problems };
    return assemble(tree, options.includeDeleted ?? false);
  }

  /** Subfolder names of `dir`; a folder that cannot be listed is recorded as a problem (a missing one is empty). */
  private folders(io: FileReader, dir: string): string[] {
    const listing = io.list(dir);
    if (listing.ok) return listing.value.filter((entry) => io.isFolder(dir, entry)).map((entry) => entry.name);
    if (!listing.missing || dir === this.location) this.problems.set(dir, { message: `cannot list folder: ${listing.message}`, severity: 'error' });
    return [];
  }

  private async syncAll(io: FileReader, breather: Breather): Promise<void> {
    this.problems.clear();
    const seen = new Set<string>();
    const sync = async (dir: string, id: string, trashed: boolean) => {
      seen.add(dir);
      await this.syncExperimentAt(io, breather, dir, id, trashed);
    };
    const top = this.folders(io, this.location);
    for (const name of top) if (!name.startsWith('.') && name !== MODELS) await sync(join(this.location, name), name, false);
    for (const name of this.folders(io, this.trashDir)) await sync(join(this.trashDir, name), name, true);
    for (const dir of this.experiments.keys()) if (!seen.has(dir)) this.experiments.delete(dir);
    this.syncRegistry(io);
  }

  private async syncExperimentAt(io: FileReader, breather: Breather, dir: string, id: string, trashed: boolean): Promise<void> {
    const experiment = this.experiments.get(dir) ?? newExperiment(dir, id, trashed);
    this.experiments.set(dir, experiment);
    await syncExperiment(io, breather, experiment);
  }

  private syncRegistry(io: FileReader): void {
    const names = this.folders(io, this.modelsDir).filter((name) => !name.startsWith('.'));
    for (const name of this.models.keys()) if (!names.includes(name)) this.models.delete(name);
    for (const name of names) {
      const model = this.models.get(name) ?? newModel(join(this.modelsDir, name), name);
      this.models.set(name, model);
      syncModel(io, model);
    }
  }

  /** Revisits one changed path; true when that meant re-reading the whole store. */
  private async applyChange(io: FileReader, breather: Breather, path: string): Promise<boolean> {
    const rel = relative(this.location, path);
    if (rel === '') {
      await this.syncAll(io, breather);
      return true;
    }
    if (rel.startsWith('..') || isAbsolute(rel)) return false;
    const [top, ...below] = rel.split(sep) as [string, ...string[]];
    if (top === MODELS) this.refreshRegistryPath(io, below, path);
    else if (top === TRASH) await this.refreshTrashPath(io, breather, below, path);
    else if (!top.startsWith('.')) await this.refreshExperimentAt(io, breather, top, false, below, path);
    return false;
  }

  private async refreshTrashPath(io: FileReader, breather: Breather, below: string[], path: string): Promise<void> {
    const [id, ...rest] = below;
    if (id !== undefined) return this.refreshExperimentAt(io, breather, id, true, rest, path);
    const ids = this.folders(io, this.trashDir);
    for (const experiment of this.experiments.values()) if (experiment.trashed && !ids.includes(experiment.id)) this.experiments.delete(experiment.dir);
    for (const trashed of ids) await this.syncExperimentAt(io, breather, join(this.trashDir, trashed), trashed, true);
  }

  private async refreshExperimentAt(io: FileReader, breather: Breather, id: string, trashed: boolean, parts: string[], path: string): Promise<void> {
    const dir = join(trashed ? this.trashDir : this.location, id);
    const known = this.experiments.get(dir);
    if (known && isNonEmpty(parts)) return refreshExperimentPath(io, breather, known, parts, path);
    await revisitFolder(io, this.experiments, dir, dir, () => newExperiment(dir, id, trashed), (experiment) => syncExperiment(io, breather, experiment));
  }

  private refreshRegistryPath(io: FileReader, below: string[], path: string): void {
    const [name, ...rest] = below;
    if (name === undefined) return this.syncRegistry(io);
    if (name.startsWith('.')) return;
    const dir = join(this.modelsDir, name);
    const known = this.models.get(name);
    if (known && isNonEmpty(rest)) return refreshModelPath(io, known, rest, path);
    revisitFolder(io, this.models, name, dir, () => newModel(dir, name), (model) => syncModel(io, model));
  }

  /** The folder of a run: from the cache, else by looking in every experiment folder (before a first scan). */
  private findRun(runId: string): string | undefined {
    for (const experiment of this.experiments.values()) {
      const run = experiment.runs.get(runId);
      if (run) return run.dir;
    }
    const io = new FileReader();
    const candidates = [
      ...this.folders(io, this.location).map((name) => join(this.location, name, runId)),
      ...this.folders(io, this.trashDir).map((name) => join(this.trashDir, name, runId)),
    ];
    return candidates.find((dir) => {
      const stats = io.stat(join(dir, META));
      return stats.ok && stats.value.isFile();
    });
  }
}
