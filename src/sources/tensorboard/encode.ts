// Writes event files the way TensorBoard writers do. Runlens never writes into tracking data: this serves
// the tests and the bench, which need files of given content (TF2 tensor scalars, a 50 MB file) and must
// not depend on a Python writer.
import { maskedCrc32c } from './crc32c';
import { WireType, tag } from './wire';

export type HParam = string | number | boolean | null;

export type ValueSpec =
  | { tag: string; simpleValue: number }
  /** a TF2 scalar tensor, marked by the `scalars` plugin name or only by DATA_CLASS_SCALAR */
  | { tag: string; tensor: number; dtype: 'float' | 'double'; layout: 'packed' | 'content'; marker: 'plugin' | 'data-class' }
  /** an hparams-plugin `session_start_info`, as Lightning and torch's `add_hparams` write it */
  | { tag: string; hparams: Record<string, HParam> };

export interface EventSpec {
  /** seconds since the epoch */
  wallTime: number;
  step?: number;
  fileVersion?: string;
  values?: ValueSpec[];
}

/** A growing protobuf message. */
class ProtoWriter {
  private readonly parts: Buffer[] = [];

  varint(field: number, value: number): this {
    return this.key(field, WireType.Varint).raw(varintBytes(value));
  }

  double(field: number, value: number): this {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    return this.key(field, WireType.Fixed64).raw(bytes);
  }

  float(field: number, value: number): this {
    const bytes = Buffer.alloc(4);
    bytes.writeFloatLE(value);
    return this.key(field, WireType.Fixed32).raw(bytes);
  }

  bytes(field: number, value: Buffer | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return this.key(field, WireType.LengthDelimited).raw(varintBytes(bytes.length)).raw(bytes);
  }

  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }

  private key(field: number, wireType: number): this {
    return this.raw(varintBytes(tag(field, wireType)));
  }

  private raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }
}

/** A varint; negative numbers as 64-bit two's complement, as `int64` fields carry them. */
function varintBytes(value: number): Buffer {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

export function encodeEvent(event: EventSpec): Buffer {
  const writer = new ProtoWriter().double(1, event.wallTime);
  if (event.step !== undefined) writer.varint(2, event.step);
  if (event.fileVersion !== undefined) writer.bytes(3, event.fileVersion);
  if (event.values) writer.message(5, (summary) => event.values!.forEach((value) => summary.message(1, (inner) => writeValue(inner, value))));
  return writer.finish();
}

function writeValue(writer: ProtoWriter, value: ValueSpec): void {
  writer.bytes(1, value.tag);
  if ('simpleValue' in value) {
    writer.float(2, value.simpleValue);
  } else if ('tensor' in value) {
    writer.message(8, (tensor) => writeScalarTensor(tensor, value.tensor, value.dtype, value.layout));
    writer.message(9, (metadata) => {
      if (value.marker === 'plugin') metadata.message(1, (plugin) => plugin.bytes(1, 'scalars'));
      else metadata.varint(4, 1);
    });
  } else {
    const content = new ProtoWriter()
      .message(3, (info) => Object.entries(value.hparams).forEach(([key, hparam]) => info.message(1, (entry) => entry.bytes(1, key).message(2, (v) => writeStructValue(v, hparam)))))
      .finish();
    writer.message(9, (metadata) => metadata.message(1, (plugin) => plugin.bytes(1, 'hparams').bytes(2, content)));
  }
}

function writeScalarTensor(tensor: ProtoWriter, value: number, dtype: 'float' | 'double', layout: 'packed' | 'content'): void {
  const width = dtype === 'float' ? 4 : 8;
  const bytes = Buffer.alloc(width);
  if (dtype === 'float') bytes.writeFloatLE(value);
  else bytes.writeDoubleLE(value);
  tensor.varint(1, dtype === 'float' ? 1 : 2).message(2, () => undefined);
  if (layout === 'content') tensor.bytes(4, bytes);
  else tensor.bytes(dtype === 'float' ? 5 : 6, bytes);
}

function writeStructValue(writer: ProtoWriter, value: HParam): void {
  if (value === null) writer.varint(1, 0);
  else if (typeof value === 'number') writer.double(2, value);
  else if (typeof value === 'string') writer.bytes(3, value);
  else writer.varint(4, value ? 1 : 0);
}

/** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
export function frameRecord(data: Buffer): Buffer {
  const record = Buffer.alloc(12 + data.length + 4);
  record.writeBigUInt64LE(BigInt(data.length), 0);
  record.writeUInt32LE(maskedCrc32c(record, 0, 8), 8);
  data.copy(record, 12);
  record.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return record;
}

/** A whole event file's bytes. */
export function encodeEventFile(events: readonly EventSpec[]): Buffer {
  return Buffer.concat(events.map((event) => frameRecord(encodeEvent(event))));
}
