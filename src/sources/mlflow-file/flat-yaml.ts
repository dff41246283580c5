// A fast path for the meta.yaml files MLflow writes: PyYAML `safe_dump` of a flat dict, one `key: scalar`
// line per field. A full YAML parse of such a file costs ~130 µs, which a scan of thousands of runs pays
// thousands of times; these lines are read here in a few µs. The subset is strict: any line outside it (a
// nested map, a folded string, a comment, `\r\n`, an unusual scalar) returns undefined and the caller uses
// the `yaml` package for the whole file. A test checks that both give the same result where this one answers.

const LINE = /^([a-z][a-z0-9_]{0,63}):(?: (.*))?$/;
const QUOTED = /^'((?:[^']|'')*)'$/;
const INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;
/** A plain scalar: no indicator first, no `: ` or ` #` inside; a string unless it reads as one of the next two. */
const PLAIN = /^[A-Za-z0-9_/](?:[A-Za-z0-9_./@%=+-]|:(?=[A-Za-z0-9_./@%=+-])| (?=[A-Za-z0-9_./@%=+-]))*$/;
/** Plain words the core schema reads as null or booleans, in every spelling it accepts. */
const RESERVED_WORDS = /^(?:null|true|false)$/i;
/** Plain text the core schema reads as a number (ints, floats, octal, hex, inf, nan). */
const CORE_NUMBER = /^(?:[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?|0o[0-7]+|0x[\da-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const KNOWN: Record<string, unknown> = { null: null, '~': null, true: true, false: false };

function scalar(text: string | undefined): { value: unknown } | undefined {
  if (text === undefined || text === '') return { value: null };
  const quoted = QUOTED.exec(text);
  if (quoted) return { value: quoted[1]!.replaceAll("''", "'") };
  if (text === '[]') return { value: [] };
  if (text === '{}') return { value: {} };
  if (Object.hasOwn(KNOWN, text)) return { value: KNOWN[text] };
  if (INTEGER.test(text)) return { value: Number(text) };
  if (PLAIN.test(text) && !RESERVED_WORDS.test(text) && !CORE_NUMBER.test(text)) return { value: text };
  return undefined;
}

/** The mapping of a flat `key: scalar` document, or undefined when the text is not in that subset. */
export function readFlatYaml(text: string): Record<string, unknown> | undefined {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) return undefined;
  const entries = new Map<string, unknown>();
  for (const line of lines) {
    const match = LINE.exec(line);
    const parsed = match && scalar(match[2]);
    if (!parsed || entries.has(match[1]!)) return undefined;
    entries.set(match[1]!, parsed.value);
  }
  return Object.fromEntries(entries);
}
