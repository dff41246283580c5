// One line of an MLflow file-store metric file: `<timestamp ms> <value> <step>`, or `<timestamp> <value>` from
// old writers (step 0), as MLflow's FileStore parses it (`line.strip().split(" ")`, int, float, int).
//
// A scan parses millions of these, so the parser works on bytes in one pass and, for values with more than
// 15 significant digits (most of Python's float reprs), yields a close approximation instead of calling
// `Number(string)` per line; the summary asks for the exact value only when a comparison is too close to call.
// It is a class so that the hot loop calls methods, not module exports (which tsx turns into getters).

/** Upper bound of the relative error of an approximate value (15 kept digits, then one rounding). */
const APPROXIMATION_ERROR = 1e-13;
const POW10 = Array.from({ length: 300 }, (_, i) => Number(`1e${i}`));
/** Largest decimal exponent for which the fast path stays far from overflow and subnormals. */
const SAFE_EXPONENT = 280;
const NEWLINE = 10;
const SPACE = 32;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const SPECIAL_VALUES = new Map([['nan', NaN], ['inf', Infinity], ['infinity', Infinity]]);

/** Python's `str.strip()` whitespace, ASCII part. */
const isBlank = (c: number): boolean => c === SPACE || (c >= 9 && c <= 13);

/** The fields of the line parsed last. One instance is reused for every line of a file. */
export class MetricLine {
  timestamp = 0;
  step = 0;
  /** the value, or an approximation of it */
  value = 0;
  /** bound of |value - exact value|: 0 when `value` is exact */
  error = 0;
  /** where the value's text is in the buffer */
  valueStart = 0;
  valueEnd = 0;
  /** whether the line `next` went over is a valid metric line */
  valid = false;
  /** result of the last `parseInteger` */
  private integer = 0;

  /**
   * Parses the line that starts at `start` and returns where the next one starts, or -1 when no complete
   * line is left before `end`. Lines as MLflow writes them (`ts value step\n`) are parsed as they are
   * scanned; anything else (blanks, `\r\n`, garbage) goes through `parse` once its end is found.
   */
  next(buf: Buffer, start: number, end: number): number {
    if (start >= end) return -1;
    let i = this.parseInteger(buf, start, end);
    if (i !== -1 && i < end && buf[i] === SPACE) {
      this.timestamp = this.integer;
      i = this.parseValue(buf, i + 1, end);
      if (i !== -1 && i < end && buf[i] === NEWLINE) {
        this.step = 0;
        this.valid = true;
        return i + 1;
      }
      if (i !== -1 && i < end && buf[i] === SPACE) {
        const stepEnd = this.parseInteger(buf, i + 1, end);
        if (stepEnd !== -1 && stepEnd < end && buf[stepEnd] === NEWLINE) {
          this.step = this.integer;
          this.valid = true;
          return stepEnd + 1;
        }
      }
    }
    const newline = buf.indexOf(NEWLINE, start);
    if (newline === -1 || newline >= end) return -1;
    this.valid = this.parse(buf, start, newline);
    return newline + 1;
  }

  /** Parses the line `buf[start, end)` (without its newline); false when it is not a valid metric line. */
  private parse(buf: Buffer, start: number, end: number): boolean {
    while (end > start && isBlank(buf[end - 1]!)) end--;
    while (start < end && isBlank(buf[start]!)) start++;
    let i = this.parseInteger(buf, start, end);
    if (i === -1 || i === end || buf[i] !== SPACE) return false;
    this.timestamp = this.integer;
    i = this.parseValue(buf, i + 1, end);
    if (i === -1) return false;
    if (i === end) {
      this.step = 0;
      return true;
    }
    if (buf[i] !== SPACE || this.parseInteger(buf, i + 1, end) !== end) return false;
    this.step = this.integer;
    return true;
  }

  /** Replaces an approximate value by the exact one; `buf` must be the buffer the line was parsed from. */
  makeExact(buf: Buffer): void {
    if (this.error === 0) return;
    this.value = decimalAt(buf, this.valueStart, this.valueEnd);
    this.error = 0;
  }

  /** `[+-]digits` from `start` into `this.integer`; returns where the digits end, -1 when there are none. */
  private parseInteger(buf: Buffer, start: number, end: number): number {
    if (start >= end) return -1;
    const negative = buf[start] === MINUS;
    const digitsStart = negative || buf[start] === PLUS ? start + 1 : start;
    let n = 0;
    let i = digitsStart;
    for (; i < end; i++) {
      const digit = buf[i]! - ZERO;
      if (digit >>> 0 > 9) break;
      n = n * 10 + digit;
    }
    if (i === digitsStart) return -1;
    if (i - digitsStart > 15) n = decimalAt(buf, digitsStart, i); // beyond 2^53 the loop above rounds
    this.integer = negative ? -n : n;
    return i;
  }

