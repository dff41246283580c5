// The protobuf wire format, read by hand: the handful of messages an event file holds do not justify a
// protobuf runtime. Malformed input throws a WireError; the caller turns it into a diagnostic.

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;

/** A field's key on the wire: its number and wire type in one varint. */
export function tag(field: number, wireType: number): number {
  return field * 8 + wireType;
}

export class WireError extends Error {}

/**
 * Reads the fields of one message in `bytes[pos, end)`. Decoders switch on `tag`, so a field that arrives
 * with an unexpected wire type falls through to `skip()`:
 * `while (reader.next()) switch (reader.tag) { case tag(1, WireType.Fixed64): …; default: reader.skip(); }`.
 */
export class ProtoReader {
  /** key of the field `next()` reached */
  tag = 0;

  constructor(
    private readonly bytes: Buffer,
    private pos = 0,
    private readonly end = bytes.length,
  ) {}

  /** Moves to the next field; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    this.tag = this.varint();
    return true;
  }

  /** An unsigned varint as a number (exact up to 2^53). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** An `int64` field: a varint read as 64-bit two's complement (negative numbers take 10 bytes). */
  int64(): number {
    const start = this.pos;
    const value = this.varint();
    if (value < 2 ** 53) return value;
    let exact = 0n;
    for (let at = this.pos - 1; at >= start; at--) exact = (exact << 7n) | BigInt(this.bytes[at]! & 0x7f);
    return Number(BigInt.asIntN(64, exact));
  }

  double(): number {
    return this.bytes.readDoubleLE(this.advance(8));
  }

  float(): number {
    return this.bytes.readFloatLE(this.advance(4));
  }

  /** A length-delimited field's bytes: a view, not a copy. */
  bytesField(): Buffer {
    const length = this.varint();
    const at = this.advance(length);
    return this.bytes.subarray(at, at + length);
  }

  /** A string field; through `cache` for strings that repeat. */
  string(cache?: StringCache): string {
    const length = this.varint();
    const at = this.advance(length);
    return cache ? cache.decode(this.bytes, at, at + length) : this.bytes.toString('utf8', at, at + length);
  }

  /** A nested message's reader; this reader moves past it. */
  message(): ProtoReader {
    const length = this.varint();
    const at = this.advance(length);
    return new ProtoReader(this.bytes, at, at + length);
  }

  /** Skips the current field. */
  skip(): void {
    switch (this.tag % 8) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.LengthDelimited:
        this.advance(this.varint());
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      default:
        throw new WireError(`unsupported wire type ${this.tag % 8} (field ${Math.floor(this.tag / 8)})`);
    }
  }

  private byte(): number {
    if (this.pos >= this.end) throw new WireError('message ends inside a field');
    return this.bytes[this.pos++]!;
  }

  /** Moves past `length` bytes and returns where they start. */
  private advance(length: number): number {
    if (length > this.end - this.pos) throw new WireError('field runs past the end of its message');
    const at = this.pos;
    this.pos += length;
    return at;
  }
}

/**
 * Decoded strings by their bytes, for strings that repeat in every record (summary tags): hashing and
 * comparing a few bytes costs much less than decoding them into a new string each time. Bounded, since
 * the bytes may be anything.
 */
export class StringCache {
  private readonly entries = new Map<number, { bytes: Buffer; text: string }>();

  constructor(
    private readonly maxEntries = 1024,
    private readonly maxLength = 128,
  ) {}

  decode(bytes: Buffer, start: number, end: number): string {
    if (end - start > this.maxLength) return bytes.toString('utf8', start, end);
    let hash = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const entry = this.entries.get(hash);
    if (entry && sameBytes(entry.bytes, bytes, start, end)) return entry.text;
    const text = bytes.toString('utf8', start, end);
    if (!entry && this.entries.size < this.maxEntries) this.entries.set(hash, { bytes: Buffer.from(bytes.subarray(start, end)), text });
    return text;
  }
}

function sameBytes(known: Buffer, bytes: Buffer, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
  return true;
}
