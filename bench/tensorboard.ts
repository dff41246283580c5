// TensorBoard bench: one ~50 MB event file of scalar summaries (one value per event, as SummaryWriter and
// Keras write them), read by a full scan and by loadSeries, against a plain fs read of the same bytes in the
// same run; the peak heap of the scan (it streams: far below the file size); and an incremental re-scan.
import { appendFile, mkdir, open, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { tensorboardProvider } from '../src/sources/tensorboard/index';
import { encodeEvent, frameRecord } from '../src/sources/tensorboard/encode';
import { CHUNK_SIZE } from '../src/sources/tensorboard/records';
import { ensureGenerated, whileUnstamped, type Stamp } from './data';
import { collectGarbage, HeapPeak, heapUsed, warmBestOf } from './measure';
import type { BenchRow } from './report';

const TAGS = 50;
const STEPS = 18_000;
const APPENDED_STEPS = 20;
const START = 1_700_000_000;
const STAMP: Stamp = { generator: 'tensorboard-event-file', version: 1, spec: { tags: TAGS, steps: STEPS } };
const RUN = 'version_0';
const FILE = `events.out.tfevents.${START}.bench.1.0`;
const REPEATS = 3;
const MB = 1024 * 1024;

const tagName = (i: number) => `train/metric_${String(i).padStart(2, '0')}`;

/** The events of steps [from, to): every tag once per step, a falling curve with some noise. */
function frames(from: number, to: number): Buffer {
  const parts: Buffer[] = [];
  for (let step = from; step < to; step++) {
    for (let tag = 0; tag < TAGS; tag++) {
      const value = 1 / (1 + step / 1000) + ((step * 7919 + tag * 104729) % 1000) / 100_000;
      parts.push(frameRecord(encodeEvent({ wallTime: START + step * 0.5 + tag * 1e-4, step, values: [{ tag: tagName(tag), simpleValue: value }] })));
    }
  }
  return Buffer.concat(parts);
}

async function generate(store: string): Promise<void> {
  await mkdir(join(store, RUN), { recursive: true });
  const file = join(store, RUN, FILE);
  await appendFile(file, frameRecord(encodeEvent({ wallTime: START, fileVersion: 'brain.Event:2' })));
  for (let step = 0; step < STEPS; step += 1000) await appendFile(file, frames(step, Math.min(STEPS, step + 1000)));
}

/** The I/O floor: the same bytes read through fs in the reader's chunk size. */
async function readPlain(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

async function fullScan(store: string): Promise<number> {
  const opened = tensorboardProvider.open(store);
  const result = await opened.scan();
  const count = result.runs[0]?.metrics[tagName(0)]?.count ?? 0;
  if (result.diagnostics.length > 0 || count !== STEPS) throw new Error(`bench scan is wrong: ${count} points, ${JSON.stringify(result.diagnostics)}`);
  return opened.lastScanStats.bytesRead;
}

export async function benchTensorboard(dataDir: string): Promise<BenchRow[]> {
  const store = join(dataDir, 'tensorboard-logs');
  await ensureGenerated(store, STAMP, generate);
  const file = join(store, RUN, FILE);
  const size = (await stat(file)).size;
  const mbps = (seconds: number) => size / MB / seconds;

  const floor = mbps((await warmBestOf(REPEATS, () => readPlain(file))).best);
  const scan = mbps((await warmBestOf(REPEATS, () => fullScan(store))).best);
  const series = mbps(
    (
      await warmBestOf(REPEATS, async () => {
        const { points } = await tensorboardProvider.open(store).loadSeries(RUN, tagName(7));
        if (points.length !== STEPS) throw new Error(`bench series has ${points.length} points`);
      })
    ).best,
  );

  collectGarbage();
  const baseline = heapUsed();
  const peak = new HeapPeak(1);
  await fullScan(store);
  const peakHeap = (peak.stop() - baseline) / MB;

  const rescanBytes = await whileUnstamped(store, STAMP, async () => {
    const opened = tensorboardProvider.open(store);
    await opened.scan();
    const appended = frames(STEPS, STEPS + APPENDED_STEPS);
    await appendFile(file, appended);
    try {
      await opened.scan({ changedPaths: [file] });
      if (opened.lastScanStats.bytesRead !== appended.length) throw new Error(`re-scan read ${opened.lastScanStats.bytesRead} B, ${appended.length} B were appended`);
      return opened.lastScanStats.bytesRead;
    } finally {
      await truncate(file, size);
    }
  });

  return [
    { name: `fs read of a ${(size / MB).toFixed(0)} MB event file`, value: floor, unit: 'MB/s' },
    { name: 'full scan (CRC-checked, every event decoded)', value: scan, unit: 'MB/s', floor, goal: '>= 50 MB/s' },
    { name: 'loadSeries of one tag (streams the whole file)', value: series, unit: 'MB/s', floor, goal: '>= 50 MB/s' },
    { name: 'peak heap during a full scan', value: peakHeap, unit: 'MB', goal: `<= ${(size / MB / 3).toFixed(0)} MB (a third of the file: it streams)` },
    { name: `re-scan after ${APPENDED_STEPS * TAGS} appended events`, value: rescanBytes, unit: 'B read', goal: 'only the appended bytes' },
  ];
}
