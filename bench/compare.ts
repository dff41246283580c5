// Compare-panel bench on a generated MLflow file store of 200 runs × 10 metrics × 100,000 steps (real
// metric files, ~7.5 GB, written once by gen-file-store.ts and reused): per run, the time to read its 10
// series against the time to turn them into the panel's payload (downsampling, column encoding, JSON as
// postMessage sends it); the payload's size; and the time the built webview takes, in Chromium, from its
// script loading to the first chart painted with all 200 runs (a plain page with a stub
// acquireVsCodeApi that answers like the host, with the payloads prepared here).
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runKey } from '../src/core/catalog';
import { compareRuns } from '../src/core/compare';
import type { MetricPoint, Run } from '../src/core/model';
import { downsample, seriesTarget } from '../src/core/series';
import { toSeriesData, type HostMessage, type SeriesEntry } from '../src/protocol/compare';
import { providerFor } from '../src/sources';
import { CHROMIUM_BIN } from '../test/harness/code-server';
import { ensureGenerated, type Stamp } from './data';
import { generateFileStore } from './gen-file-store';
import type { BenchRow } from './report';
import type { StoreShape } from './synthetic';

export const COMPARE_SHAPE: StoreShape = { experiments: 1, runs: 200, metrics: 10, steps: 100_000, params: 20, seed: 3 };
const PAYLOAD_GOAL_MB = 2;
const PAINT_REPEATS = 3;
const MB = 1024 * 1024;
const WEBVIEW = resolve(__dirname, '..', 'dist', 'webview');

