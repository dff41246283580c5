// Launching training and deployment from the editor, editor-free: typed parameters and their validation,
// command templates rendered to argument arrays (a value is always exactly one argument, never shell text),
// and launch records, which link the runs a launch produced to the commit it ran from when the tracker
// records no commit of its own. Pure.
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import { bestRun } from './compare';
import type { GitLink, Run } from './model';

export const ParamType = z.enum(['string', 'int', 'float', 'bool', 'path', 'uri']);
export type ParamType = z.infer<typeof ParamType>;

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** undefined: the parameter is required */
  default?: string;
  choices?: string[];
  description?: string;
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOL = /^(?:true|false)$/i;
/** A URI as MLflow tells one (`urllib.parse.urlparse(value).scheme` is not empty); one letter is a Windows drive. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/**
 * Why `value` is not acceptable for `param`, or undefined when it is. `exists` answers for a local path
 * (relative to the launch's working folder), as MLflow checks `path` parameters before it runs.
 */
export function invalidValue(param: ParamSpec, value: string, exists: (path: string) => boolean): string | undefined {
  if (value.includes('\0')) return 'contains a NUL character, which no program argument can hold';
  // VS Code resolves variables (`${env:X}`, `${command:X}`…) in the arguments of every task it runs, with no escape.
  if (value.includes('${')) return 'contains "${", which VS Code\'s task system would replace with a variable';
  if (param.choices && !param.choices.includes(value)) return `must be one of ${param.choices.join(', ')}`;
  switch (param.type) {
    case 'int':
      return INT.test(value.trim()) ? undefined : 'must be a whole number, like 32';
    case 'float':
      return FLOAT.test(value.trim()) ? undefined : 'must be a number, like 0.01 or 1e-4';
    case 'bool':
      return BOOL.test(value) ? undefined : 'must be true or false';
    case 'uri':
      return URI.test(value) ? undefined : 'must be a URI with a scheme, like s3://bucket/data or file:///data';
    case 'path':
      if (value === '') return 'must name a file or folder';
      return URI.test(value) || exists(value) ? undefined : `no such file or folder: ${value}`;
    case 'string':
      return undefined;
  }
}

/** The value each parameter starts from: what is given (kept only for known names), else its default. */
export function initialValues(params: readonly ParamSpec[], ...given: Array<Readonly<Record<string, string>> | undefined>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of params) {
    const value = given.map((source) => source?.[param.name]).find((v) => v !== undefined) ?? param.default;
    if (value !== undefined) values[param.name] = value;
  }
  return values;
}

/** Every problem of a set of values, by parameter name: missing required values and invalid ones. */
export function problemsOf(params: readonly ParamSpec[], values: Readonly<Record<string, string>>, exists: (path: string) => boolean): Map<string, string> {
  const problems = new Map<string, string>();
  for (const param of params) {
    const value = values[param.name];
    const problem = value === undefined ? 'needs a value (it has no default)' : invalidValue(param, value, exists);
    if (problem) problems.set(param.name, problem);
  }
  return problems;
}

// --- Templates of configured commands: `${name}` inside one argument ---------------------------------

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The names a `${name}` template refers to. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * `template` with each `${name}` replaced by its value, in one pass: a value that itself contains `${…}`
 * stays as it is. Throws for a name without a value.
 */
export function expandTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) throw new Error(`\${${name}} has no value here (known: ${Object.keys(values).filter((k) => values[k] !== undefined).join(', ')})`);
    return value;
  });
}

// --- MLproject commands: a shell-like template with Python `{name}` fields ---------------------------

