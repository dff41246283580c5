// The I/O floors a store's scan is compared with: the cheapest way to read what the scan must read.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadTotals {
  files: number;
  bytes: number;
}

/** Every regular file below `dir`: what a FileStore scan must read (the bench store has no artifacts). */
function listFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, into);
    else if (entry.isFile()) into.push(path);
  }
  return into;
}

/** `find | xargs cat > /dev/null`: listing and reading in native tools. */
export function catAll(dir: string): void {
  const result = spawnSync('sh', ['-c', 'find "$0" -type f -print0 | xargs -0 cat > /dev/null', dir], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`find | xargs cat failed with status ${result.status}`);
}

/** One Node process, synchronous calls, one reused buffer: the least work Node can do to read every file. */
export function readAllSync(dir: string): ReadTotals {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  const totals: ReadTotals = { files: 0, bytes: 0 };
  for (const path of listFiles(dir)) {
    const fd = openSync(path, 'r');
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) totals.bytes += n;
    closeSync(fd);
    totals.files++;
  }
  return totals;
}

/** The sqlite3 CLI running `statements` read-only, output to /dev/null. */
export function sqliteCli(db: string, statements: readonly string[]): void {
  execFileSync('sqlite3', ['-readonly', db], { input: statements.map((s) => `${s.trim()};\n`).join(''), stdio: ['pipe', 'ignore', 'inherit'] });
}

/**
 * Drops `paths` (files, or every file below a folder) from the page cache with posix_fadvise(DONTNEED)
 * after a sync, so that the next read comes from disk. Only these files: no global drop_caches. Folder
 * entries and inodes stay cached. Needs python3 (Node has no fadvise); returns false without it.
 */
export function evictFromPageCache(paths: readonly string[]): boolean {
  const script = `
import os, sys
os.sync()
def evict(path):
    fd = os.open(path, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
for root in sys.argv[1:]:
    if os.path.isdir(root):
        for d, _, files in os.walk(root):
            for f in files: evict(os.path.join(d, f))
    else:
        evict(root)
`;
  return spawnSync('python3', ['-c', script, ...paths], { stdio: 'inherit' }).status === 0;
}
