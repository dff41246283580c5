// The model registry of a file store (MLflow's registry FileStore): `models/<name>/meta.yaml`,
// `models/<name>/version-<n>/meta.yaml` and `models/<name>/aliases/<alias>` (content: the version).
import { join } from 'node:path';
import type { ModelVersion } from '../../core/model';
import { fileRefresh, FileSet, META, refreshFile, textRefresh, type Cached } from './file-set';
import type { FileReader } from './files';
import { parseModelMeta, parseVersionMeta, type ModelMeta, type VersionMeta } from './meta';

/** The stage MLflow's file registry gives a deleted version (it keeps the folder). */
const DELETED_STAGE = 'Deleted_Internal';
const NO_STAGE = 'None';
const VERSION_PREFIX = 'version-';

export interface ModelNode {
  /** the registered model's name: its folder name */
  readonly name: string;
  readonly dir: string;
  /** undefined when the folder has no meta.yaml */
  meta?: Cached<ModelMeta>;
  readonly versions: FileSet<Cached<VersionMeta>>;
  readonly aliases: FileSet<Cached<string>>;
}

export function newModel(dir: string, name: string): ModelNode {
  return {
    name,
    dir,
    versions: new FileSet(dir, 'folders', fileRefresh(parseVersionMeta), (folder) => folder.startsWith(VERSION_PREFIX)),
    aliases: new FileSet(join(dir, 'aliases'), 'tree', textRefresh),
  };
}

export function syncModel(io: FileReader, model: ModelNode): void {
  model.meta = refreshFile(io, join(model.dir, META), model.meta, parseModelMeta);
  model.versions.sync(io);
  model.aliases.sync(io);
}

/** Revisits one changed path below a model folder, given as its path segments below the folder. */
export function refreshModelPath(io: FileReader, model: ModelNode, parts: [string, ...string[]], path: string): void {
  const [first, second] = parts;
  if (first === META && second === undefined) model.meta = refreshFile(io, path, model.meta, parseModelMeta);
  else if (first === 'aliases') model.aliases.refreshPath(io, path);
  else if (first.startsWith(VERSION_PREFIX)) model.versions.refreshPath(io, path);
}

/**
 * The model's versions. Aliases come from the `aliases/` files, the model's `aliases:` map and the
 * version's own `aliases:` list, merged. Deleted versions are left out unless `includeDeleted`.
 */
export function modelVersions(model: ModelNode, store: string, includeDeleted: boolean): ModelVersion[] {
  const aliasesOf = new Map<string, Set<string>>();
  const addAlias = (version: string, alias: string) => aliasesOf.set(version, (aliasesOf.get(version) ?? new Set()).add(alias));
  for (const [alias, version] of model.meta?.value?.aliases ?? []) addAlias(version, alias);
  for (const [alias, entry] of model.aliases.entries) if (entry.value !== undefined) addAlias(entry.value.trim(), alias);
  const versions: ModelVersion[] = [];
  for (const [folder, entry] of model.versions.entries) {
    const meta = entry.value;
    if (!meta || (meta.currentStage === DELETED_STAGE && !includeDeleted)) continue;
    const version = meta.version ?? folder.slice(VERSION_PREFIX.length);
    const aliases = new Set([...meta.aliases, ...(aliasesOf.get(version) ?? [])]);
    versions.push({
      model: model.name,
      version,
      stages: meta.currentStage && meta.currentStage !== NO_STAGE ? [meta.currentStage] : [],
      aliases: [...aliases].sort(),
      run: meta.runId,
      sourceUri: meta.source,
      status: meta.status,
      description: meta.description,
      createdAt: meta.createdAt,
      source: 'mlflow-file',
      store,
    });
  }
  return versions;
}
