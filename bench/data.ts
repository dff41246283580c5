// Where generated stores live, and when a stored one can be reused instead of generated again.
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DATA_DIR = join(__dirname, '.data');

/** Written beside a generated store; a store is reused only when its stamp equals the generator's. */
export interface Stamp {
  generator: string;
  version: number;
  spec: object;
}

const stampPath = (target: string) => `${target}.stamp.json`;

/**
 * Makes sure `target` holds what `generate` would write for `stamp`: reuses it when its stamp matches,
 * otherwise generates into a temporary path and renames it into place, so an interrupted run never
 * leaves a half-written store that looks complete.
 */
export async function ensureGenerated(
  target: string,
  stamp: Stamp,
  generate: (path: string) => Promise<void>,
): Promise<{ reused: boolean; seconds: number }> {
  const started = performance.now();
  if (existsSync(target) && (await readStamp(target)) === JSON.stringify(stamp)) return { reused: true, seconds: 0 };
  const partial = `${target}.partial`;
  await Promise.all([rm(target, { recursive: true, force: true }), rm(partial, { recursive: true, force: true })]);
  await generate(partial);
  await rename(partial, target);
  await writeStamp(target, stamp);
  return { reused: false, seconds: (performance.now() - started) / 1000 };
}

/**
 * Brackets a benchmark step that writes into a generated store (the re-scan tests append and then undo):
 * if the process dies in between, the missing stamp makes the next run regenerate the store.
 */
export async function whileUnstamped<T>(target: string, stamp: Stamp, step: () => Promise<T>): Promise<T> {
  await rm(stampPath(target), { force: true });
  const result = await step();
  await writeStamp(target, stamp);
  return result;
}

async function readStamp(target: string): Promise<string | undefined> {
  try {
    return (await readFile(stampPath(target), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

const writeStamp = (target: string, stamp: Stamp) => writeFile(stampPath(target), `${JSON.stringify(stamp)}\n`);
