// Lightning CSVLogger: the store is a `lightning_logs/` folder, each `version_N/` with a `metrics.csv` a run,
// its `hparams.yaml` the params (nested keys flattened to `a.b`). Versions without a `metrics.csv` are not
// runs: a TensorBoard logger's, or one that has not flushed its first rows yet. No git commit is recorded.
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic, MetricPoint } from '../../core/model';
import type { FolderEntry, SourceProvider } from '../../core/source';
import { FileCache, isFile, listBounded, readOnce, wholeFile, type ScanContext } from '../shared/files';
import { RunFolderStore, statusFromWrites, type RunRead, type Series } from '../shared/run-folders';
import { flattenParams, isMapping, parseYaml } from '../shared/values';
import { START, consumeLines } from './csv';
import { loadMetricsFile, type MetricsFile } from './metrics-file';

const LOGS_FOLDER = 'lightning_logs';
const METRICS_FILE = 'metrics.csv';
const HPARAMS_FILE = 'hparams.yaml';
const VERSION = /^version_/;

async function hasCsvVersions(dir: string): Promise<boolean> {
  const versions = (await listBounded(dir)).filter((entry) => entry.isDirectory() && VERSION.test(entry.name));
  return (await Promise.all(versions.map((entry) => isFile(join(dir, entry.name, METRICS_FILE))))).some(Boolean);
}

function parseHparams(text: string): Record<string, string> {
  const parsed = parseYaml(text);
  if (parsed === null || parsed === undefined) return {};
  if (!isMapping(parsed)) throw new Error('not a mapping of names to values');
  return flattenParams(parsed);
}

export class LightningStore extends RunFolderStore {
  readonly kind = 'lightning' as const;
  /** `<project>/lightning_logs`: every CSVLogger folder is called lightning_logs, its parent tells them apart */
  protected readonly experimentName = `${basename(dirname(this.location))}/${basename(this.location)}`;
  private readonly metricsFiles = new FileCache<MetricsFile>(loadMetricsFile);
  private readonly hparams = new FileCache(wholeFile((bytes) => parseHparams(bytes.toString('utf8'))));
  protected readonly caches = [this.metricsFiles, this.hparams];

  protected async listRuns(): Promise<Map<string, string>> {
    const entries = await readdir(this.location, { withFileTypes: true });
    return new Map(entries.filter((entry) => entry.isDirectory() && VERSION.test(entry.name)).map((entry) => [entry.name, join(this.location, entry.name)]));
  }

  protected async readRun(id: string, folder: string, context: ScanContext): Promise<RunRead | undefined> {
    const diagnostics: Diagnostic[] = [];
    const metricsPath = join(folder, METRICS_FILE);
    const metrics = await this.metricsFiles.get(metricsPath, context, diagnostics);
    if (!metrics) return undefined;
    const hparams = await this.hparams.get(join(folder, HPARAMS_FILE), context, diagnostics);
    const problems = metrics.value?.problems;
    if (problems?.count) {
      diagnostics.push({ file: metricsPath, message: `${problems.count} rows could not be fully read (first: ${problems.first})`, severity: 'warning' });
    }
    const lastWrite = Math.max(metrics.stamp.mtimeMs, hparams?.stamp.mtimeMs ?? 0);
    const status = statusFromWrites(lastWrite);
    return {
      fields: {
        name: id,
        status,
        endTime: status === 'FINISHED' ? lastWrite : undefined,
        params: hparams?.value ?? {},
        tags: {},
        metrics: metrics.value?.metrics ?? {},
      },
      diagnostics,
    };
  }

  protected async readSeries(_id: string, folder: string, key: string): Promise<Series> {
    const { value, diagnostics } = await readOnce(join(folder, METRICS_FILE), (bytes, mtimeMs) => {
      const points: MetricPoint[] = [];
      consumeLines(bytes, START, mtimeMs, {
        point: (pointKey, point) => {
          if (pointKey === key) points.push(point);
        },
        problem: () => {}, // rows that cannot be read are reported by the scan
      });
      return points;
    });
    return { points: value ?? [], diagnostics };
  }
}

export const lightningProvider: SourceProvider = {
  kind: 'lightning',
  /** A `lightning_logs` folder with a CSVLogger version; TensorBoard-logger versions (no metrics.csv) are left to that reader. */
  claims: (entry: FolderEntry) => entry.isDirectory && entry.name === LOGS_FOLDER && hasCsvVersions(entry.path),
  detect: hasCsvVersions,
  open: (location: string) => new LightningStore(location),
};
