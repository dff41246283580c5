// The series the host has sent, per metric and run, column by column; live points are appended in place.
import type { SeriesData, SeriesEntry } from '../../src/protocol/compare';

export interface RunSeries extends SeriesData {
  total: number;
  nonFinite: number;
}

export class SeriesStore {
  private readonly byMetric = new Map<string, Map<string, RunSeries>>();

  get(metric: string): ReadonlyMap<string, RunSeries> | undefined {
    return this.byMetric.get(metric);
  }

  set(metric: string, entries: readonly SeriesEntry[]): void {
    const byRun = this.of(metric);
    for (const { run, data, total, nonFinite } of entries) byRun.set(run, { ...data, total, nonFinite });
  }

  /** Adds points at the end; for a run without a series yet they become its series. */
  append(metric: string, entries: ReadonlyArray<{ run: string; data: SeriesData }>): void {
    const byRun = this.of(metric);
    for (const { run, data } of entries) {
      const series = byRun.get(run);
      if (!series) {
        byRun.set(run, { ...data, total: data.values.length, nonFinite: 0 });
        continue;
      }
      series.steps.push(...data.steps);
      series.values.push(...data.values);
      series.times.push(...data.times);
      series.total += data.values.length;
    }
  }

  clear(): void {
    this.byMetric.clear();
  }

  private of(metric: string): Map<string, RunSeries> {
    let byRun = this.byMetric.get(metric);
    if (!byRun) this.byMetric.set(metric, (byRun = new Map()));
    return byRun;
  }
}
