// Root reads every file whatever its mode, so a permission test scans in a child process running as
// `nobody`. Run directly, this file scans one store and prints the ScanResult as JSON.
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { SourceKind } from '../../../src/core/model';
import type { ScanResult } from '../../../src/core/model';
import { providerFor } from '../../../src/sources';

const NOBODY = 65534;

/**
 * Scans `location` (a folder under the OS temp folder) as uid `nobody` when running as root, or as this
 * user, in a fresh process. The folders between the temp folder and `location` are opened to others.
 */
export function scanAsNobody(kind: SourceKind, location: string): ScanResult {
  const asRoot = process.getuid?.() === 0;
  const below = relative(tmpdir(), location);
  if (below.startsWith('..') || below === '') throw new Error(`${location} is not below ${tmpdir()}`);
  if (asRoot) for (let dir = location; dir !== tmpdir(); dir = dirname(dir)) chmodSync(dir, 0o755);
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, kind, location], {
    encoding: 'utf8',
    cwd: join(__dirname, '..', '..', '..'),
    ...(asRoot ? { uid: NOBODY, gid: NOBODY, env: { ...process.env, HOME: dirname(location) } } : {}),
  });
  if (child.status !== 0) throw new Error(`scan as nobody failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ScanResult;
}

if (require.main === module) {
  const [kind, location] = process.argv.slice(2) as [SourceKind, string];
  const store = providerFor(kind).open(location);
  void store.scan().then((result) => {
    process.stdout.write(JSON.stringify(result));
    store.dispose();
  });
}
