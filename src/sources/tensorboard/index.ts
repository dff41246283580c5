// TensorBoard event files (`events.out.tfevents.*`): Lightning's TensorBoardLogger, torch's SummaryWriter,
// Keras' TensorBoard callback, CatBoost's train_dir. See layout.ts for what is taken as a store and a run.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SourceProvider } from '../../core/source';
import { looksLikeStore } from './layout';
import { TensorboardStore } from './store';

async function detect(location: string): Promise<boolean> {
  try {
    return (await stat(location)).isDirectory() && (await looksLikeStore(location));
  } catch {
    return false;
  }
}

export const tensorboardProvider: SourceProvider = {
  kind: 'tensorboard',
  claims: (entry) => entry.isDirectory && !entry.name.startsWith('.') && entry.name !== 'node_modules' && looksLikeStore(entry.path),
  detect,
  open: (location) => new TensorboardStore(resolve(location)),
};
