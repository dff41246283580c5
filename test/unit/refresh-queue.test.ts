import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RefreshQueue } from '../../src/core/refresh-queue';

const unexpected = (error: unknown) => assert.fail(`unexpected error: ${error}`);

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

test('a burst of requests within the debounce window becomes one run with the merged request', async () => {
  const runs: string[][] = [];
  const queue = new RefreshQueue<string[]>(async (r) => void runs.push(r), union, 20, unexpected);
  queue.request(['a']);
  queue.request(['b']);
  queue.request(['a', 'c']);
  await queue.whenIdle();
  assert.deepEqual(runs, [['a', 'b', 'c']]);
});

test('runs never overlap; requests during a run are merged into exactly one follow-up', async () => {
  const runs: string[][] = [];
  let active = 0;
  let maxActive = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const queue = new RefreshQueue<string[]>(
    async (r) => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs.push(r);
      if (runs.length === 1) await gate;
      active--;
    },
    union,
    1,
    unexpected,
  );
  queue.request(['first'], true);
  await sleep(10);
  queue.request(['x']);
  queue.request(['y']);
  release();
  await queue.whenIdle();
  assert.equal(maxActive, 1);
  assert.deepEqual(runs, [['first'], ['x', 'y']]);
});

test('a failing run is reported and the queue keeps working', async () => {
  const errors: unknown[] = [];
  const runs: string[][] = [];
  const queue = new RefreshQueue<string[]>(
    async (r) => {
      runs.push(r);
      if (r.includes('bad')) throw new Error('boom');
    },
    union,
    1,
    (e) => errors.push(e),
  );
  queue.request(['bad'], true);
  await queue.whenIdle();
  queue.request(['good'], true);
  await queue.whenIdle();
  assert.equal(errors.length, 1);
  assert.deepEqual(runs, [['bad'], ['good']]);
});

test('whenIdle resolves at once when nothing is queued, and dispose drops pending work', async () => {
  let ran = 0;
  const queue = new RefreshQueue<string[]>(async () => void ran++, union, 50, unexpected);
  await queue.whenIdle();
  queue.request(['a']);
  queue.dispose();
  await queue.whenIdle();
  await sleep(80);
  assert.equal(ran, 0);
});
