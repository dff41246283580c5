// Private, dated copies of the real fixtures for the folder-store tests (hf-trainer, lightning, wandb), and
// the fuzz loop they share.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanResult } from '../../../src/core/model';
import type { TrackingStore } from '../../../src/core/source';
import { mutations } from './fuzz';

/** Long enough ago that no run counts as RUNNING. */
export const LONG_AGO = new Date('2024-01-01T00:00:00Z');

/** Copies `test/fixtures/<name>` into a new temp folder, every entry dated `at`; returns the copy. */
export function copyFixture(name: string, at = LONG_AGO): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'runlens-')), name);
  cpSync(join(__dirname, '..', '..', 'fixtures', name), copy, { recursive: true });
  dateTree(copy, at);
  return copy;
}

/** Sets the mtime of `path` and of everything below it. */
export function dateTree(path: string, at: Date): void {
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) utimesSync(join(entry.parentPath, entry.name), at, at);
  utimesSync(path, at, at);
}

/**
 * Writes `count` mutations of `file` over it, each with its own mtime and scanned by `store` (which so re-reads
 * only this file, from a previous offset where it only grew): the scan must not throw and must validate.
 * Restores the file; returns how many scans reported a problem with it.
 */
export async function fuzzFile(store: TrackingStore, file: string, count: number, seed: number): Promise<number> {
  const original = readFileSync(file);
  let reported = 0;
  let at = LONG_AGO.getTime();
  try {
    for (const mutated of mutations(original, count, seed)) {
      writeFileSync(file, mutated);
      at += 1000;
      utimesSync(file, at / 1000, at / 1000);
      const result = await store.scan();
      assert.doesNotThrow(() => ScanResult.parse(result), `mutation of ${file} (${mutated.length} bytes)`);
      if (result.diagnostics.some((d) => d.file === file)) reported++;
    }
  } finally {
    writeFileSync(file, original);
  }
  return reported;
}
