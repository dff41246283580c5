// Every format Runlens reads, in the order the discovery walker asks them about a folder entry.
import type { SourceKind } from '../core/model';
import type { SourceProvider } from '../core/source';
import { dvcProvider } from './dvc';
import { gtoProvider } from './gto';
import { hfTrainerProvider } from './hf-trainer';
import { lightningProvider } from './lightning';
import { mlflowFileProvider } from './mlflow-file';
import { mlflowSqliteProvider } from './mlflow-sqlite';
import { tensorboardProvider } from './tensorboard';
import { wandbProvider } from './wandb';

export const providers: readonly SourceProvider[] = [
  mlflowFileProvider,
  mlflowSqliteProvider,
  dvcProvider,
  gtoProvider,
  lightningProvider,
  tensorboardProvider,
  hfTrainerProvider,
  wandbProvider,
];

export function providerFor(kind: SourceKind): SourceProvider {
  const provider = providers.find((p) => p.kind === kind);
  if (!provider) throw new Error(`no reader for ${kind}`);
  return provider;
}

/**
 * Files whose creation or change can concern a store, relative to a workspace folder: what an editor's
 * file watcher should report. Everything else (source code, data) is never watched.
 */
export const WATCH_GLOB = '**/{' + [
  'mlruns', 'mlruns/**', '*.db', '*.db-wal', '*.db-journal', '*.sqlite', '*.sqlite3',
  'dvc.yaml', 'dvc.lock', '*.dvc', 'params.yaml', 'params.json', 'metrics.json', 'metrics.yaml', 'dvclive/**', 'artifacts.yaml', '.dvc/config',
  'events.out.tfevents.*',
  'trainer_state.json',
  'metrics.csv', 'hparams.yaml',
  'wandb/**',
].join(',') + '}';
