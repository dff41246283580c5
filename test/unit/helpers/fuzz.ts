// Seeded mutation fuzzing shared by the parser tests: the same seed gives the same cases on every run.

/** mulberry32: small, fast, good enough for test-case generation. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = ['', '\n', '\0', ':', '- ', '{', '}', '[', ']', '"', "'", 'NaN', '-Infinity', '1e309', ' ', '\t', '\r\n', '\uFFFD', '#', '&a', '*a', '!!binary'];

/** One random mutation of `input`: flip, insert, delete, duplicate, truncate or splice a token. */
export function mutate(input: Buffer, next: () => number): Buffer {
  const pick = (n: number) => Math.floor(next() * n);
  const bytes = Buffer.from(input);
  const at = bytes.length === 0 ? 0 : pick(bytes.length);
  switch (pick(6)) {
    case 0: // flip a byte
      if (bytes.length > 0) bytes[at] = pick(256);
      return bytes;
    case 1: // truncate (a file being written)
      return bytes.subarray(0, at);
    case 2: // delete a range
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + pick(16)))]);
    case 3: // duplicate a range
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + 1 + pick(32)), bytes.subarray(at)]);
    case 4: // insert a token parsers tend to trip on
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(INTERESTING[pick(INTERESTING.length)]!), bytes.subarray(at)]);
    default: // random bytes
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(8) }, () => pick(256))), bytes.subarray(at)]);
  }
}

/** `count` mutated variants of `input`, each from 1 to 3 mutations deep. */
export function* mutations(input: Buffer, count: number, seed: number): Generator<Buffer> {
  const next = rng(seed);
  for (let i = 0; i < count; i++) {
    let out = input;
    const depth = 1 + Math.floor(next() * 3);
    for (let d = 0; d < depth; d++) out = mutate(out, next);
    yield out;
  }
}
