// Streaming summary of one metric file: the same result as core's `extendSummary` over the file's points,
// computed from possibly approximate values (see metric-line.ts) without keeping any point.
import type { MetricSummary } from '../../core/model';
import { decimalAt, type MetricLine } from './metric-line';

/** The current last, min or max value. Its text stays in the read buffer until the buffer is flushed. */
class Candidate {
  value = 0;
  /** bound of |value - exact value|; 0 once exact */
  error = 0;
  private start = 0;
  private end = 0;

  take(line: MetricLine): void {
    this.value = line.value;
    this.error = line.error;
    this.start = line.valueStart;
    this.end = line.valueEnd;
  }

  settle(buf: Buffer): void {
    if (this.error === 0) return;
    this.value = decimalAt(buf, this.start, this.end);
    this.error = 0;
  }

  /** Sign of `line.value - this.value` on exact values, computing them only when the approximations overlap. */
  compare(buf: Buffer, line: MetricLine): number {
    if (line.value + line.error < this.value - this.error) return -1;
    if (line.value - line.error > this.value + this.error) return 1;
    line.makeExact(buf);
    this.settle(buf);
    return line.value < this.value ? -1 : line.value > this.value ? 1 : 0;
  }
}

/**
 * Accumulates a summary line by line, optionally continuing one from an earlier read of the same file.
 * Non-finite values (MLflow writes `nan`, `inf`) are left out: the domain model's numbers are finite.
 */
export class SummaryBuilder {
  private count = 0;
  private step = 0;
  private timestamp = 0;
  private readonly last = new Candidate();
  private readonly min = new Candidate();
  private readonly max = new Candidate();

  constructor(
    private readonly key: string,
    from?: MetricSummary,
  ) {
    if (!from) return;
    this.count = from.count;
    this.step = from.step;
    this.timestamp = from.timestamp ?? -Infinity;
    this.last.value = from.last;
    this.min.value = from.min;
    this.max.value = from.max;
  }

  /** Adds a parsed line whose text is in `buf`. */
  add(buf: Buffer, line: MetricLine): void {
    if (!Number.isFinite(line.value)) return;
    if (this.count++ === 0) {
      this.last.take(line);
      this.min.take(line);
      this.max.take(line);
      this.step = line.step;
      this.timestamp = line.timestamp;
      return;
    }
    if (line.step > this.step || (line.step === this.step && line.timestamp >= this.timestamp)) {
      this.last.take(line);
      this.step = line.step;
      this.timestamp = line.timestamp;
    }
    if (this.min.compare(buf, line) < 0) this.min.take(line);
    if (this.max.compare(buf, line) > 0) this.max.take(line);
  }

  /** Must be called before `buf` is reused. */
  flush(buf: Buffer): void {
    this.last.settle(buf);
    this.min.settle(buf);
    this.max.settle(buf);
  }

  /** The summary so far (after `flush`); undefined before the first finite value. */
  result(): MetricSummary | undefined {
    if (this.count === 0) return undefined;
    return {
      key: this.key,
      last: this.last.value,
      step: this.step,
      timestamp: this.timestamp,
      min: this.min.value,
      max: this.max.value,
      count: this.count,
    };
  }
}
