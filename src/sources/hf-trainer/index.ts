// Hugging Face Trainer output folders. The store is one training output dir and holds one run: its
// `trainer_state.json` and those of its `checkpoint-N/` folders (N = global step at the save) are snapshots of
// the same training, and the one with the highest `global_step` is read (the top-level file on a tie: Trainer
// writes it last, with the final summary entry). The checkpoints present are listed in the `checkpoints` tag,
// the file read in `state_file`. Trainer records no git commit; the run stays unlinked.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { Diagnostic } from '../../core/model';
import type { FolderEntry, SourceProvider } from '../../core/source';
import { FileCache, isFile, listBounded, readOnce, wholeFile, type ScanContext } from '../shared/files';
import { RunFolderStore, statusFromWrites, type RunRead, type Series } from '../shared/run-folders';
import { parseTrainerState, stateSeries, summarizeState, type StateSummary } from './state';

const STATE_FILE = 'trainer_state.json';
const CHECKPOINT = /^checkpoint-(\d+)$/;
/** How many of the newest checkpoints `claims` looks into for a state file. */
const CLAIM_CHECKPOINTS = 3;

/** `checkpoint-N` folders, newest (highest N) first. */
function checkpointsOf(entries: readonly Dirent[]): string[] {
  return entries
    .filter((entry) => entry.isDirectory() && CHECKPOINT.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => checkpointStep(b) - checkpointStep(a));
}

function checkpointStep(name: string): number {
  return Number(CHECKPOINT.exec(name)?.[1] ?? -1);
}

async function isTrainerOutput(dir: string): Promise<boolean> {
  const entries = await listBounded(dir);
  if (entries.some((entry) => entry.name === STATE_FILE && entry.isFile())) return true;
  const newest = checkpointsOf(entries).slice(0, CLAIM_CHECKPOINTS);
  return (await Promise.all(newest.map((name) => isFile(join(dir, name, STATE_FILE))))).some(Boolean);
}

interface StateRead {
  file: string;
  mtimeMs: number;
  state: StateSummary;
}

export class HfTrainerStore extends RunFolderStore {
  readonly kind = 'hf-trainer' as const;
  protected readonly experimentName = basename(dirname(this.location));
  private readonly states = new FileCache(wholeFile((bytes, stamp) => summarizeState(parseTrainerState(bytes), stamp.mtimeMs)));
  protected readonly caches = [this.states];
  /** the state file each run was last read from, for `loadSeries` */
  private readonly stateFiles = new Map<string, string>();

  protected async listRuns(): Promise<Map<string, string>> {
    return new Map([[basename(this.location), this.location]]);
  }

  protected async readRun(id: string, folder: string, context: ScanContext): Promise<RunRead> {
    const diagnostics: Diagnostic[] = [];
    const checkpoints = checkpointsOf(await readdir(folder, { withFileTypes: true }));
    const candidates = [await this.readState(join(folder, STATE_FILE), context, diagnostics)];
    for (const name of checkpoints) {
      const read = await this.readState(join(folder, name, STATE_FILE), context, diagnostics);
      if (read) {
        candidates.push(read);
        break;
      }
    }
    const chosen = candidates.reduce<StateRead | undefined>((best, read) => (read && (!best || read.state.globalStep > best.state.globalStep) ? read : best), undefined);
    const folderWrite = (await stat(folder)).mtimeMs;
    const status = statusFromWrites(Math.max(folderWrite, chosen?.mtimeMs ?? 0));
    if (!chosen) {
      this.stateFiles.delete(id);
      return { fields: { name: id, status, params: {}, tags: {}, metrics: {} }, diagnostics };
    }
    this.stateFiles.set(id, chosen.file);
    const { state } = chosen;
    if (state.skippedEntries > 0) {
      diagnostics.push({ file: chosen.file, message: `${state.skippedEntries} log_history entries have no numeric step and were skipped`, severity: 'warning' });
    }
    const tags: Record<string, string> = { ...state.tags, state_file: relative(folder, chosen.file) };
    if (checkpoints.length > 0) tags.checkpoints = [...checkpoints].reverse().join(', ');
    const endTime = status === 'FINISHED' ? chosen.mtimeMs : undefined;
    const startTime = endTime !== undefined && state.trainRuntime !== undefined ? endTime - state.trainRuntime * 1000 : undefined;
    return { fields: { name: id, status, startTime, endTime, params: state.params, tags, metrics: state.metrics }, diagnostics };
  }

  protected async readSeries(id: string, folder: string, key: string): Promise<Series> {
    const file = this.stateFiles.get(id) ?? join(folder, STATE_FILE);
    const { value, diagnostics } = await readOnce(file, (bytes, mtimeMs) => stateSeries(parseTrainerState(bytes), key, mtimeMs));
    return { points: value ?? [], diagnostics };
  }

  /** A state file's summary; undefined when it is missing or unreadable (then with a diagnostic). */
  private async readState(file: string, context: ScanContext, diagnostics: Diagnostic[]): Promise<StateRead | undefined> {
    const loaded = await this.states.get(file, context, diagnostics);
    return loaded?.value ? { file, mtimeMs: loaded.stamp.mtimeMs, state: loaded.value } : undefined;
  }
}

export const hfTrainerProvider: SourceProvider = {
  kind: 'hf-trainer',
  /** An output dir: a `trainer_state.json`, or one in a `checkpoint-N/` folder. A checkpoint is not a run of its own. */
  claims: (entry: FolderEntry) => entry.isDirectory && !CHECKPOINT.test(entry.name) && isTrainerOutput(entry.path),
  detect: isTrainerOutput,
  open: (location: string) => new HfTrainerStore(location),
};
