// `npm run bench`: generates (or reuses) a large MLflow file store and SQLite store, measures the I/O
// floors and each store's scan, re-scans and memory in one run, prints the table and writes
// bench/.data/results.json. See bench/README.md for how to read it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, ensureGenerated, whileUnstamped, type Stamp } from './data';
import { catAll, evictFromPageCache, readAllSync, sqliteCli } from './floors';
import { FILE_STORE_SHAPE, FILE_STORE_STAMP, generateFileStore } from './gen-file-store';
import { generateSqliteStore, SQLITE_STORE_SHAPE, SQLITE_STORE_STAMP } from './gen-sqlite-store';
import { MB, seconds, warmBestOf, type Timing } from './measure';
import type { BenchedKind, RescanMeasurement, StoreMeasurement } from './measure-store';
import { benchRows, bytesText, loadText, mbText, metText, ratioText, secondsText, table, writeResults, type Row } from './report';
import { benchCli } from './cli';
import { benchCompare } from './compare';
import { benchTensorboard } from './tensorboard';
import type { StoreShape } from './synthetic';

const REPEATS = 3;
const HEAP_GOAL_MB = 150;
const FLOOR_GOAL_RATIO = 2;

const log = (message: string) => console.error(`[bench] ${message}`);

interface StoreBench {
  kind: BenchedKind;
  label: string;
  location: string;
  shape: StoreShape;
  stamp: Stamp;
  generate: (path: string) => Promise<void>;
  /**
   * the floors, by name, each best of REPEATS after a warm-up; the first is the issue's floor (`cat` of the
   * files, the sqlite3 CLI), the goal's ratio is against it; the others are shown with their own ratio
   */
  floors: (measured: StoreMeasurement) => Record<string, () => unknown>;
}

