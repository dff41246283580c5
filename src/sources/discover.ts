// Finds the tracking stores of a folder: `mlruns/` folders and MLflow SQLite files up to a depth, plus the
// store a `runlens.mlflow.trackingUri` setting names.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, SourceKind } from '../core/model';
import type { FolderEntry } from '../core/source';
import { providerFor, providers } from './index';

export interface StoreLocation {
  kind: SourceKind;
  /** absolute path */
  location: string;
}

export interface DiscoverOptions {
  maxDepth: number;
  /** an MLflow tracking URI (`file:`, `sqlite:` or a path), relative paths against the folder */
  trackingUri?: string;
}

/** Folders that never hold a user's tracking store and are expensive to walk. */
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.vscode-test', '.ipynb_checkpoints', '.trash']);

export async function discoverStores(folder: string, options: DiscoverOptions): Promise<{ stores: StoreLocation[]; diagnostics: Diagnostic[] }> {
  const stores: StoreLocation[] = [];
  const diagnostics: Diagnostic[] = [];
  if (options.trackingUri) {
    const configured = await resolveTrackingUri(options.trackingUri, folder);
    if ('error' in configured) diagnostics.push({ file: folder, message: configured.error, severity: 'warning' });
    else stores.push(configured);
  }
  await walk(folder, 0, options.maxDepth, stores, diagnostics);
  const seen = new Set<string>();
  return { stores: stores.filter((s) => !seen.has(s.location) && seen.add(s.location)), diagnostics };
}

async function walk(dir: string, depth: number, maxDepth: number, stores: StoreLocation[], diagnostics: Diagnostic[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (depth === 0) diagnostics.push({ file: dir, message: `cannot list folder: ${(error as Error).message}`, severity: 'error' });
    return;
  }
  const subdirs: string[] = [];
  for (const dirent of entries) {
    if (!dirent.isDirectory() && !dirent.isFile()) continue;
    const entry = { name: dirent.name, path: join(dir, dirent.name), isDirectory: dirent.isDirectory() };
    const kind = await claimingKind(entry);
    if (kind) stores.push({ kind, location: entry.path });
    else if (entry.isDirectory && depth < maxDepth && !SKIPPED.has(entry.name)) subdirs.push(entry.path);
  }
  await Promise.all(subdirs.map((sub) => walk(sub, depth + 1, maxDepth, stores, diagnostics)));
}

/** The kind of store this entry is, if any. A claimed folder is a store; the walker does not descend into it. */
async function claimingKind(entry: FolderEntry): Promise<SourceKind | undefined> {
  for (const provider of providers) if (await provider.claims(entry)) return provider.kind;
  return undefined;
}

/**
 * Reads a tracking URI the way MLflow does: `file:///abs/mlruns`, SQLAlchemy's `sqlite:///relative.db`
 * (three slashes: relative) and `sqlite:////abs.db` (four: absolute), or a bare path.
 */
export async function resolveTrackingUri(uri: string, folder: string): Promise<StoreLocation | { error: string }> {
  const trimmed = uri.trim();
  if (/^https?:\/\//i.test(trimmed) || /^databricks/i.test(trimmed)) {
    return { error: `runlens.mlflow.trackingUri "${trimmed}": tracking servers are not supported yet; use a file or sqlite URI` };
  }
  let path: string;
  let kind: SourceKind | undefined;
  if (trimmed.startsWith('sqlite:///')) {
    path = trimmed.slice('sqlite:///'.length);
    kind = 'mlflow-sqlite';
  } else if (trimmed.startsWith('file:')) {
    try {
      path = fileURLToPath(trimmed);
    } catch (error) {
      return { error: `runlens.mlflow.trackingUri "${trimmed}": ${(error as Error).message}` };
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    return { error: `runlens.mlflow.trackingUri "${trimmed}": unsupported scheme; use a file or sqlite URI` };
  } else {
    path = trimmed;
  }
  const location = isAbsolute(path) ? path : resolve(folder, path);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(location)).isDirectory();
  } catch {
    return { error: `runlens.mlflow.trackingUri "${trimmed}": ${location} does not exist` };
  }
  kind ??= isDirectory ? 'mlflow-file' : 'mlflow-sqlite';
  if (!(await providerFor(kind).detect(location))) {
    return { error: `runlens.mlflow.trackingUri "${trimmed}": ${location} is not an MLflow ${kind === 'mlflow-file' ? 'file store' : 'database'}` };
  }
  return { kind, location };
}
