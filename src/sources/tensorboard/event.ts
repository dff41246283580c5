// Decodes one `Event` record (tensorflow/core/util/event.proto) into what Runlens keeps of it: wall time,
// step, scalar values (TF1 `simple_value` and TF2 scalar tensors) and hparams-plugin session values.
import { ProtoReader, StringCache, WireError, WireType, tag } from './wire';

export interface Scalar {
  tag: string;
  value: number;
}

export interface DecodedEvent {
  /** seconds since the epoch */
  wallTime: number;
  step: number;
  scalars: Scalar[];
  /** hyperparameters of an hparams-plugin `session_start_info` summary, rendered as strings */
  hparams?: Record<string, string>;
}

const { Varint, Fixed64, LengthDelimited, Fixed32 } = WireType;

// Event
const EVENT_WALL_TIME = tag(1, Fixed64);
const EVENT_STEP = tag(2, Varint);
const EVENT_SUMMARY = tag(5, LengthDelimited);
// Summary
const SUMMARY_VALUE = tag(1, LengthDelimited);
// Summary.Value
const VALUE_TAG = tag(1, LengthDelimited);
const VALUE_SIMPLE = tag(2, Fixed32);
const VALUE_TENSOR = tag(8, LengthDelimited);
const VALUE_METADATA = tag(9, LengthDelimited);
// SummaryMetadata and its PluginData
const METADATA_PLUGIN_DATA = tag(1, LengthDelimited);
const METADATA_DATA_CLASS = tag(4, Varint);
const PLUGIN_NAME = tag(1, LengthDelimited);
const PLUGIN_CONTENT = tag(2, LengthDelimited);
/** SummaryMetadata.DataClass DATA_CLASS_SCALAR */
const DATA_CLASS_SCALAR = 1;
// TensorProto; repeated numbers arrive packed (proto3) or one per field (proto2 writers)
const TENSOR_DTYPE = tag(1, Varint);
const TENSOR_CONTENT = tag(4, LengthDelimited);
const TENSOR_FLOAT_PACKED = tag(5, LengthDelimited);
const TENSOR_FLOAT = tag(5, Fixed32);
const TENSOR_DOUBLE_PACKED = tag(6, LengthDelimited);
const TENSOR_DOUBLE = tag(6, Fixed64);
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
// tensorboard/plugins/hparams/plugin_data.proto: HParamsPluginData.session_start_info = 3,
// SessionStartInfo.hparams = 1 (map<string, google.protobuf.Value>: entry key = 1, value = 2)
const HPARAMS_SESSION_START_INFO = tag(3, LengthDelimited);
const SESSION_START_HPARAMS = tag(1, LengthDelimited);
const MAP_KEY = tag(1, LengthDelimited);
const MAP_VALUE = tag(2, LengthDelimited);
// google/protobuf/struct.proto: Value, Struct.fields = 1, ListValue.values = 1
const STRUCT_NULL = tag(1, Varint);
const STRUCT_NUMBER = tag(2, Fixed64);
const STRUCT_STRING = tag(3, LengthDelimited);
const STRUCT_BOOL = tag(4, Varint);
const STRUCT_STRUCT = tag(5, LengthDelimited);
const STRUCT_LIST = tag(6, LengthDelimited);
const STRUCT_ITEMS = tag(1, LengthDelimited);
/** google.protobuf.Value nests; deeper than this is not a hyperparameter but a broken record */
const MAX_VALUE_DEPTH = 32;

/**
 * Decodes `bytes[start, end)`; throws a WireError when they are not a well-formed Event. A reader of many
 * events passes one `tags` cache for all of them.
 */
export function decodeEvent(bytes: Buffer, start = 0, end = bytes.length, tags = new StringCache()): DecodedEvent {
  const event: DecodedEvent = { wallTime: 0, step: 0, scalars: [] };
  const reader = new ProtoReader(bytes, start, end);
  while (reader.next()) {
    switch (reader.tag) {
      case EVENT_WALL_TIME:
        event.wallTime = reader.double();
        break;
      case EVENT_STEP:
        event.step = reader.int64();
        break;
      case EVENT_SUMMARY:
        readSummary(reader.message(), event, tags);
        break;
      default:
        reader.skip();
    }
  }
  return event;
}

function readSummary(reader: ProtoReader, event: DecodedEvent, tags: StringCache): void {
  while (reader.next()) {
    if (reader.tag === SUMMARY_VALUE) readValue(reader.message(), event, tags);
    else reader.skip();
  }
}

function readValue(reader: ProtoReader, event: DecodedEvent, tags: StringCache): void {
  let name = '';
  let simpleValue: number | undefined;
  let tensor: ProtoReader | undefined;
  let metadata: Metadata | undefined;
  while (reader.next()) {
    switch (reader.tag) {
      case VALUE_TAG:
        name = reader.string(tags);
        break;
      case VALUE_SIMPLE:
        simpleValue = reader.float();
        break;
      case VALUE_TENSOR:
        tensor = reader.message();
        break;
      case VALUE_METADATA:
        metadata = readMetadata(reader.message());
        break;
      default:
        reader.skip();
    }
  }
  if (simpleValue !== undefined) {
    event.scalars.push({ tag: name, value: simpleValue });
  } else if (tensor && (metadata?.plugin === 'scalars' || metadata?.dataClass === DATA_CLASS_SCALAR)) {
    const value = tensorScalar(tensor);
    if (value !== undefined) event.scalars.push({ tag: name, value });
  } else if (metadata?.plugin === 'hparams' && metadata.content) {
    const hparams = readSessionStartHparams(new ProtoReader(metadata.content));
    if (hparams) event.hparams = { ...event.hparams, ...hparams };
  }
}