function measureInChild(kind: BenchedKind, location: string, cold: boolean): StoreMeasurement {
  const out = join(DATA_DIR, `${kind}${cold ? '.cold' : ''}.measurement.json`);
  const script = join(__dirname, 'measure-store.ts');
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(DATA_DIR, 'profiles')}`] : [];
  const args = [...process.execArgv, ...profile, script, kind, location, out, ...(cold ? ['--cold'] : [])];
  const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`measuring ${kind} failed (exit ${child.status})`);
  return JSON.parse(readFileSync(out, 'utf8')) as StoreMeasurement;
}

async function benchStore(bench: StoreBench): Promise<{ rows: Row[]; measurements: object }> {
  const { kind, label, location, stamp } = bench;
  const generation = await ensureGenerated(location, stamp, bench.generate);
  log(`${label}: ${generation.reused ? 'reusing' : `generated in ${generation.seconds.toFixed(1)} s:`} ${location}`);
  log(`${label}: scanning in a child process (${REPEATS} fresh scans, then re-scans)`);
  const measured = await whileUnstamped(location, stamp, async () => measureInChild(kind, location, false));
  const floorRuns = bench.floors(measured);
  const floors: Record<string, Timing> = {};
  for (const [name, floor] of Object.entries(floorRuns)) {
    log(`${label}: floor ${name}`);
    floors[name] = await warmBestOf(REPEATS, floor);
  }
  const cold = await measureCold(bench, Object.values(floorRuns)[0]!);
  return { rows: storeRows(bench, measured, floors, cold), measurements: { generation, floors, store: measured, cold } };
}


/** One cold read of the floor and one cold scan, each after evicting the store from the page cache. */
async function measureCold(bench: StoreBench, floorRun: () => unknown): Promise<{ floor: number; scan: number } | undefined> {
  if (!evictFromPageCache([bench.location])) {
    log('cold page cache: skipped (needs python3 for posix_fadvise)');
    return undefined;
  }
  log(`${bench.label}: cold floor and cold scan`);
  const floor = await seconds(floorRun);
  evictFromPageCache([bench.location]);
  const scan = measureInChild(bench.kind, bench.location, true).scans[0];
  return { floor, scan };
}

function storeRows(bench: StoreBench, m: StoreMeasurement, floors: Record<string, Timing>, cold: { floor: number; scan: number } | undefined): Row[] {
  const { label, shape } = bench;
  const [floorName, { best: floor }] = Object.entries(floors)[0]!;
  const scan = Math.min(...m.scans);
  const info = (metric: string, value: string): Row => ({ metric: `${label}: ${metric}`, value, floor: '', ratio: '', goal: '', met: '' });
  const rescan = (metric: string, r: RescanMeasurement, files: number, goal: string): Row => ({
    ...info(metric, `${secondsText(r.seconds.best)}; ${r.filesRead} file(s), ${bytesText(r.bytesRead)} read`),
    goal,
    met: metText(r.filesRead === files && r.correct),
  });
  const expectedRuns = shape.runs;
  const expectedSummaries = shape.runs * shape.metrics;
  return [
    ...Object.entries(floors).map(([name, t]) => ({
      ...info(`floor ${name}${name === floorName ? ' (floor of the goal)' : ''}`, secondsText(t.best)),
      ratio: name === floorName ? '' : `scan is ${ratioText(scan / t.best)} this`,
    })),
    {
      ...info(`scan to summaries, fresh open()+scan(), best of ${m.scans.length}`, `${secondsText(scan)} (${secondsText(Math.min(...m.cpu))} CPU; ${m.stats.filesRead} files, ${mbText(m.stats.bytesRead)})`),
      floor: secondsText(floor),
      ratio: ratioText(scan / floor),
      goal: `<= ${FLOOR_GOAL_RATIO}x floor`,
      met: metText(scan / floor <= FLOOR_GOAL_RATIO),
    },
    {
      ...info('scan result', `${m.counts.runs} runs, ${m.counts.metricSummaries} metric summaries, ${m.counts.diagnostics} diagnostics`),
      goal: `${expectedRuns} runs, ${expectedSummaries} summaries, 0 diagnostics`,
      met: metText(m.counts.runs === expectedRuns && m.counts.metricSummaries === expectedSummaries && m.counts.diagnostics === 0),
    },
    { ...info('peak heap during scans', mbText(m.heap.peak)), goal: `<= ${HEAP_GOAL_MB} MB`, met: metText(m.heap.peak <= HEAP_GOAL_MB * MB) },
    info('heap kept by an opened, scanned store', mbText(m.heap.retained)),
    info('peak RSS of the measuring process', `${mbText(m.rss.peak)} (${mbText(m.rss.baseline)} before the first scan)`),
    rescan(`re-scan after 1 appended point, changedPaths hint, best of ${REPEATS}`, m.rescans!.hinted, 1, 'reads only the changed file, sees the point'),
    rescan(`re-scan after 1 appended point, no hint, best of ${REPEATS}`, m.rescans!.unhinted, 1, 'reads only the changed file, sees the point'),
    rescan(`re-scan, nothing changed, no hint, best of ${REPEATS}`, m.rescans!.unchanged, 0, 'reads nothing'),
    ...(cold ? [{ ...info('scan, cold page cache (1 run)', secondsText(cold.scan)), floor: secondsText(cold.floor), ratio: ratioText(cold.scan / cold.floor) }] : []),
  ];
}

const FILE_FLOORS = (root: string) => ({
  'find | xargs cat': () => catAll(root),
  'node readSync loop': () => readAllSync(root),
});

async function main(): Promise<void> {
  mkdirSync(DATA_DIR, { recursive: true });
  const mlruns = join(DATA_DIR, 'mlruns');
  const db = join(DATA_DIR, 'mlflow.db');
  const benches: StoreBench[] = [
    {
      kind: 'mlflow-file',
      label: 'file store',
      location: mlruns,
      shape: FILE_STORE_SHAPE,
      stamp: FILE_STORE_STAMP,
      generate: (path) => generateFileStore(path),
      floors: () => FILE_FLOORS(mlruns),
    },
    {
      kind: 'mlflow-sqlite',
      label: 'sqlite store',
      location: db,
      shape: SQLITE_STORE_SHAPE,
      stamp: SQLITE_STORE_STAMP,
      generate: async (path) => generateSqliteStore(path),
      floors: (m) => ({ [`sqlite3 CLI, the scan's ${m.queries?.length ?? 0} queries`]: () => sqliteCli(db, m.queries ?? []) }),
    },
  ];
  const rows: Row[] = [];
  const measurements: Record<string, object> = {};
  const load = { start: loadText(), end: '' };
  log(`starting; ${load.start}`);
  const total = await seconds(async () => {
    for (const bench of benches) {
      const result = await benchStore(bench);
      rows.push(...result.rows);
      measurements[bench.kind] = result.measurements;
    }
  });
  log('cli: runlens diff against runlens scan on the file store');
  rows.push(...benchRows('cli', await benchCli(mlruns, FILE_STORE_STAMP)));
  log('tensorboard: streaming a 50 MB event file');
  rows.push(...benchRows('tensorboard', await benchTensorboard(DATA_DIR)));
  log('compare: 200 runs x 10 metrics x 100,000 steps (a 7 GB store, generated once)');
  rows.push(...benchRows('compare', await benchCompare(DATA_DIR)));
  load.end = loadText();
  const resultsPath = join(DATA_DIR, 'results.json');
  writeResults(resultsPath, rows, measurements, load);
  console.log(table(rows));
  console.log(`\nbench took ${total.toFixed(0)} s; ${load.start} at the start, ${load.end} at the end; results: ${resultsPath}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
