// `runlens diff` against `runlens scan` on the 2,000-run file store (issue: CI for ML): what a diff adds
// to the scan it is built on. The store's runs point at made-up commits, so for the measurement their
// commit tags are pointed at the commits of a small repository (main and a feature branch) and put back
// afterwards.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRepo } from '../test/unit/helpers/git-fixture';
import { whileUnstamped, type Stamp } from './data';
import { warmBestOf } from './measure';
import type { BenchRow } from './report';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const TAG = join('tags', 'mlflow.source.git.commit');
const REPEATS = 3;

/** Every run folder's commit tag file, by experiment folder. */
function commitTags(mlruns: string): string[] {
  return readdirSync(mlruns, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d+$/.test(e.name))
    .flatMap((e) => readdirSync(join(mlruns, e.name), { withFileTypes: true }).filter((r) => r.isDirectory()).map((r) => join(mlruns, e.name, r.name, TAG)));
}

export async function benchCli(mlruns: string, stamp: Stamp): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'runlens-bench-cli-'));
  try {
    const repo = makeRepo(folder);
    const main = Array.from({ length: 20 }, (_, i) => repo.commit(`main ${i}`, { 'train.py': `# ${i}\n` }));
    repo.branch('feature');
    repo.checkout('feature');
    const feature = Array.from({ length: 5 }, (_, i) => repo.commit(`feature ${i}`, { 'model.py': `# ${i}\n` }));
    const real = [...main, ...feature];
    const cli = (...args: string[]) => () => execFileSync(process.execPath, [CLI, ...args, '--tracking-uri', mlruns, '--max-depth', '0', '--json'], { stdio: ['ignore', 'ignore', 'ignore'] });
    return await whileUnstamped(mlruns, stamp, async () => {
      const files = commitTags(mlruns);
      const original = files.map((f) => readFileSync(f, 'utf8'));
      const distinct = [...new Set(original)];
      try {
        files.forEach((f, i) => writeFileSync(f, real[Math.floor((distinct.indexOf(original[i]!) * real.length) / distinct.length)]!));
        const scan = await warmBestOf(REPEATS, cli('scan', folder));
        const diff = await warmBestOf(REPEATS, cli('diff', 'main', '--folder', folder, '--metric', 'val_loss'));
        return [
          { name: `runlens scan --json, ${files.length} runs, best of ${REPEATS}`, value: scan.best, unit: 's' },
          { name: `runlens diff main --json, best of ${REPEATS}`, value: diff.best, unit: 's', floor: scan.best, goal: 'adds little to the scan' },
        ];
      } finally {
        files.forEach((f, i) => writeFileSync(f, original[i]!));
      }
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