/** What the host posts for one series, and what that costs. */
function prepare(metric: string, run: string, points: readonly MetricPoint[], target: number): { entry: SeriesEntry; bytes: number } {
  const entry: SeriesEntry = { run, data: toSeriesData(downsample(points, target)), total: points.length, nonFinite: 0 };
  const message: HostMessage = { type: 'series', metric, entries: [entry] };
  return { entry, bytes: Buffer.byteLength(JSON.stringify({ seq: 1, message })) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchCompare(dataDir: string, shape: StoreShape = COMPARE_SHAPE): Promise<BenchRow[]> {
  const location = join(dataDir, `compare-mlruns-${shape.runs}x${shape.metrics}x${shape.steps}`);
  const stamp: Stamp = { generator: 'mlflow-file', version: 1, spec: shape };
  await ensureGenerated(location, stamp, (path) => generateFileStore(path, shape));
  const store = providerFor('mlflow-file').open(location);
  const { runs, diagnostics } = await store.scan();
  if (runs.length !== shape.runs || diagnostics.length > 0) throw new Error(`compare bench store: ${runs.length} runs, ${diagnostics.length} diagnostics`);

  const few = seriesTarget(2);
  const many = seriesTarget(runs.length);
  const perRun: Array<{ read: number; prepare: number; fewBytes: number; manyBytes: number }> = [];
  const payload = new Map<string, SeriesEntry[]>();
  for (const run of runs) {
    const cost = { read: 0, prepare: 0, fewBytes: 0, manyBytes: 0 };
    for (const metric of Object.keys(run.metrics).sort()) {
      const started = performance.now();
      const { points } = await store.loadSeries(run.id, metric);
      const read = performance.now();
      cost.fewBytes += prepare(metric, runKey(run), points, few).bytes;
      cost.prepare += performance.now() - read;
      cost.read += read - started;
      if (points.length !== shape.steps) throw new Error(`${run.id} ${metric}: ${points.length} points`);
      const { entry, bytes } = prepare(metric, runKey(run), points, many);
      cost.manyBytes += bytes;
      payload.set(metric, [...(payload.get(metric) ?? []), entry]);
    }
    perRun.push(cost);
  }
  const read = median(perRun.map((c) => c.read)) / 1000;
  const prep = median(perRun.map((c) => c.prepare)) / 1000;
  const fewMb = median(perRun.map((c) => c.fewBytes)) / MB;
  const manyMb = median(perRun.map((c) => c.manyBytes)) / MB;
  const totalMb = perRun.reduce((sum, c) => sum + c.manyBytes, 0) / MB;
  const paint = await paintTimes(dataDir, initMessage(runs), payload);

  const perSeries = `${shape.metrics} series of ${shape.steps.toLocaleString('en-US')} points`;
  return [
    { name: `read one run's ${perSeries} (loadSeries), median of ${runs.length} runs`, value: read, unit: 's' },
    { name: `prepare that run's payload (downsample to ${few}, encode, JSON), median`, value: prep, unit: 's', floor: read, goal: '<= 0.1x the read', met: prep <= read / 10 },
    { name: `payload per run (${shape.metrics} metrics), 2 runs compared, ${few} points a series`, value: fewMb, unit: 'MB', goal: `<= ${PAYLOAD_GOAL_MB} MB`, met: fewMb <= PAYLOAD_GOAL_MB },
    { name: `payload per run (${shape.metrics} metrics), ${runs.length} runs compared, ${many} points a series`, value: manyMb, unit: 'MB', goal: `<= ${PAYLOAD_GOAL_MB} MB`, met: manyMb <= PAYLOAD_GOAL_MB },
    { name: `payload of the whole comparison, ${runs.length} runs x ${shape.metrics} metrics`, value: totalMb, unit: 'MB' },
    { name: `webview: script start to first chart painted, ${runs.length} runs, best of ${PAINT_REPEATS}`, value: paint.first, unit: 'ms' },
    { name: `webview: script start to the ${paint.charts} charts near the screen painted, best of ${PAINT_REPEATS}`, value: paint.all, unit: 'ms' },
  ];
}

function initMessage(runs: readonly Run[]): HostMessage {
  return {
    type: 'init',
    title: `Compare ${runs.length} runs`,
    runs: runs.map((run) => ({ key: runKey(run), name: run.name, experiment: run.experiment, status: run.status, scope: 'unlinked', startTime: run.startTime, commit: run.git.commit })),
    comparison: compareRuns(runs),
    primaryMetric: 'val_accuracy',
    missing: [],
  };
}

/**
 * Loads the built webview in a plain page whose stub `acquireVsCodeApi` answers `ready` with `init` and
 * `loadSeries` with the prepared series in batches of 16 runs, as the host does; times, from the moment the
 * script is added, the first `rendered` report with a chart drawn and the one with every requested chart.
 */
async function paintTimes(dataDir: string, init: HostMessage, payload: Map<string, SeriesEntry[]>): Promise<{ first: number; all: number; charts: number }> {
  const page = join(dataDir, 'compare-bench.html');
  await writeFile(page, `<!DOCTYPE html><html><head><meta charset="UTF-8"><link rel="stylesheet" href="${pathToFileURL(join(WEBVIEW, 'compare.css'))}"></head><body><main id="app"></main></body></html>`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'] });
  try {
    const times: Array<{ first: number; all: number; charts: number }> = [];
    for (let i = 0; i < PAINT_REPEATS; i++) {
      const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await tab.goto(pathToFileURL(page).href);
      await tab.evaluate((data) => Object.assign(globalThis, { runlensPayload: data }), { init, series: Object.fromEntries(payload) });
      await tab.evaluate(STUB_HOST);
      const result = (await tab.evaluate(`window.runlensBench.start(${JSON.stringify(pathToFileURL(join(WEBVIEW, 'compare.js')).href)})`)) as {
        first: number;
        all: number;
        charts: number;
        problems: string[];
      };
      if (result.problems.length > 0) throw new Error(`the webview reported: ${result.problems.join('; ')}`);
      times.push(result);
      await tab.close();
    }
    return { first: Math.min(...times.map((t) => t.first)), all: Math.min(...times.map((t) => t.all)), charts: times[0]!.charts };
  } finally {
    await browser.close();
  }
}

/** The host, as far as the page can tell: a string, since this project compiles without the DOM types. */
const STUB_HOST = `(() => {
  const payload = window.runlensPayload;
  let state;
  let seq = 0;
  let done;
  const marks = { start: 0, first: 0, all: 0, charts: 0, requested: [], problems: [] };
  const post = (message) => setTimeout(() => window.postMessage({ seq: ++seq, message }, '*'));
  window.acquireVsCodeApi = () => ({
    getState: () => state,
    setState: (value) => { state = value; },
    postMessage: (message) => {
      if (message.type === 'ready') post(payload.init);
      if (message.type === 'problem') marks.problems.push(message.message);
      if (message.type === 'loadSeries') {
        for (const metric of message.metrics) {
          marks.requested.push(metric);
          const entries = payload.series[metric] || [];
          for (let i = 0; i < entries.length; i += 16) post({ type: 'series', metric, entries: entries.slice(i, i + 16) });
        }
      }
      if (message.type === 'rendered' && message.charts > 0) {
        const now = performance.now() - marks.start;
        if (!marks.first) marks.first = now;
        if (!marks.all && message.charts >= marks.requested.length && marks.requested.length > 0) {
          marks.all = now;
          marks.charts = message.charts;
          done(marks);
        }
      }
    },
  });
  window.runlensBench = {
    start: (src) => new Promise((resolve) => {
      done = resolve;
      setTimeout(() => resolve({ ...marks, problems: [...marks.problems, 'no chart painted within 120 s'] }), 120000);
      marks.start = performance.now();
      const script = document.createElement('script');
      script.src = src;
      document.body.append(script);
    }),
  };
})()`;
