// TFRecord framing, streamed: each record is a uint64 length (LE), the masked CRC-32C of those 8 bytes, the
// data, and the masked CRC-32C of the data. The file is read in chunks from a given offset, so a large event
// file costs one chunk of memory (or one record, if a record is larger), and a file that grew is read
// from where the last read stopped.
import { open, type FileHandle } from 'node:fs/promises';
import { maskedCrc32c } from './crc32c';

export const CHUNK_SIZE = 1 << 20;
const HEADER = 12;
const FOOTER = 4;
/** Larger than any summary a writer produces; a length past this is a broken file, not a record to buffer. */
const MAX_RECORD = 256 << 20;

export type OnRecord = (buffer: Buffer, start: number, end: number, offset: number) => void;

export interface RecordsRead {
  /** offset just past the last complete, valid record: where the next read resumes */
  end: number;
  bytesRead: number;
  /** why reading stopped before the end of the file; a partial last record (a file being written) is not one */
  failure?: { offset: number; message: string };
}

/**
 * Calls `onRecord` with each complete record from byte `from` on: its data is `buffer[start, end)` of a
 * reused buffer, valid only during the call (no view per record: a scan meets a million of them). Throws
 * when the file cannot be opened, and what `onRecord` throws; a read that fails later ends like a bad
 * record, after the records read so far.
 */
export async function readRecords(path: string, from: number, onRecord: OnRecord, chunkSize = CHUNK_SIZE): Promise<RecordsRead> {
  const handle = await open(path, 'r');
  try {
    // no larger than the file: most event files are far smaller than a chunk
    const buffer = Buffer.allocUnsafe(Math.max(HEADER, Math.min(chunkSize, (await handle.stat()).size - from)));
    return await readFrom(handle, buffer, from, onRecord, chunkSize);
  } finally {
    await handle.close();
  }
}

async function readFrom(handle: FileHandle, initial: Buffer, from: number, onRecord: OnRecord, chunkSize: number): Promise<RecordsRead> {
  let buffer = initial;
  let start = 0; // buffer[start, filled) holds the unconsumed bytes, which begin at file offset `offset`
  let filled = 0;
  let offset = from;
  let bytesRead = 0;
  let atEnd = false;
  let ioError: string | undefined;

  /** Makes `need` unconsumed bytes available; false when the file ends first. */
  const fill = async (need: number): Promise<boolean> => {
    while (filled - start < need) {
      if (atEnd) return false;
      if (start > 0) {
        buffer.copy(buffer, 0, start, filled);
        filled -= start;
        start = 0;
      }
      if (need > buffer.length) {
        const larger = Buffer.allocUnsafe(Math.max(need, Math.min(2 * buffer.length, chunkSize)));
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      let count: number;
      try {
        ({ bytesRead: count } = await handle.read(buffer, filled, buffer.length - filled, offset + filled));
      } catch (error) {
        ioError = (error as Error).message;
        count = 0;
      }
      if (count === 0) atEnd = true;
      filled += count;
      bytesRead += count;
    }
    return true;
  };
  const stop = (message?: string): RecordsRead =>
    message === undefined ? { end: offset, bytesRead } : { end: offset, bytesRead, failure: { offset, message } };

  // `fill` only when the buffer runs short: an await per record would cost more than decoding it
  while (filled - start >= HEADER || (await fill(HEADER))) {
    if (maskedCrc32c(buffer, start, start + 8) !== buffer.readUInt32LE(start + 8)) {
      return stop(`record length checksum mismatch at byte ${offset}`);
    }
    const length = buffer.readUInt32LE(start + 4) * 2 ** 32 + buffer.readUInt32LE(start);
    if (length > MAX_RECORD) return stop(`record at byte ${offset} claims ${length} bytes, more than the ${MAX_RECORD} a record may hold`);
    if (filled - start < HEADER + length + FOOTER && !(await fill(HEADER + length + FOOTER))) break;
    const dataStart = start + HEADER;
    const dataEnd = dataStart + length;
    if (maskedCrc32c(buffer, dataStart, dataEnd) !== buffer.readUInt32LE(dataEnd)) {
      return stop(`record data checksum mismatch at byte ${offset}`);
    }
    onRecord(buffer, dataStart, dataEnd, offset);
    start = dataEnd + FOOTER;
    offset += HEADER + length + FOOTER;
  }
  return stop(ioError === undefined ? undefined : `cannot read past byte ${offset}: ${ioError}`);
}
