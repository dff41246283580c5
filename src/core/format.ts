// Number and time formatting shared by the trees and the CLI.
import type { SourceKind } from './model';

/** Five significant digits; exponent form for very large or very small magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || (magnitude < 1e-3 && value !== 0) ? value.toExponential(3) : String(Number(value.toPrecision(5)));
}

/** "2h 05m", "3m 12s", "850 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${String(m % 60).padStart(2, '0')}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** "1.4 MB" */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function shortCommit(commit: string | undefined): string | undefined {
  return commit?.slice(0, 7);
}

/** How each format is named to users. */
export const SOURCE_LABELS: Record<SourceKind, string> = {
  'mlflow-file': 'MLflow file store',
  'mlflow-sqlite': 'MLflow database',
  dvc: 'DVC',
  gto: 'GTO',
  tensorboard: 'TensorBoard',
  'hf-trainer': 'Hugging Face Trainer',
  lightning: 'Lightning CSVLogger',
  wandb: 'W&B offline',
};
