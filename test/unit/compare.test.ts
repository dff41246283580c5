import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestRun, Comparison, compareRuns } from '../../src/core/compare';
import { isBetter, metricDirection } from '../../src/core/direction';
import { summarize, type Run } from '../../src/core/model';

function run(id: string, metrics: Record<string, number[]>, params: Record<string, string> = {}, startTime = 0): Run {
  return {
    id, name: id, experiment: 'e', experimentId: '1', status: 'FINISHED', startTime, params, tags: { 'mlflow.user': id, team: 'a' },
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, vs]) => [k, summarize(k, vs.map((value, step) => ({ step, value, timestamp: step })))!])),
    git: {}, source: 'mlflow-file', store: '/s', path: '/s', deleted: false,
  };
}

test('metric directions: loss/error-like minimise, accuracy/f1/auc-like maximise, unknown stays unknown', () => {
  for (const key of ['loss', 'val/loss', 'eval_loss', 'train_error', 'validation-rmse', 'val_avg_rank', 'test/mae']) assert.equal(metricDirection(key), 'min', key);
  for (const key of ['acc', 'val/accuracy', 'f1', 'eval_f1', 'roc_auc', 'val_top_1_acc', 'bleu', 'avg_prec.test']) assert.equal(metricDirection(key), 'max', key);
  for (const key of ['learning_rate', 'epoch', 'nr_test_samples']) assert.equal(metricDirection(key), undefined, key);
});

test('overrides win: exact key, then globs', () => {
  assert.equal(metricDirection('val/loss', { 'val/loss': 'max' }), 'max');
  assert.equal(metricDirection('custom/thing', { 'custom/*': 'min' }), 'min');
  assert.equal(metricDirection('val_top_1_acc', { '*_acc': 'min' }), 'min');
  assert.equal(metricDirection('a.b', { 'a*b': 'max' }), 'max');
  assert.equal(metricDirection('axb', { 'a.b': 'max' }), undefined, 'dots in keys are literal');
});

test('isBetter follows the direction and refuses to judge unknowns and NaN', () => {
  assert.equal(isBetter(1, 2, 'min'), true);
  assert.equal(isBetter(1, 2, 'max'), false);
  assert.equal(isBetter(1, 2, undefined), undefined);
  assert.equal(isBetter(NaN, 2, 'min'), undefined);
});

test('compareRuns: deltas against the baseline, verdicts by direction, best in the direction', () => {
  const a = run('a', { loss: [1, 0.5, 0.6], acc: [0.5, 0.8], lr: [0.1] }, { lr: '0.1', layers: '2' });
  const b = run('b', { loss: [1, 0.4], acc: [0.7], lr: [0.1] }, { lr: '0.1', layers: '4' });
  const c = run('c', { loss: [2] }, { lr: '0.1' });
  const cmp = compareRuns([a, b, c]);
  assert.doesNotThrow(() => Comparison.parse(cmp));
  const row = (key: string) => cmp.metrics.find((m) => m.key === key)!;
  assert.deepEqual(row('loss').cells[0], { last: 0.6, step: 2, best: 0.5 });
  const lossB = row('loss').cells[1]!;
  assert.equal(lossB.verdict, 'better');
  assert.ok(Math.abs(lossB.delta! - -0.2) < 1e-12 && Math.abs(lossB.relative! - -0.2 / 0.6) < 1e-12);
  assert.equal(row('loss').cells[2]!.verdict, 'worse');
  assert.equal(row('acc').cells[1]!.verdict, 'worse');
  assert.equal(row('acc').cells[0]!.best, 0.8);
  assert.equal(row('acc').cells[2], null);
  assert.equal(row('lr').cells[1]!.verdict, 'same');
  assert.deepEqual(cmp.params, [
    { key: 'layers', values: ['2', '4', null], differs: true },
    { key: 'lr', values: ['0.1', '0.1', '0.1'], differs: false },
  ]);
  assert.deepEqual(cmp.tags, [{ key: 'team', values: ['a', 'a', 'a'], differs: false }], 'mlflow.user is noise');
});

test('compareRuns with another baseline measures against it', () => {
  const cmp = compareRuns([run('a', { loss: [1] }), run('b', { loss: [2] })], { baseline: 1 });
  assert.equal(cmp.baseline, 1);
  assert.equal(cmp.metrics[0]!.cells[0]!.delta, -1);
  assert.equal(cmp.metrics[0]!.cells[1]!.delta, undefined);
});

test('bestRun ranks by last value in the direction, skips runs without it, prefers the newer on ties', () => {
  const runs = [run('old', { loss: [0.3] }, {}, 1), run('new', { loss: [0.3] }, {}, 2), run('bad', { loss: [0.9] }), run('none', { acc: [1] })];
  assert.equal(bestRun(runs, 'loss')!.id, 'new');
  assert.equal(bestRun(runs, 'acc')!.id, 'none');
  assert.equal(bestRun(runs, 'learning_rate'), undefined);
  assert.equal(bestRun(runs, 'learning_rate', { learning_rate: 'max' }), undefined, 'no run has it');
});
