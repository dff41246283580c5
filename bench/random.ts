// Deterministic pseudo-random data, so a regenerated bench store is the same on every machine.

/** mulberry32, shared with the fuzz tests: a tiny, fast, seedable generator of floats in [0, 1). */
export { rng as seededRandom } from '../test/unit/helpers/fuzz';

/** `length` lowercase hex digits, like MLflow's run ids (uuid4().hex) and git commit hashes. */
export function hexId(random: () => number, length: number): string {
  let id = '';
  while (id.length < length) id += Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return id.slice(0, length);
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A `length`-digit decimal id without a leading zero, like MLflow's FileStore experiment ids. */
export function decimalId(random: () => number, length: number): string {
  let id = String(1 + Math.floor(random() * 9));
  while (id.length < length) id += Math.floor(random() * 10);
  return id;
}
