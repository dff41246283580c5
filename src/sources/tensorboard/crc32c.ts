// CRC-32C (Castagnoli), the checksum TFRecord framing uses, in plain TypeScript: slicing-by-8 tables so
// a scan of a large event file is not bound by the checksum. The tables are Int32Arrays and the arithmetic
// stays in int32: Uint32Array reads above 2^31 would turn every step into floating point.

const POLYNOMIAL = 0x82f63b78; // 0x1EDC6F41 bit-reversed

/** T[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
const T = new Int32Array(8 * 256);
for (let b = 0; b < 256; b++) {
  let crc = b;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
  T[b] = crc;
}
for (let k = 1; k < 8; k++) {
  for (let b = 0; b < 256; b++) {
    const previous = T[(k - 1) * 256 + b]!;
    T[k * 256 + b] = (previous >>> 8) ^ T[previous & 0xff]!;
  }
}

/** CRC-32C of `bytes[start, end)`. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const low = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      T[0x700 + (low & 0xff)]! ^ T[0x600 + ((low >>> 8) & 0xff)]! ^ T[0x500 + ((low >>> 16) & 0xff)]! ^ T[0x400 + (low >>> 24)]! ^
      T[0x300 + bytes[i + 4]!]! ^ T[0x200 + bytes[i + 5]!]! ^ T[0x100 + bytes[i + 6]!]! ^ T[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = T[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** The masked form TFRecord stores, so that a CRC of data that holds CRCs stays well distributed. */
export function maskedCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const crc = crc32c(bytes, start, end);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
