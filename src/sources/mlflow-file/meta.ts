// The `meta.yaml` files of an MLflow file store, as MLflow's FileStore and registry FileStore write them
// (PyYAML `safe_dump`, sorted keys), read into the few fields Runlens uses. A field of the wrong type is
// treated as absent and named in a warning; a file that is not a YAML mapping is an error.
import { parseDocument } from 'yaml';
import type { RunStatus } from '../../core/model';
import { isMapping } from '../shared/values';
import type { Problem } from './files';
import { readFlatYaml } from './flat-yaml';

/** What parsing one file yields: its value, or a problem, or both (a value with a warning). */
export interface Parsed<T> {
  value?: T;
  problem?: Problem;
}

export interface ExperimentMeta {
  name?: string;
  artifactLocation?: string;
  deleted: boolean;
}

export interface RunMeta {
  /** `run_name` (MLflow 2.x), or the legacy `name` of 1.x when not empty */
  name?: string;
  status: RunStatus;
  startTime?: number;
  endTime?: number;
  artifactUri?: string;
  deleted: boolean;
}

export interface ModelMeta {
  /** `aliases:` map of MLflow >= 2.3: alias -> version */
  aliases: Map<string, string>;
}

export interface VersionMeta {
  version?: string;
  currentStage?: string;
  runId?: string;
  source?: string;
  status?: string;
  description?: string;
  createdAt?: number;
  aliases: string[];
}

/** `<experiment>/datasets/<id>/meta.yaml` (MLflow >= 2.4): the `Dataset` entity's fields. */
export interface DatasetMeta {
  name: string;
  digest: string;
  source?: string;
  sourceType?: string;
  profile?: string;
}

/** `<run>/inputs/<id>/meta.yaml`: links the run to a dataset folder (`source_id`). */
export interface InputMeta {
  datasetId: string;
}

/** MLflow's `RunStatus` enum as the file store persists it. */
const STATUS_CODES: readonly RunStatus[] = ['UNKNOWN', 'RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
const STATUS_NAMES = new Set<string>(STATUS_CODES.slice(1));

/** Typed access to a YAML mapping that remembers which fields had an unexpected type. */
class Fields {
  readonly wrong: string[] = [];

  constructor(private readonly map: Record<string, unknown>) {}

  has(key: string): boolean {
    return this.map[key] !== undefined && this.map[key] !== null;
  }

  /** A string; numbers are accepted too (legacy ids and versions are ints). */
  string(key: string): string | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    this.wrong.push(key);
    return undefined;
  }

  /** A non-empty string. */
  text(key: string): string | undefined {
    const value = this.string(key);
    return value === '' ? undefined : value;
  }

  number(key: string): number | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.wrong.push(key);
    return undefined;
  }

  raw(key: string): unknown {
    return this.map[key];
  }

  flag(key: string): void {
    this.wrong.push(key);
  }
}

const corrupt = (message: string): { problem: Problem } => ({ problem: { message: `corrupt YAML: ${message.split('\n')[0]}`, severity: 'error' } });

/** The YAML document in `text`: MLflow's flat files directly, anything else through the `yaml` package. */
function readYaml(text: string): { data: unknown } | { problem: Problem } {
  const flat = readFlatYaml(text);
  if (flat) return { data: flat };
  try {
    const doc = parseDocument(text, { prettyErrors: false, logLevel: 'silent' });
    const error = doc.errors[0];
    return error ? corrupt(error.message) : { data: doc.toJS({ maxAliasCount: 50 }) };
  } catch (error) {
    return corrupt((error as Error).message);
  }
}

/** Parses a YAML mapping and hands it to `read`; turns every failure into a problem. */
function parseMeta<T>(text: string, read: (fields: Fields) => T | undefined): Parsed<T> {
  const yaml = readYaml(text);
  if ('problem' in yaml) return yaml;
  const data = yaml.data;
  if (!isMapping(data)) return { problem: { message: 'expected a YAML mapping of fields', severity: 'error' } };
  const fields = new Fields(data);
  const value = read(fields);
  if (fields.wrong.length === 0) return { value };
  return { value, problem: { message: `ignored field(s) with an unexpected value: ${fields.wrong.join(', ')}`, severity: 'warning' } };
}

const isDeleted = (fields: Fields): boolean => fields.string('lifecycle_stage') === 'deleted';

export const parseExperimentMeta = (text: string): Parsed<ExperimentMeta> =>
  parseMeta(text, (f) => ({ name: f.text('name'), artifactLocation: f.text('artifact_location'), deleted: isDeleted(f) }));

export const parseRunMeta = (text: string): Parsed<RunMeta> =>
  parseMeta(text, (f) => ({
    name: f.text('run_name') ?? f.text('name'),
    status: runStatus(f),
    startTime: f.number('start_time'),
    endTime: f.number('end_time'),
    artifactUri: f.text('artifact_uri'),
    deleted: isDeleted(f),
  }));

/** An int code or a name; a run without status is RUNNING, as MLflow reads it. */
function runStatus(fields: Fields): RunStatus {
  if (!fields.has('status')) return 'RUNNING';
  const value = fields.raw('status');
  if (typeof value === 'number' && STATUS_CODES[value] && value > 0) return STATUS_CODES[value]!;
  if (typeof value === 'string' && STATUS_NAMES.has(value)) return value as RunStatus;
  fields.flag('status');
  return 'UNKNOWN';
}

export const parseModelMeta = (text: string): Parsed<ModelMeta> =>
  parseMeta(text, (f) => {
    const aliases = new Map<string, string>();
    const raw = f.raw('aliases');
    if (isMapping(raw)) {
      for (const [alias, version] of Object.entries(raw)) {
        if (typeof version === 'string' || typeof version === 'number') aliases.set(alias, String(version));
      }
    } else if (raw !== undefined && raw !== null && !(Array.isArray(raw) && raw.length === 0)) {
      f.flag('aliases');
    }
    return { aliases };
  });

export const parseVersionMeta = (text: string): Parsed<VersionMeta> =>
  parseMeta(text, (f) => ({
    version: f.text('version'),
    currentStage: f.text('current_stage'),
    runId: f.text('run_id'),
    source: f.text('source'),
    status: f.text('status'),
    description: f.text('description'),
    createdAt: f.number('creation_timestamp'),
    aliases: stringList(f, 'aliases'),
  }));

function stringList(fields: Fields, key: string): string[] {
  const raw = fields.raw(key);
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw;
  fields.flag(key);
  return [];
}

export const parseDatasetMeta = (text: string): Parsed<DatasetMeta> => {
  const parsed = parseMeta<DatasetMeta>(text, (f) => {
    const name = f.string('name');
    const digest = f.string('digest');
    if (name === undefined || digest === undefined) return undefined;
    return { name, digest, source: f.text('source'), sourceType: f.text('source_type'), profile: f.text('profile') };
  });
  return parsed.value || parsed.problem ? parsed : { problem: { message: 'dataset without name or digest', severity: 'error' } };
};

/** Only dataset inputs are read; MLflow 3's model inputs and outputs are skipped. */
export const parseInputMeta = (text: string): Parsed<InputMeta> =>
  parseMeta(text, (f) => {
    const datasetId = f.text('source_id');
    return f.string('source_type') === 'DATASET' && datasetId ? { datasetId } : undefined;
  });
