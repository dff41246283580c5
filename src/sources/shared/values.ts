// Turning what Python tools write (JSON with NaN, YAML, nested configs) into the model's plain values.
import { parseDocument } from 'yaml';

/** Nesting deeper than this is written as JSON: YAML aliases can make a structure that contains itself. */
const MAX_DEPTH = 16;

/** A number the model can hold: zod's `z.number()` rejects NaN and ±Infinity, so those values are skipped. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Params as strings under `a.b` keys: nested mappings are flattened, lists and other values written as JSON,
 * strings kept as they are and `null` written as `null`.
 */
export function flattenParams(value: unknown, prefix = '', into: Record<string, string> = {}, depth = 0): Record<string, string> {
  if (isMapping(value) && depth < MAX_DEPTH && (Object.keys(value).length > 0 || !prefix)) {
    for (const [key, inner] of Object.entries(value)) flattenParams(inner, prefix ? `${prefix}.${key}` : key, into, depth + 1);
  } else if (prefix) {
    into[prefix] = paramText(value);
  }
  return into;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function paramText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * JSON as Python's `json.dump` writes it: NaN, Infinity and -Infinity are not JSON, so they are read as null
 * (and so skipped as values). Throws a SyntaxError for anything else that is not JSON.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const patched = text.replace(/("(?:[^"\\]|\\.)*")|-?\bInfinity\b|\bNaN\b/g, (_token, quoted: string | undefined) => quoted ?? 'null');
    if (patched === text) throw error;
    return JSON.parse(patched);
  }
}

/** A YAML document as plain JS; throws with the first error. Duplicate keys are allowed (PyYAML keeps the last). */
export function parseYaml(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false, logLevel: 'silent' });
  const first = doc.errors[0];
  if (first) throw new Error(first.message.split('\n')[0]);
  return doc.toJS({ maxAliasCount: 1000 });
}