  /**
   * The value token from `start` up to the next blank or `end`; returns where it ends, -1 when it is not a
   * number. Accepts what Python's `float()` accepts from MLflow's writer: `[+-]digits[.digits][e[+-]digits]`,
   * `nan`, `inf`, `infinity`. At most 15 significant digits are kept, so the mantissa is an exact integer and
   * one multiplication or division by an exact power of ten (up to 1e22) gives the correctly rounded double
   * (the classic fast path); with more digits or larger exponents the result is an approximation.
   */
  private parseValue(buf: Buffer, start: number, end: number): number {
    if (start >= end) return -1;
    const negative = buf[start] === MINUS;
    const digitsStart = negative || buf[start] === PLUS ? start + 1 : start;
    let i = digitsStart;
    while (i < end && buf[i] === ZERO) i++;
    // up to 15 significant digits into the mantissa, then skip (and count) the rest
    const significant = i;
    let mantissa = 0;
    for (const limit = Math.min(end, i + 15); i < limit; i++) {
      const digit = buf[i]! - ZERO;
      if (digit >>> 0 > 9) break;
      mantissa = mantissa * 10 + digit;
    }
    const kept = i - significant;
    let dropped = i;
    while (i < end && (buf[i]! - ZERO) >>> 0 <= 9) i++;
    let exponent = i - dropped;
    let exact = i === dropped;
    let digits = i - digitsStart;
    if (i < end && buf[i] === DOT) {
      const fraction = ++i;
      if (kept === 0) while (i < end && buf[i] === ZERO) i++;
      for (const limit = Math.min(end, i + 15 - kept); i < limit; i++) {
        const digit = buf[i]! - ZERO;
        if (digit >>> 0 > 9) break;
        mantissa = mantissa * 10 + digit;
      }
      exponent -= i - fraction;
      dropped = i;
      while (i < end && (buf[i]! - ZERO) >>> 0 <= 9) i++;
      exact &&= i === dropped;
      digits += i - fraction;
    }
    let tokenEnd = i;
    while (tokenEnd < end && buf[tokenEnd]! > SPACE) tokenEnd++;
    this.valueStart = start;
    this.valueEnd = tokenEnd;
    if (digits === 0) return this.parseSpecial(buf, start, tokenEnd) ? tokenEnd : -1;
    if (i < tokenEnd) {
      const e = parseExponent(buf, i, tokenEnd);
      if (Number.isNaN(e)) return -1;
      exponent += e;
    }
    let value: number;
    if (mantissa === 0) {
      value = 0;
    } else if (exponent <= SAFE_EXPONENT && exponent >= -SAFE_EXPONENT) {
      value = exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
      if (exponent > 22 || exponent < -22) exact = false; // powers of ten beyond 1e22 are not exact doubles
    } else {
      value = decimalAt(buf, digitsStart, tokenEnd);
      exact = true;
    }
    this.value = negative ? -value : value;
    this.error = exact ? 0 : Math.abs(value) * APPROXIMATION_ERROR;
    return tokenEnd;
  }

  private parseSpecial(buf: Buffer, start: number, end: number): boolean {
    const text = buf.toString('latin1', start, end).toLowerCase();
    const special = SPECIAL_VALUES.get(text.replace(/^[+-]/, ''));
    if (special === undefined) return false;
    this.value = text.startsWith('-') ? -special : special;
    this.error = 0;
    return true;
  }
}

/** The correctly rounded value of the decimal text at `buf[start, end)`. */
export const decimalAt = (buf: Buffer, start: number, end: number): number => Number(buf.toString('latin1', start, end));

/** `e[+-]digits` at `buf[start, end)` as a power of ten (clamped far beyond the double range); NaN if malformed. */
function parseExponent(buf: Buffer, start: number, end: number): number {
  if (buf[start] !== 101 && buf[start] !== 69) return NaN; // e, E
  const sign = start + 1 < end ? buf[start + 1] : undefined;
  const negative = sign === MINUS;
  const digitsStart = negative || sign === PLUS ? start + 2 : start + 1;
  if (digitsStart >= end) return NaN;
  let e = 0;
  for (let i = digitsStart; i < end; i++) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) return NaN;
    e = Math.min(e * 10 + (c - ZERO), 100_000);
  }
  return negative ? -e : e;
}
