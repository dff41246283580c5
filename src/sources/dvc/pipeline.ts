// `dvc.yaml`: stages (cmd, deps, params, outs, metrics, plots), the top-level metrics, params and plots
// lists, and the `artifacts:` section GTO reads. Pure; entries of a shape DVC would not accept are skipped.
import { isMapping, parseYaml } from '../shared/values';

export interface Stage {
  name: string;
  cmd?: string;
  deps: string[];
  outs: string[];
}

/** One plot's data: a file (or a folder of files) and the fields to draw. */
export interface PlotSpec {
  path: string;
  x?: string;
  /** empty: every numeric field but x */
  y: string[];
}

/** An entry of the `artifacts:` section (dvc.yaml) or of GTO's legacy `artifacts.yaml`. */
export interface ArtifactSpec {
  name: string;
  path?: string;
  type?: string;
  description?: string;
  labels: string[];
}

export interface Pipeline {
  stages: Stage[];
  /** params files, `params.yaml` (DVC's default) first */
  paramsFiles: string[];
  metricsFiles: string[];
  plots: PlotSpec[];
  artifacts: ArtifactSpec[];
}

export const DEFAULT_PARAMS = 'params.yaml';

/** The pipeline of a project without `dvc.yaml`, or with one that cannot be read: only the default params. */
export function emptyPipeline(): Pipeline {
  return { stages: [], paramsFiles: [DEFAULT_PARAMS], metricsFiles: [], plots: [], artifacts: [] };
}

/** Reads `dvc.yaml`; throws when it is not YAML or not a mapping. */
export function parsePipeline(text: string): Pipeline {
  const doc = parseYaml(text) ?? {};
  if (!isMapping(doc)) throw new Error('dvc.yaml is not a mapping');
  const pipeline = emptyPipeline();
  const paramsFiles = new Set(pipeline.paramsFiles);
  const metricsFiles = new Set<string>();
  for (const entry of list(doc.params)) if (typeof entry === 'string') paramsFiles.add(cleanPath(entry));
  for (const path of outPaths(doc.metrics)) metricsFiles.add(path);
  pipeline.plots.push(...plotSpecs(doc.plots));
  if (isMapping(doc.stages)) {
    for (const [name, body] of Object.entries(doc.stages)) {
      if (!isMapping(body)) continue;
      for (const file of stageParamsFiles(body.params)) paramsFiles.add(file);
      const metrics = outPaths(body.metrics);
      for (const path of metrics) metricsFiles.add(path);
      const plots = plotSpecs(body.plots);
      pipeline.plots.push(...plots);
      pipeline.stages.push({
        name,
        cmd: commandText(body.cmd),
        deps: list(body.deps).filter((d): d is string => typeof d === 'string').map(cleanPath),
        outs: [...outPaths(body.outs), ...metrics, ...plots.map((p) => p.path)],
      });
    }
  }
  pipeline.paramsFiles = [...paramsFiles];
  pipeline.metricsFiles = [...metricsFiles];
  pipeline.artifacts = parseArtifacts(doc.artifacts);
  return pipeline;
}

/** The artifacts of a `name: {path, type, desc, labels}` mapping (dvc.yaml's section, or all of `artifacts.yaml`). */
export function parseArtifacts(section: unknown): ArtifactSpec[] {
  if (!isMapping(section)) return [];
  return Object.entries(section).map(([name, body]): ArtifactSpec => {
    if (!isMapping(body)) return { name, labels: [] };
    const description = text(body.desc) ?? text(body.description);
    return {
      name,
      path: text(body.path),
      type: text(body.type),
      description,
      labels: list(body.labels).filter((l): l is string => typeof l === 'string'),
    };
  });
}

/** `./a/b/` → `a/b`: how paths compare across dvc.yaml, dvc.lock and git. */
export function cleanPath(path: string): string {
  return path.trim().replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function commandText(cmd: unknown): string | undefined {
  if (typeof cmd === 'string') return cmd;
  if (Array.isArray(cmd)) return cmd.filter((c) => typeof c === 'string').join(' && ');
  return undefined;
}

/** Outs, metrics and plots are `- path` or `- path: {cache: false, …}`. */
function outPaths(entries: unknown): string[] {
  return list(entries).flatMap((entry) => {
    if (typeof entry === 'string') return [cleanPath(entry)];
    if (isMapping(entry)) return Object.keys(entry).map(cleanPath);
    return [];
  });
}

/** A stage's `params:` names keys of `params.yaml` (`- a.b`) or whole other files (`- file.yaml: [keys]`). */
function stageParamsFiles(entries: unknown): string[] {
  return list(entries).flatMap((entry) => (isMapping(entry) ? Object.keys(entry).map(cleanPath) : []));
}

/**
 * Plots are `- path`, `- path: {x, y}`, or `- id: {x, y: {file: field(s)}, x: {file: field}}` (DVC 3's
 * top-level form, where the files are y's keys). DVC 2 also wrote the top level as a `path: props` mapping.
 */
function plotSpecs(entries: unknown): PlotSpec[] {
  const items = isMapping(entries) ? Object.entries(entries).map(([k, v]) => ({ [k]: v })) : list(entries);
  return items.flatMap((entry): PlotSpec[] => {
    if (typeof entry === 'string') return [{ path: cleanPath(entry), y: [] }];
    if (!isMapping(entry)) return [];
    return Object.entries(entry).flatMap(([id, props]): PlotSpec[] => {
      if (!isMapping(props)) return [{ path: cleanPath(id), y: [] }];
      if (isMapping(props.y)) {
        return Object.entries(props.y).map(([file, fields]) => ({ path: cleanPath(file), x: fieldFor(props.x, file), y: fieldList(fields) }));
      }
      return [{ path: cleanPath(id), x: fieldFor(props.x, id), y: fieldList(props.y) }];
    });
  });
}

function fieldFor(x: unknown, file: string): string | undefined {
  if (typeof x === 'string') return x;
  if (isMapping(x)) return text(x[file]);
  return undefined;
}

function fieldList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return list(value).filter((v): v is string => typeof v === 'string');
}
