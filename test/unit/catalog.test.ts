import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog, primaryMetricKey, rescope, runKey, visibleRuns } from '../../src/core/catalog';
import { emptyScan, extendSummary, summarize, type Run } from '../../src/core/model';
import type { GitView } from '../../src/core/scope';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function run(id: string, commit?: string): Run {
  return {
    id, name: id, experiment: 'exp', experimentId: '1', status: 'FINISHED', params: {}, tags: {},
    metrics: {}, git: commit ? { commit } : {}, source: 'mlflow-file', store: '/s', path: `/s/1/${id}`, deleted: false,
  };
}

const onFeature: GitView = { isRepo: true, head: C, branch: 'feature', base: 'main', mergeBase: B, branchCommits: new Set([C]), reachable: new Set([A, B, C]), shallow: false };
const onMain: GitView = { isRepo: true, head: B, branch: 'main', base: 'main', mergeBase: B, branchCommits: new Set(), reachable: new Set([A, B]), shallow: false };

test('buildCatalog merges stores and places each run in its scope', () => {
  const scans = [
    { ...emptyScan(), runs: [run('on-feature', C), run('on-main', A)] },
    { ...emptyScan(), runs: [run('unlinked'), run('elsewhere', 'd'.repeat(40))], diagnostics: [{ file: '/x', message: 'bad', severity: 'error' as const }] },
  ];
  const catalog = buildCatalog(scans, onFeature);
  assert.deepEqual(
    catalog.runs.map((r) => [r.id, r.scope]),
    [['on-feature', 'branch'], ['on-main', 'base'], ['unlinked', 'unlinked'], ['elsewhere', 'other']],
  );
  assert.equal(catalog.diagnostics.length, 1);
  assert.equal(catalog.runs[0]!.key, runKey({ store: '/s', id: 'on-feature' }));
  assert.deepEqual(visibleRuns(catalog, false).map((r) => r.id), ['on-feature', 'on-main', 'unlinked']);
  assert.equal(visibleRuns(catalog, true).length, 4);
});

test('rescope moves runs after a checkout without touching anything else', () => {
  const catalog = buildCatalog([{ ...emptyScan(), runs: [run('on-feature', C), run('on-main', B)] }], onFeature);
  const after = rescope(catalog, onMain);
  assert.deepEqual(after.runs.map((r) => r.scope), ['other', 'branch']);
  assert.equal(after.runs[0]!.params, catalog.runs[0]!.params);
});

test('primaryMetricKey prefers the configured metric, else the first key in order', () => {
  const metrics = { 'val/acc': summarize('val/acc', [{ step: 0, value: 1, timestamp: 0 }])!, loss: summarize('loss', [{ step: 0, value: 2, timestamp: 0 }])! };
  assert.equal(primaryMetricKey({ metrics }, 'val/acc'), 'val/acc');
  assert.equal(primaryMetricKey({ metrics }, 'missing'), 'loss');
  assert.equal(primaryMetricKey({ metrics: {} }, undefined), undefined);
});

test('extendSummary takes the last value at the highest step, later timestamp breaking ties, and ignores NaN for min/max', () => {
  let s = extendSummary(undefined, 'm', { step: 5, value: 1, timestamp: 10 });
  s = extendSummary(s, 'm', { step: 3, value: -4, timestamp: 20 });
  s = extendSummary(s, 'm', { step: 5, value: 7, timestamp: 11 });
  s = extendSummary(s, 'm', { step: 5, value: NaN, timestamp: 9 });
  assert.deepEqual(s, { key: 'm', last: 7, step: 5, timestamp: 11, min: -4, max: 7, count: 4 });
});
