// W&B run folders: the store is a `wandb/` folder, each `run-<date>_<time>-<id>/` (`offline-run-…` for offline
// runs) a run with id `<id>`. Its `files/` (the folder itself before wandb 0.10) holds `wandb-summary.json`
// (last values: the metrics), `config.yaml` (params) and `wandb-metadata.json` (git commit and remote, host,
// program…). The full history is in the binary `.wandb` file, which is not read: a series is the single summary
// point, unless the run has the `wandb-history.jsonl` older versions wrote.
//
// `latest-run` is W&B's symlink to the newest run and is skipped. A `latest-run` that is a real folder (a copy,
// as in repos that commit their runs) is a run of its own unless another folder holds a run with the same start.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic, Run } from '../../core/model';
import type { FolderEntry, SourceProvider } from '../../core/source';
import { FileCache, isFile, listBounded, readOnce, wholeFile, type ScanContext } from '../shared/files';
import { RunFolderStore, statusFromWrites, type RunRead, type Series } from '../shared/run-folders';
import { historySeries, parseConfig, parseMetadata, parseSummary } from './run-files';

const WANDB_FOLDER = 'wandb';
const RUN_FOLDER = /^(?:offline-)?run-\d{8}_\d{6}-([A-Za-z0-9]+)$/;
const LATEST = 'latest-run';
const SUMMARY_FILE = 'wandb-summary.json';
const CONFIG_FILE = 'config.yaml';
const METADATA_FILE = 'wandb-metadata.json';
const HISTORY_FILE = 'wandb-history.jsonl';

async function hasRuns(dir: string): Promise<boolean> {
  return (await listBounded(dir)).some((entry) => entry.isDirectory() && RUN_FOLDER.test(entry.name));
}

async function filesFolder(runFolder: string): Promise<string> {
  const files = join(runFolder, 'files');
  try {
    return (await stat(files)).isDirectory() ? files : runFolder;
  } catch {
    return runFolder;
  }
}

export class WandbStore extends RunFolderStore {
  readonly kind = 'wandb' as const;
  /** `<project>/wandb`: an offline run does not record its W&B project outside the `.wandb` file */
  protected readonly experimentName = `${basename(dirname(this.location))}/${basename(this.location)}`;
  private readonly summaries = new FileCache(wholeFile((bytes, stamp) => parseSummary(bytes, stamp.mtimeMs)));
  private readonly configs = new FileCache(wholeFile(parseConfig));
  private readonly metadata = new FileCache(wholeFile(parseMetadata));
  protected readonly caches = [this.summaries, this.configs, this.metadata];

  /** Run ids by folder; a resumed run has several folders with one id, the later ones keep their folder name. */
  protected async listRuns(): Promise<Map<string, string>> {
    const runs = new Map<string, string>();
    const entries = (await readdir(this.location, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const id = entry.name === LATEST ? LATEST : RUN_FOLDER.exec(entry.name)?.[1];
      if (id) runs.set(runs.has(id) ? entry.name : id, join(this.location, entry.name));
    }
    return runs;
  }

  protected async readRun(id: string, folder: string, context: ScanContext): Promise<RunRead> {
    const files = await filesFolder(folder);
    const diagnostics: Diagnostic[] = [];
    const [summary, config, metadata] = await Promise.all([
      this.summaries.get(join(files, SUMMARY_FILE), context, diagnostics),
      this.configs.get(join(files, CONFIG_FILE), context, diagnostics),
      this.metadata.get(join(files, METADATA_FILE), context, diagnostics),
    ]);
    const writes = [summary, config, metadata].flatMap((loaded) => (loaded ? [loaded.stamp.mtimeMs] : []));
    const lastWrite = writes.length > 0 ? Math.max(...writes) : (await stat(folder)).mtimeMs;
    const status = statusFromWrites(lastWrite);
    return {
      fields: {
        name: config?.value?.runName ?? id,
        status,
        startTime: metadata?.value?.startTime ?? config?.value?.startTime,
        endTime: status === 'FINISHED' ? (summary?.value?.lastLogTime ?? lastWrite) : undefined,
        params: config?.value?.params ?? {},
        tags: metadata?.value?.tags ?? {},
        metrics: summary?.value?.metrics ?? {},
        git: metadata?.value?.git ?? {},
      },
      diagnostics,
    };
  }

  protected dropDuplicates(runs: Run[]): Run[] {
    const latest = runs.find((run) => run.id === LATEST);
    const duplicate = latest && (latest.startTime === undefined || runs.some((run) => run !== latest && run.startTime === latest.startTime));
    return duplicate ? runs.filter((run) => run !== latest) : runs;
  }

  protected async readSeries(_id: string, folder: string, key: string): Promise<Series> {
    const files = await filesFolder(folder);
    const history = join(files, HISTORY_FILE);
    if (await isFile(history)) {
      const { value, diagnostics } = await readOnce(history, (bytes, mtimeMs) => historySeries(bytes.toString('utf8'), key, mtimeMs));
      if (value?.badLines) diagnostics.push({ file: history, message: `${value.badLines} lines are not JSON objects and were skipped`, severity: 'warning' });
      return { points: value?.points ?? [], diagnostics };
    }
    const { value, diagnostics } = await readOnce(join(files, SUMMARY_FILE), (bytes, mtimeMs) => {
      const summary = parseSummary(bytes, mtimeMs).metrics[key];
      return summary ? [{ step: summary.step, value: summary.last, timestamp: summary.timestamp ?? mtimeMs }] : [];
    });
    return { points: value ?? [], diagnostics };
  }
}

export const wandbProvider: SourceProvider = {
  kind: 'wandb',
  claims: (entry: FolderEntry) => entry.isDirectory && entry.name === WANDB_FOLDER && hasRuns(entry.path),
  detect: hasRuns,
  open: (location: string) => new WandbStore(location),
};
