// Where TensorBoard logs live. A *store* is a folder whose runs are folders of event files: Lightning's
// `lightning_logs/` (runs `version_N/`), torch's `runs/` (runs `<date>_<host>/`), CatBoost's `catboost_info/`
// (runs `learn/`, `test/`), a Keras log dir (runs `train/`, `validation/`), or a folder that holds event files
// itself (then it is its own one run, id `.`). A *run* is a folder that directly holds `events.out.tfevents*`
// files; it may hold several (a `.1` suffix for Lightning's test phase, or one per restart), read in the
// order they were written.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { listBounded } from '../shared/files';

const EVENT_FILE_PREFIX = 'events.out.tfevents';
/** How deep below a store run folders are looked for (Keras: `<date>/train/`). */
const MAX_RUN_DEPTH = 4;
/** How many subfolders `looksLikeStore` probes: enough to tell a log folder from a project folder. */
const PROBED_SUBFOLDERS = 8;

function isEventFileName(name: string): boolean {
  return name.startsWith(EVENT_FILE_PREFIX);
}

/**
 * Whether `folder` is a store: it holds event files itself, or most of its (non-empty, non-hidden) subfolders
 * do. "Most" keeps a project folder that happens to have one `logs/` child from being claimed, which would
 * hide everything else in it from discovery. Reads a few bounded listings; never throws.
 */
export async function looksLikeStore(folder: string): Promise<boolean> {
  const entries = await listBounded(folder);
  if (entries.some((entry) => entry.isFile() && isEventFileName(entry.name))) return true;
  const subfolders = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).slice(0, PROBED_SUBFOLDERS);
  let nonEmpty = 0;
  let withEvents = 0;
  for (const subfolder of subfolders) {
    const inner = await listBounded(join(folder, subfolder.name));
    if (inner.length === 0) continue;
    nonEmpty++;
    if (inner.some((entry) => entry.isFile() && isEventFileName(entry.name))) withEvents++;
  }
  return withEvents * 2 > nonEmpty;
}

/**
 * The store's run folders by run id (the folder's path relative to the store, `/`-separated; `.` for the
 * store itself). Throws when the store cannot be listed; an unreadable subfolder is passed over.
 */
export async function findRunFolders(store: string): Promise<Map<string, string>> {
  const runs = new Map<string, string>();
  const visit = async (folder: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (depth === 0) throw error;
      return;
    }
    if (entries.some((entry) => entry.isFile() && isEventFileName(entry.name))) runs.set(runId(store, folder), folder);
    if (depth === MAX_RUN_DEPTH) return;
    const subfolders = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'));
    await Promise.all(subfolders.map((entry) => visit(join(folder, entry.name), depth + 1)));
  };
  await visit(store, 0);
  return runs;
}

function runId(store: string, folder: string): string {
  return relative(store, folder).split(sep).join('/') || '.';
}

/** The event files of one run folder, in the order they were written; none when the folder is gone. */
export async function eventFilesOf(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && isEventFileName(entry.name))
    .map((entry) => entry.name)
    .sort(byWriteOrder)
    .map((name) => join(folder, name));
}

/**
 * By the creation time writers put in the name (`events.out.tfevents.<seconds>.<host>.<pid>.<n>`), then by
 * name with numbers compared as numbers (`.2` before `.10`). A name without a time (CatBoost's bare
 * `events.out.tfevents`) comes first.
 */
function byWriteOrder(a: string, b: string): number {
  return createdAt(a) - createdAt(b) || a.localeCompare(b, 'en', { numeric: true });
}

function createdAt(name: string): number {
  const match = /^\.(\d+)/.exec(name.slice(EVENT_FILE_PREFIX.length));
  return match ? Number(match[1]) : 0;
}
