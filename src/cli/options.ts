// What every runlens command shares: reading its options, opening the folder, printing in a format.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Catalog } from '../core/catalog';
import type { Direction, DirectionOverrides } from '../core/direction';
import type { Logger } from '../core/log';
import type { Style } from '../core/report';
import { FULL_REFRESH, FolderService, type FolderSettings } from '../service/folder';
import type { Io } from './commands/command';

/** A mistake in the command line: exit 2 with the message and the command's usage. */
export class UsageError extends Error {}
/** Data the command needs is missing (no base branch, no such run): exit 2 with the message. */
export class DataError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  'tracking-uri': { type: 'string' },
  'max-depth': { type: 'string' },
  'include-deleted': { type: 'boolean' },
  direction: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const COMMON_HELP = `  --json                  print JSON (validated against Runlens's schemas)
  --tracking-uri <uri>    an extra MLflow store: file:, sqlite:/// or a path
  --max-depth <n>         how deep to search the folder for stores (default 4)
  --include-deleted       include experiments and runs MLflow marks as deleted
  --direction <key=min|max>  which way a metric improves, when its name does not say (repeatable)
  -h, --help              show this help`;

export function parse<T extends Options>(args: string[], options: T, positionals: { max: number; name: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > positionals.max) throw new UsageError(`too many arguments: expected at most ${positionals.max} ${positionals.name}`);
  return parsed;
}

export function outputStyle(values: { json?: boolean; markdown?: boolean }): Style | 'json' {
  if (values.json && values.markdown) throw new UsageError('choose one of --json and --markdown');
  return values.json ? 'json' : values.markdown ? 'markdown' : 'text';
}

export function directions(values: { direction?: string[] }): DirectionOverrides {
  const overrides: Record<string, Direction> = {};
  for (const item of values.direction ?? []) {
    const at = item.lastIndexOf('=');
    const direction = item.slice(at + 1);
    if (at <= 0 || (direction !== 'min' && direction !== 'max')) throw new UsageError(`--direction takes key=min or key=max, got "${item}"`);
    overrides[item.slice(0, at)] = direction;
  }
  return overrides;
}

/** Warnings and errors of the core, written to the command's error stream. */
export function errLogger(io: Io): Logger {
  return {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: (m) => io.err(`warning: ${m}\n`),
    error: (m) => io.err(`error: ${m instanceof Error ? m.message : m}\n`),
  };
}

/** Opens `folder`, reads every store once and returns the service (dispose it) and its catalog. */
export async function openFolder(
  io: Io,
  folder: string | undefined,
  values: { 'tracking-uri'?: string; 'max-depth'?: string; 'include-deleted'?: boolean },
  git: Pick<FolderSettings, 'baseBranch' | 'head'> = {},
): Promise<{ service: FolderService; catalog: Catalog }> {
  const maxDepth = values['max-depth'] === undefined ? 4 : Number(values['max-depth']);
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new UsageError(`--max-depth must be a whole number, got "${values['max-depth']}"`);
  const service = new FolderService(
    resolve(folder ?? '.'),
    { ...git, trackingUri: values['tracking-uri'], maxDepth, includeDeleted: values['include-deleted'] ?? false },
    errLogger(io),
  );
  const catalog = await service.refresh(FULL_REFRESH);
  for (const d of catalog.diagnostics) io.err(`warning: ${d.file}: ${d.message}\n`);
  return { service, catalog };
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
