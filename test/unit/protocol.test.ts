// The compare panel's contracts: the messages both ways (what they accept and refuse), the state the
// serializer restores from, run colours, what the panel and status bar compute from a comparison (deltas
// by direction, branch against base) and the CSV export.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog, ScopedRun } from '../../src/core/catalog';
import { compareRuns } from '../../src/core/compare';
import { summarize } from '../../src/core/model';
import { branchVersusBase } from '../../src/ide/panels/branch-base';
import { tableCsv, toCsv } from '../../src/ide/panels/csv';
import { HostEnvelope, HostMessage, PanelState, toSeriesData, WebviewMessage } from '../../src/protocol/compare';
import { RUN_PALETTE, runColorIndex } from '../../src/protocol/run-colors';
import { mutations } from './helpers/fuzz';

function run(id: string, scope: ScopedRun['scope'], metrics: Record<string, number[]>, params: Record<string, string> = {}, startTime = 0): ScopedRun {
  return {
    id, name: `run ${id}`, experiment: 'e', experimentId: '1', status: 'FINISHED', startTime, params, tags: {},
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, vs]) => [k, summarize(k, vs.map((value, step) => ({ step, value, timestamp: step })))!])),
    git: { commit: `${id}`.padEnd(40, '0') }, source: 'mlflow-file', store: '/s', path: `/s/${id}`, deleted: false, scope, key: `/s#${id}`,
  };
}

const panelRun = (r: ScopedRun) => ({ key: r.key, name: r.name, experiment: r.experiment, status: r.status, scope: r.scope, startTime: r.startTime, commit: r.git.commit });
const runs = [run('a', 'base', { 'val/loss': [1, 0.5], acc: [0.7] }, { lr: '0.1' }), run('b', 'branch', { 'val/loss': [1, 0.4], acc: [0.6], odd: [3] }, { lr: '0.01' })];
const comparison = compareRuns(runs, { directions: { odd: 'max' } });
const series = toSeriesData([{ step: 0, value: 1, timestamp: 10 }, { step: 1, value: 0.5, timestamp: 20 }]);

const validHost: HostMessage[] = [
  { type: 'init', title: 'Compare 2 runs', runs: runs.map(panelRun), comparison, primaryMetric: 'acc', missing: ['/gone#x'] },
  { type: 'update', runs: runs.map(panelRun), comparison },
  { type: 'series', metric: 'val/loss', entries: [{ run: '/s#a', data: series, total: 2, nonFinite: 0 }] },
  { type: 'append', metric: 'val/loss', entries: [{ run: '/s#a', data: series }] },
  { type: 'requestPng', metric: 'acc', requestId: 3 },
];

