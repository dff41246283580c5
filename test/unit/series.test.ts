import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../src/core/model';
import { downsample, MAX_SERIES_POINTS, MIN_SERIES_POINTS, pointsAfter, seriesTarget, smooth } from '../../src/core/series';
import { rng } from './helpers/fuzz';

/** A noisy falling curve of `n` points, one per step, with wall times 1 s apart. */
function curve(n: number, seed: number): MetricPoint[] {
  const next = rng(seed);
  return Array.from({ length: n }, (_, step) => ({ step, value: Math.exp(-step / (n / 5)) + (next() - 0.5) * 0.05, timestamp: 1_700_000_000_000 + step * 1000 }));
}

const extremes = (points: readonly MetricPoint[]) => {
  const values = points.map((p) => p.value).filter(Number.isFinite);
  return [Math.min(...values), Math.max(...values)];
};

test('downsample: at most the target, in order, a subset, both ends and the global extremes kept', () => {
  for (const [n, target, seed] of [[100_000, 2000, 1], [100_000, 250, 2], [5_003, 100, 3], [1_001, 7, 4]] as const) {
    const points = curve(n, seed);
    const kept = downsample(points, target);
    assert.ok(kept.length <= target && kept.length >= Math.min(target, n) - 2, `${kept.length} of ${n} for ${target}`);
    assert.equal(kept[0], points[0]);
    assert.equal(kept.at(-1), points.at(-1));
    assert.ok(kept.every((p, i) => i === 0 || p.step > kept[i - 1]!.step), 'out of order or repeated');
    const original = new Set(points);
    assert.ok(kept.every((p) => original.has(p)), 'a point that was not in the series');
    assert.deepEqual(extremes(kept), extremes(points));
  }
});

test('downsample: isolated spikes anywhere in a long series survive', () => {
  const points = curve(100_000, 5);
  const next = rng(6);
  // one spike, up or down, at a random place in each stretch of 2,400 steps (a bucket holds about 100)
  const spikes = Array.from({ length: 40 }, (_, i) => ({ at: i * 2400 + Math.floor(next() * 2400), value: i % 2 === 0 ? 5 + i : -5 - i }));
  for (const { at, value } of spikes) points[at] = { ...points[at]!, value };
  const kept = new Set(downsample(points, MAX_SERIES_POINTS).map((p) => p.step));
  assert.deepEqual(spikes.filter(({ at }) => !kept.has(at)), []);
});

test('downsample: NaN and infinities are left out, the finite extremes kept; short series come back whole', () => {
  const points = curve(10_000, 7).map((p, i) => (i % 97 === 0 ? { ...p, value: [NaN, Infinity, -Infinity][i % 3]! } : p));
  const kept = downsample(points, 300);
  assert.ok(kept.every((p) => Number.isFinite(p.value)));
  assert.deepEqual(extremes(kept), extremes(points));
  const short = curve(50, 8);
  assert.deepEqual(downsample(short, 300), short);
  assert.deepEqual(downsample([{ step: 0, value: NaN, timestamp: 0 }], 300), []);
});

test('seriesTarget: a few thousand points for a few runs, fewer per run for many, never below the floor', () => {
  assert.equal(seriesTarget(1), MAX_SERIES_POINTS);
  assert.equal(seriesTarget(50), MAX_SERIES_POINTS);
  assert.equal(seriesTarget(200), 500);
  assert.equal(seriesTarget(100_000), MIN_SERIES_POINTS);
});

test('pointsAfter: what a live chart lacks, by step and then wall time', () => {
  const points = curve(10, 9);
  assert.deepEqual(pointsAfter(points, undefined), points);
  assert.deepEqual(pointsAfter(points, points[6]), points.slice(7));
  assert.deepEqual(pointsAfter(points, points[9]), []);
  const sameStep = [0, 1, 2].map((i) => ({ step: 0, value: i, timestamp: 100 + i }));
  assert.deepEqual(pointsAfter(sameStep, sameStep[0]), sameStep.slice(1), 'runs that log every value at step 0 still append');
});

/**
 * TensorBoard's smoothed value, written straight from its definition: after n finite values x₁…xₙ
 * (non-finite ones are skipped and shown as they are), Σ (1 − w)·w^(n−i)·xᵢ divided by 1 − wⁿ.
 */
function tensorboardReference(values: readonly number[], w: number): number[] {
  if (values.every((v) => v === values[0])) return [...values];
  const finite: number[] = [];
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    finite.push(value);
    const n = finite.length;
    const sum = finite.reduce((acc, x, i) => acc + (1 - w) * w ** (n - 1 - i) * x, 0);
    return sum / (1 - w ** n);
  });
}

test('smooth: matches TensorBoard’s debiased exponential moving average', () => {
  const values = curve(500, 10).map((p) => p.value);
  values[17] = NaN;
  values[230] = Infinity;
  for (const w of [0, 0.3, 0.6, 0.9, 0.99]) {
    const smoothed = smooth(values, w);
    const reference = tensorboardReference(values, w);
    smoothed.forEach((s, i) => {
      if (Number.isFinite(reference[i]!)) assert.ok(Math.abs(s - reference[i]!) <= 1e-12 * Math.max(1, Math.abs(reference[i]!)), `w=${w}, i=${i}: ${s} vs ${reference[i]}`);
      else assert.equal(s, reference[i], `w=${w}, i=${i}`);
    });
  }
  assert.deepEqual(smooth([1, 2, 3], 0.5).map((v) => Number(v.toFixed(6))), [1, 1.666667, 2.428571], 'by hand: 0.5/0.5, 1.25/0.75, 2.125/0.875');
  assert.deepEqual(smooth([2, 2, 2], 0.9), [2, 2, 2], 'a constant series stays as it is');
  assert.deepEqual(smooth(values.slice(0, 5), 0), values.slice(0, 5), 'weight 0 leaves the values');
});