interface Metadata {
  plugin: string;
  content?: Buffer;
  dataClass: number;
}

function readMetadata(reader: ProtoReader): Metadata {
  const metadata: Metadata = { plugin: '', dataClass: 0 };
  while (reader.next()) {
    if (reader.tag === METADATA_PLUGIN_DATA) {
      const plugin = reader.message();
      while (plugin.next()) {
        if (plugin.tag === PLUGIN_NAME) metadata.plugin = plugin.string();
        else if (plugin.tag === PLUGIN_CONTENT) metadata.content = plugin.bytesField();
        else plugin.skip();
      }
    } else if (reader.tag === METADATA_DATA_CLASS) {
      metadata.dataClass = reader.varint();
    } else {
      reader.skip();
    }
  }
  return metadata;
}

/** The one number of a rank-0 DT_FLOAT or DT_DOUBLE tensor; undefined for any other tensor. */
function tensorScalar(reader: ProtoReader): number | undefined {
  let dtype = 0;
  let count = 0;
  let first: number | undefined;
  let content: Buffer | undefined;
  const take = (value: number) => {
    if (count++ === 0) first = value;
  };
  while (reader.next()) {
    switch (reader.tag) {
      case TENSOR_DTYPE:
        dtype = reader.varint();
        break;
      case TENSOR_CONTENT:
        content = reader.bytesField();
        break;
      case TENSOR_FLOAT:
        take(reader.float());
        break;
      case TENSOR_DOUBLE:
        take(reader.double());
        break;
      case TENSOR_FLOAT_PACKED:
        forEachPacked(reader.bytesField(), 4, take);
        break;
      case TENSOR_DOUBLE_PACKED:
        forEachPacked(reader.bytesField(), 8, take);
        break;
      default:
        reader.skip();
    }
  }
  const width = dtype === DT_FLOAT ? 4 : dtype === DT_DOUBLE ? 8 : 0;
  if (width === 0) return undefined;
  if (count === 0 && content?.length === width) forEachPacked(content, width, take);
  return count === 1 ? first : undefined;
}

function forEachPacked(bytes: Buffer, width: 4 | 8, onValue: (value: number) => void): void {
  if (bytes.length % width !== 0) throw new WireError(`packed ${width === 4 ? 'float' : 'double'} values of ${bytes.length} bytes`);
  for (let at = 0; at < bytes.length; at += width) onValue(width === 4 ? bytes.readFloatLE(at) : bytes.readDoubleLE(at));
}

/** The hyperparameters of an HParamsPluginData that holds a session_start_info; undefined otherwise. */
function readSessionStartHparams(reader: ProtoReader): Record<string, string> | undefined {
  let entries: [string, string][] | undefined;
  while (reader.next()) {
    if (reader.tag !== HPARAMS_SESSION_START_INFO) {
      reader.skip();
      continue;
    }
    entries ??= [];
    const info = reader.message();
    while (info.next()) {
      if (info.tag !== SESSION_START_HPARAMS) {
        info.skip();
        continue;
      }
      const [key, value] = readMapEntry(info.message(), 0);
      entries.push([key, renderParam(value)]);
    }
  }
  // fromEntries defines own properties, so a key like `__proto__` stays a key
  return entries && Object.fromEntries(entries);
}

/** A hyperparameter as a param string: strings as they are, numbers as JavaScript prints them, the rest as JSON. */
function renderParam(value: StructValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

type StructValue = null | number | string | boolean | StructValue[] | { [key: string]: StructValue };

function readMapEntry(reader: ProtoReader, depth: number): [string, StructValue] {
  let key = '';
  let value: StructValue = null;
  while (reader.next()) {
    if (reader.tag === MAP_KEY) key = reader.string();
    else if (reader.tag === MAP_VALUE) value = readStructValue(reader.message(), depth + 1);
    else reader.skip();
  }
  return [key, value];
}

/** A google.protobuf.Value as the JSON value it stands for. */
function readStructValue(reader: ProtoReader, depth: number): StructValue {
  if (depth > MAX_VALUE_DEPTH) throw new WireError('google.protobuf.Value nested too deep');
  let value: StructValue = null;
  while (reader.next()) {
    switch (reader.tag) {
      case STRUCT_NULL:
        reader.varint();
        value = null;
        break;
      case STRUCT_NUMBER:
        value = reader.double();
        break;
      case STRUCT_STRING:
        value = reader.string();
        break;
      case STRUCT_BOOL:
        value = reader.varint() !== 0;
        break;
      case STRUCT_STRUCT:
        value = readStruct(reader.message(), depth);
        break;
      case STRUCT_LIST:
        value = readList(reader.message(), depth);
        break;
      default:
        reader.skip();
    }
  }
  return value;
}

function readStruct(reader: ProtoReader, depth: number): { [key: string]: StructValue } {
  const fields: [string, StructValue][] = [];
  while (reader.next()) {
    if (reader.tag === STRUCT_ITEMS) fields.push(readMapEntry(reader.message(), depth));
    else reader.skip();
  }
  return Object.fromEntries(fields);
}

function readList(reader: ProtoReader, depth: number): StructValue[] {
  const items: StructValue[] = [];
  while (reader.next()) {
    if (reader.tag === STRUCT_ITEMS) items.push(readStructValue(reader.message(), depth + 1));
    else reader.skip();
  }
  return items;
}
