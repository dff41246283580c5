// A GTO registry as a store of model versions. Every scan reads all tags (one for-each-ref) and HEAD's
// artifact declarations (one git grep): both are small, and tags move without touching the working tree.
import { join } from 'node:path';
import { emptyScan, type Diagnostic, type MetricPoint, type ModelVersion, type ScanResult } from '../../core/model';
import type { ScanOptions, ScanStats, TrackingStore } from '../../core/source';
import { headCommit, listTags, readFilesAt } from '../../git';
import { parseArtifacts, parsePipeline, type ArtifactSpec } from '../dvc/pipeline';
import { isMapping, parseYaml } from '../shared/values';
import { registryState, type ArtifactState } from './registry';
import { parseTagName } from './tags';

const DECLARATIONS = ['dvc.yaml', 'artifacts.yaml'];

export class GtoStore implements TrackingStore {
  readonly kind = 'gto';
  readonly gitBacked = true;
  lastScanStats: ScanStats = { filesRead: 0, bytesRead: 0 };

  constructor(
    readonly location: string,
    private readonly root: string,
  ) {}

  async scan(options?: ScanOptions): Promise<ScanResult> {
    const result = emptyScan();
    const stats: ScanStats = { filesRead: 0, bytesRead: 0 };
    const head = options?.git ? options.git.head : await headCommit(this.root);
    const [tags, declared] = await Promise.all([listTags(this.root), head ? this.readDeclared(head, stats, result.diagnostics) : []]);
    for (const tag of tags) {
      if (!tag.annotated && parseTagName(tag.name)) {
        result.diagnostics.push({ file: this.location, message: `tag ${tag.name} is lightweight: GTO reads annotated tags only`, severity: 'warning' });
      }
    }
    result.models = modelVersions(registryState(tags, declared, head), this.location);
    this.lastScanStats = stats;
    return result;
  }

  async loadSeries(): Promise<{ points: MetricPoint[]; diagnostics: Diagnostic[] }> {
    return { points: [], diagnostics: [{ file: this.location, message: 'a GTO registry holds no metrics', severity: 'error' }] };
  }

  dispose(): void {}

  /** Artifacts declared at HEAD: dvc.yaml's `artifacts:` section, then legacy artifacts.yaml for names not in it. */
  private async readDeclared(head: string, stats: ScanStats, diagnostics: Diagnostic[]): Promise<ArtifactSpec[]> {
    const files = (await readFilesAt(this.root, [head], DECLARATIONS)).get(head) ?? new Map<string, string>();
    const specs = new Map<string, ArtifactSpec>();
    for (const file of DECLARATIONS) {
      const text = files.get(file);
      if (text === undefined) continue;
      stats.filesRead++;
      stats.bytesRead += Buffer.byteLength(text);
      try {
        const found = file === 'dvc.yaml' ? parsePipeline(text).artifacts : parseArtifacts(parseLegacy(text));
        for (const spec of found) if (!specs.has(spec.name)) specs.set(spec.name, spec);
      } catch (error) {
        diagnostics.push({ file: join(this.root, file), message: `at HEAD: ${(error as Error).message}`, severity: 'warning' });
      }
    }
    return [...specs.values()];
  }
}

/** One model version per active version of each artifact; `latest` is the alias of `gto show`'s latest version. */
export function modelVersions(artifacts: readonly ArtifactState[], store: string): ModelVersion[] {
  return artifacts.flatMap((artifact) =>
    artifact.versions.map((version) => ({
      model: artifact.name,
      version: version.version,
      stages: version.stages,
      aliases: version.latest ? ['latest'] : [],
      sourceUri: artifact.spec?.path,
      status: version.registered ? 'registered' : 'unregistered',
      description: artifact.spec?.description,
      createdAt: version.createdAt,
      commit: version.commit,
      deprecated: artifact.deprecated,
      source: 'gto' as const,
      store,
    })),
  );
}

function parseLegacy(text: string): unknown {
  const doc = parseYaml(text);
  if (doc !== null && doc !== undefined && !isMapping(doc)) throw new Error('artifacts.yaml is not a mapping');
  return doc;
}