const validWebview: WebviewMessage[] = [
  { type: 'ready' },
  { type: 'loadSeries', metrics: ['acc', 'val/loss'] },
  { type: 'setBaseline', run: '/s#b' },
  { type: 'removeRun', run: '/s#b' },
  { type: 'addRuns' },
  { type: 'revealRun', run: '/s#a' },
  { type: 'exportCsv', table: 'params' },
  { type: 'exportPng', metric: 'acc', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', requestId: 1 },
  { type: 'rendered', through: 12, charts: 3 },
  { type: 'problem', message: 'the Content Security Policy blocked inline code (script-src-elem)' },
];

test('every message of both directions passes its schema as the other side builds it', () => {
  for (const message of validHost) assert.deepEqual(HostEnvelope.parse({ seq: 1, message }).message, message, message.type);
  for (const message of validWebview) assert.deepEqual(WebviewMessage.parse(message), message, message.type);
});

test('malformed host messages are refused', () => {
  const init = validHost[0] as Extract<HostMessage, { type: 'init' }>;
  const malformed: unknown[] = [
    null,
    'init',
    { type: 'init' },
    { type: 'reset' },
    { ...init, runs: [{ ...init.runs[0], status: 'DONE' }] },
    { ...init, comparison: { ...comparison, baseline: -1 } },
    { ...init, comparison: { ...comparison, metrics: [{ key: 'acc', cells: [{ last: '0.7', step: 0, best: 0.7 }] }] } },
    { type: 'series', metric: 'acc', entries: [{ run: 'a', data: { steps: [0, 1], values: [1], times: [0, 1] }, total: 2, nonFinite: 0 }] },
    { type: 'series', metric: 'acc', entries: [{ run: 'a', data: { steps: [0], values: [NaN], times: [0] }, total: 1, nonFinite: 0 }] },
    { type: 'series', metric: 'acc', entries: [{ run: 'a', data: { steps: [0], values: [Infinity], times: [0] }, total: 1, nonFinite: 0 }] },
    { type: 'series', metric: '', entries: [] },
    { type: 'append', metric: 'acc', entries: [{ run: 'a', data: 'steps=0' }] },
    { type: 'requestPng', metric: 'acc', requestId: 1.5 },
  ];
  for (const message of malformed) assert.equal(HostEnvelope.safeParse({ seq: 1, message }).success, false, JSON.stringify(message));
  assert.equal(HostEnvelope.safeParse({ seq: -1, message: validHost[1] }).success, false, 'negative sequence number');
  assert.equal(HostEnvelope.safeParse(validHost[1]).success, false, 'a message without its envelope');
});

test('malformed webview messages are refused: unknown kinds, wrong fields, anything but a PNG data URL', () => {
  const malformed: unknown[] = [
    undefined,
    {},
    { type: 'eval', code: 'x' },
    { type: 'loadSeries', metrics: [] },
    { type: 'loadSeries', metrics: 'acc' },
    { type: 'setBaseline' },
    { type: 'exportCsv', table: 'everything' },
    { type: 'exportPng', metric: 'acc', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' },
    { type: 'exportPng', metric: 'acc', dataUrl: 'javascript:alert(1)' },
    { type: 'exportPng', metric: 'acc', dataUrl: 'data:image/png;base64,<script>' },
    { type: 'rendered', through: -1, charts: 0 },
    { type: 'rendered', through: 1, charts: 0.5 },
    { type: 'problem', message: 'x'.repeat(5000) },
  ];
  for (const message of malformed) assert.equal(WebviewMessage.safeParse(message).success, false, JSON.stringify(message)?.slice(0, 80));
});

/** The mutations of `value`'s JSON that are still JSON, parsed. */
function* jsonMutations(value: unknown, count: number, seed: number): Generator<unknown> {
  for (const mutated of mutations(Buffer.from(JSON.stringify(value)), count, seed)) {
    try {
      yield JSON.parse(mutated.toString('utf8'));
    } catch {
      // not JSON any more: postMessage could not have carried it
    }
  }
}

test('fuzzed messages never throw: each is accepted as a well-formed message or refused', () => {
  const kinds = new Set(['ready', 'loadSeries', 'setBaseline', 'removeRun', 'addRuns', 'revealRun', 'exportCsv', 'exportPng', 'rendered', 'problem']);
  let parsed = 0;
  for (const [i, message] of validWebview.entries()) {
    for (const value of jsonMutations(message, 300, 100 + i)) {
      parsed++;
      const result = WebviewMessage.safeParse(value);
      if (result.success) assert.ok(kinds.has(result.data.type));
    }
  }
  for (const [i, message] of validHost.entries()) {
    for (const value of jsonMutations({ seq: 1, message }, 200, 200 + i)) {
      parsed++;
      assert.doesNotThrow(() => HostEnvelope.safeParse(value));
    }
  }
  assert.ok(parsed > 500, `only ${parsed} mutations were JSON`);
});

test('the saved panel state: defaults for what is missing or damaged, the rest kept', () => {
  assert.deepEqual(PanelState.parse({}), {
    runs: [], x: 'step', logY: false, smoothing: 0.6, differencesOnly: true,
    sort: { column: 'metric', descending: false }, hidden: {},
  });
  const state = PanelState.parse({ runs: ['/s#a', '/s#b'], baseline: '/s#b', x: 'sideways', logY: 'yes', smoothing: 7, sort: { column: '/s#a', descending: true }, hidden: { acc: ['/s#a'] } });
  assert.deepEqual(state, { runs: ['/s#a', '/s#b'], baseline: '/s#b', x: 'step', logY: false, smoothing: 0.6, differencesOnly: true, sort: { column: '/s#a', descending: true }, hidden: { acc: ['/s#a'] } });
  assert.deepEqual(PanelState.parse({ runs: 'a,b' }).runs, []);
  assert.equal(PanelState.safeParse('not an object').success, false);
});

test('run colours: a run keeps its colour, keys spread over the whole palette', () => {
  assert.equal(runColorIndex('/work/mlruns#0a1b'), runColorIndex('/work/mlruns#0a1b'));
  assert.equal(runColorIndex('a'), 0xe40c292c % RUN_PALETTE.length, 'FNV-1a of "a"');
  const used = new Set(Array.from({ length: 1000 }, (_, i) => runColorIndex(`/repo/mlruns#${i.toString(16).padStart(32, '0')}`)));
  assert.deepEqual([...used].sort((x, y) => x - y), RUN_PALETTE.map((_, i) => i));
});

test('deltas against the baseline and verdicts by direction, with runlens.metricDirections overrides', () => {
  const row = (key: string) => comparison.metrics.find((m) => m.key === key)!;
  assert.deepEqual(row('val/loss').cells[1], { last: 0.4, step: 1, best: 0.4, delta: 0.4 - 0.5, relative: (0.4 - 0.5) / 0.5, verdict: 'better' });
  assert.equal(row('acc').cells[1]!.verdict, 'worse');
  assert.equal(row('odd').cells[0], null);
  assert.equal(compareRuns(runs, { directions: { acc: 'min' } }).metrics.find((m) => m.key === 'acc')!.cells[1]!.verdict, 'better', 'the override turns it round');
  assert.equal(compareRuns(runs, { directions: { 'val/*': 'max' } }).metrics.find((m) => m.key === 'val/loss')!.cells[1]!.verdict, 'worse', 'globs');
});

test('branch against base: the best of each by the primary metric and its direction, and the delta', () => {
  const catalog = (list: ScopedRun[]): Catalog => ({
    experiments: [], runs: list, models: [], datasets: [], diagnostics: [],
    git: { isRepo: true, branch: 'feature', base: 'main', branchCommits: new Set(), reachable: new Set(), shallow: false },
  });
  const list = [
    run('m1', 'base', { 'val/acc': [0.5, 0.9] }, {}, 1), run('m2', 'base', { 'val/acc': [0.93] }, {}, 2),
    run('f1', 'branch', { 'val/acc': [0.95] }, {}, 3), run('f2', 'branch', { 'val/acc': [0.91] }, {}, 4), run('o', 'other', { 'val/acc': [0.99] }, {}, 5),
  ];
  const result = branchVersusBase(catalog(list), 'val/acc', {});
  assert.deepEqual([result.branchRuns, result.metric, result.direction, result.branchBest?.id, result.baseBest?.id, result.better], [2, 'val/acc', 'max', 'f1', 'm2', true]);
  assert.ok(Math.abs(result.delta! - 0.02) < 1e-12);
  const flipped = branchVersusBase(catalog(list), 'val/acc', { 'val/*': 'min' });
  assert.deepEqual([flipped.branchBest?.id, flipped.baseBest?.id, flipped.better], ['f2', 'm1', false]);
  const unknown = branchVersusBase(catalog([run('f', 'branch', { epoch: [3] })]), undefined, {});
  assert.deepEqual([unknown.metric, unknown.direction, unknown.branchBest], ['epoch', undefined, undefined], 'no direction: nothing to rank by');
  const fallback = branchVersusBase(catalog(list), 'not/logged', {});
  assert.equal(fallback.metric, 'val/acc', 'a configured metric no run has falls back to the newest branch run’s first');
});

test('CSV: RFC 4180 quoting, formula-looking text defused, numbers as they are', () => {
  assert.equal(toCsv([['a,b', 'say "hi"', 'two\nlines', ' pad'], [-0.5, 1e-7, null, undefined]]), '"a,b","say ""hi""","two\nlines"," pad"\r\n-0.5,1e-7,,\r\n');
  assert.equal(toCsv([['=HYPERLINK("x")', '+1+1', '@SUM(A1)', '-2', '-x']]), `"'=HYPERLINK(""x"")",'+1+1,'@SUM(A1),-2,'-x\r\n`);
  const view = { title: 'Compare 2 runs', runs: runs.map(panelRun), comparison, missing: [] };
  const summary = tableCsv(view, 'summary').split('\r\n');
  assert.equal(summary[0], 'metric,direction,run a (baseline) last,run a (baseline) best,run a (baseline) delta,run b last,run b best,run b delta');
  assert.equal(summary.find((line) => line.startsWith('val/loss,')), `val/loss,min,0.5,0.5,,0.4,0.4,${0.4 - 0.5}`);
  const params = tableCsv(view, 'params').split('\r\n');
  assert.deepEqual(params.slice(0, 2), ['kind,key,run a,run b,differs', 'param,lr,0.1,0.01,true']);
  assert.ok(params.includes(`git,commit,${'a'.padEnd(40, '0')},${'b'.padEnd(40, '0')},true`));
});
