// The text files a W&B run folder keeps in `files/`: pure parsers of their content.
import type { GitLink, MetricPoint, MetricSummary } from '../../core/model';
import { finiteNumber, flattenParams, isMapping, parsePythonJson, parseYaml } from '../shared/values';

/** Nested summary dicts are flattened to `a.b` up to this depth. */
const MAX_DEPTH = 16;

export interface Summary {
  /** last values only: W&B keeps the history in the binary `.wandb` file */
  metrics: Record<string, MetricSummary>;
  /** `_timestamp`, ms: when the run last logged */
  lastLogTime?: number;
}

export interface Config {
  params: Record<string, string>;
  /** HF Trainer's `run_name`, the only run name an offline run keeps outside its `.wandb` file */
  runName?: string;
  /** `_wandb.start_time`, ms */
  startTime?: number;
}

export interface Metadata {
  git: GitLink;
  tags: Record<string, string>;
  /** `startedAt`, ms */
  startTime?: number;
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  const parsed = parsePythonJson(bytes.toString('utf8'));
  if (!isMapping(parsed)) throw new Error('not a JSON object');
  return parsed;
}

/**
 * Numeric values under their (flattened) keys. Keys starting with `_` are W&B's own (`_step`, `_runtime`,
 * `_timestamp`, `_wandb`), and dicts with a `_type` are media, histograms or tables: neither is a metric.
 */
export function numericLeaves(record: Record<string, unknown>, prefix = '', depth = 0): [string, number][] {
  const leaves: [string, number][] = [];
  for (const [name, value] of Object.entries(record)) {
    if (!prefix && name.startsWith('_')) continue;
    const key = prefix ? `${prefix}.${name}` : name;
    const number = finiteNumber(value);
    if (number !== undefined) leaves.push([key, number]);
    else if (isMapping(value) && !('_type' in value) && depth < MAX_DEPTH) leaves.push(...numericLeaves(value, key, depth + 1));
  }
  return leaves;
}

/** The point's place: `_step` (0 when absent) and `_timestamp` (seconds; `fallbackTime` when absent). */
function placeOf(record: Record<string, unknown>, fallbackTime: number): { step: number; timestamp: number } {
  const seconds = finiteNumber(record._timestamp);
  return { step: finiteNumber(record._step) ?? 0, timestamp: seconds === undefined ? fallbackTime : seconds * 1000 };
}

export function parseSummary(bytes: Buffer, mtimeMs: number): Summary {
  const record = parseJsonObject(bytes);
  const { step, timestamp } = placeOf(record, mtimeMs);
  const metrics: Record<string, MetricSummary> = {};
  for (const [key, value] of numericLeaves(record)) metrics[key] = { key, last: value, step, timestamp, min: value, max: value, count: 1 };
  const seconds = finiteNumber(record._timestamp);
  return { metrics, lastLogTime: seconds === undefined ? undefined : seconds * 1000 };
}

/** `config.yaml`: every key wraps its value as `{desc, value}`; `_wandb` (W&B's own) and `wandb_version` are skipped. */
export function parseConfig(bytes: Buffer): Config {
  const parsed = parseYaml(bytes.toString('utf8'));
  if (parsed === null || parsed === undefined) return { params: {} };
  if (!isMapping(parsed)) throw new Error('not a mapping of names to values');
  const params: Record<string, string> = {};
  for (const [key, entry] of Object.entries(parsed)) {
    if (key === '_wandb' || key === 'wandb_version') continue;
    flattenParams(isMapping(entry) && 'value' in entry ? entry.value : entry, key, params);
  }
  const wandb = unwrap(parsed._wandb);
  const start = isMapping(wandb) ? finiteNumber(wandb.start_time) : undefined;
  const runName = unwrap(parsed.run_name);
  return { params, runName: typeof runName === 'string' ? runName : undefined, startTime: start === undefined ? undefined : start * 1000 };
}

function unwrap(entry: unknown): unknown {
  return isMapping(entry) ? entry.value : undefined;
}

/** Run facts worth a tag; the user name and e-mail are left out on purpose. */
const TAG_FIELDS = ['program', 'codePath', 'host', 'os', 'python', 'gpu', 'gpu_count'];

export function parseMetadata(bytes: Buffer): Metadata {
  const record = parseJsonObject(bytes);
  const git: GitLink = {};
  if (isMapping(record.git)) {
    if (typeof record.git.commit === 'string' && record.git.commit) git.commit = record.git.commit;
    if (typeof record.git.remote === 'string' && record.git.remote) git.repoUrl = record.git.remote;
  }
  const tags: Record<string, string> = {};
  for (const field of TAG_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' || typeof value === 'number') tags[`wandb.${field}`] = String(value);
  }
  if (Array.isArray(record.args)) tags['wandb.args'] = record.args.map((arg) => (typeof arg === 'string' && !/[\s"']/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
  return { git, tags, startTime: typeof record.startedAt === 'string' ? utcTime(record.startedAt) : undefined };
}

/** `startedAt` is UTC written without a zone (`datetime.utcnow().isoformat()`). */
function utcTime(text: string): number | undefined {
  const ms = Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * One metric's points from `wandb-history.jsonl`, which wandb before 0.10 wrote beside the summary (one JSON
 * object a line). Returns the points and how many lines could not be read.
 */
export function historySeries(text: string, key: string, mtimeMs: number): { points: MetricPoint[]; badLines: number } {
  const points: MetricPoint[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = parsePythonJson(line);
    } catch {
      badLines++;
      continue;
    }
    if (!isMapping(record)) {
      badLines++;
      continue;
    }
    const value = numericLeaves(record).find(([leafKey]) => leafKey === key)?.[1];
    if (value !== undefined) points.push({ ...placeOf(record, mtimeMs), value });
  }
  return { points, badLines };
}