/** Characters that mean something to a shell outside quotes: a command using them needs one. */
const SHELL_OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[']);

/**
 * Splits command text into words as a POSIX shell would, for text that needs no shell: quotes and
 * backslashes are removed, nothing is expanded. Throws, naming the reason, for text that only a shell can
 * run (pipes, redirections, `$VAR`, globs, `~`, comments, `VAR=value` prefixes) and for unbalanced quotes.
 */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const needsShell = (what: string) => new Error(`the command needs a shell to run (${what}): ${text}`);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unbalanced ' in: ${text}`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let quoted = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        const q = text[i]!;
        if (q === '$' || q === '`') throw needsShell(`${q} inside double quotes`);
        if (q === '\\' && i + 1 < text.length && '"\\\n'.includes(text[i + 1]!)) {
          i++;
          if (text[i] !== '\n') quoted += text[i];
        } else quoted += q;
      }
      if (i >= text.length) throw new Error(`unbalanced " in: ${text}`);
      word = (word ?? '') + quoted;
    } else if (c === '\\') {
      i++;
      if (i < text.length && text[i] !== '\n') word = (word ?? '') + text[i];
    } else if (SHELL_OPERATORS.has(c)) {
      throw needsShell(c);
    } else if (word === undefined && (c === '~' || c === '#')) {
      throw needsShell(c === '~' ? '~ at the start of a word' : 'a comment');
    } else {
      if (c === '=' && words.length === 0 && word !== undefined && /^[A-Za-z_]\w*$/.test(word)) throw needsShell('a VAR=value prefix');
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The argument array of an MLproject entry point's command with `values` filled in. The template is split
 * into words first, then each `{name}` is replaced inside its word (`{{` and `}}` are literal braces, as in
 * Python's `str.format`, which MLflow applies), so a value is never split and never read by a shell.
 */
export function renderMLprojectCommand(template: string, values: Readonly<Record<string, string>>): string[] {
  return splitCommandLine(template).map((word) =>
    word.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (token, name: string | undefined) => {
      if (token === '{{') return '{';
      if (token === '}}') return '}';
      if (name === undefined) throw new Error(`single "${token}" in the command: write "${token}${token}" for a literal brace`);
      if (!/^\w+$/.test(name)) throw new Error(`{${name}}: only plain {name} placeholders are supported`);
      if (!Object.hasOwn(values, name)) throw new Error(`{${name}} names no parameter of the entry point`);
      return values[name]!;
    }),
  );
}

// --- Launch records ----------------------------------------------------------------------------------

export const LaunchKind = z.enum(['mlproject', 'dvc', 'command', 'deploy']);
export type LaunchKind = z.infer<typeof LaunchKind>;

/** What Runlens remembers of one launch (in the editor's workspace storage, never in the user's files). */
export const LaunchRecord = z.object({
  id: z.string(),
  /** the workspace folder it was launched in */
  folder: z.string(),
  kind: LaunchKind,
  /** the launch spec's id, e.g. `command:train` or `mlproject:.:main` */
  spec: z.string(),
  label: z.string(),
  /** the argument array that ran */
  command: z.array(z.string()),
  params: z.record(z.string(), z.string()),
  /** absolute working folder */
  cwd: z.string(),
  /** the MLflow store the launch was pointed at (`MLFLOW_TRACKING_URI`), absolute */
  trackingStore: z.string().optional(),
  commit: z.string().optional(),
  branch: z.string().optional(),
  dirty: z.boolean().optional(),
  /** ms since the epoch */
  startTime: z.number(),
  endTime: z.number().optional(),
  exitCode: z.number().optional(),
  /** keys of the runs that appeared while it ran */
  runs: z.array(z.string()),
});
export type LaunchRecord = z.infer<typeof LaunchRecord>;

/** How long after a launch ends a run may still appear (watchers debounce, trackers flush at exit). */
export const LAUNCH_GRACE_MS = 30_000;

type LinkableRun = Pick<Run, 'path' | 'store' | 'startTime' | 'git'>;

function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function inWindow(time: number, record: LaunchRecord, now: number): boolean {
  return time >= record.startTime && time <= (record.endTime ?? now) + LAUNCH_GRACE_MS;
}

/** Whether a run lies where a launch writes: under its working folder, or in the store it was pointed at. */
function inPlace(run: LinkableRun, record: LaunchRecord): boolean {
  return isWithin(run.path, record.cwd) || run.store === record.trackingStore;
}

/**
 * Whether a run that appeared at `now` was made by the launch: it lies where the launch writes, the launch
 * is running or ended less than the grace period ago, and a start time the run records falls in that span.
 * Formats that record no start time (Lightning's metrics.csv) are linked by this moment of appearance.
 */
export function appearedDuring(run: LinkableRun, record: LaunchRecord, now: number): boolean {
  return inPlace(run, record) && inWindow(now, record, now) && (run.startTime === undefined || inWindow(run.startTime, record, now));
}

/**
 * The launch a run belongs to: one that saw it appear, else the latest launch whose span holds the run's
 * start time and that wrote where the run lies.
 */
export function launchOf(run: LinkableRun, key: string, records: readonly LaunchRecord[], now: number): LaunchRecord | undefined {
  const seen = records.find((record) => record.runs.includes(key));
  if (seen) return seen;
  const start = run.startTime;
  if (start === undefined) return undefined;
  return records.filter((record) => inPlace(run, record) && inWindow(start, record, now)).sort((a, b) => b.startTime - a.startTime)[0];
}

/** Runs with a commit filled in from their launch when the tracker recorded none; other runs as they are. */
export function linkRuns<R extends LinkableRun>(runs: readonly R[], records: readonly LaunchRecord[], key: (run: R) => string, now: number): R[] {
  if (records.length === 0) return [...runs];
  return runs.map((run) => {
    if (run.git.commit) return run;
    const record = launchOf(run, key(run), records, now);
    if (!record?.commit) return run;
    const git: GitLink = { ...run.git, commit: record.commit, branch: record.branch, dirty: record.dirty };
    return { ...run, git };
  });
}

/**
 * What a finished launch produced: its newest run, and the best earlier run of the same experiment by the
 * metric `metricOf` names for that run (no best when the metric's direction is unknown).
 */
export function launchResult<R extends Run & { key: string }>(
  record: LaunchRecord,
  runs: readonly R[],
  metricOf: (run: R) => string | undefined,
  now: number,
): { run?: R; best?: R } {
  const made = runs.filter((run) => launchOf(run, run.key, [record], now) === record);
  // newest first: by start time, else (formats without one) by the order the runs appeared in
  const run = made.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0) || record.runs.indexOf(b.key) - record.runs.indexOf(a.key))[0];
  const metric = run && metricOf(run);
  if (!run || !metric) return { run };
  const earlier = runs.filter((other) => other.store === run.store && other.experimentId === run.experimentId && !made.includes(other));
  return { run, best: bestRun(earlier, metric) };
}
