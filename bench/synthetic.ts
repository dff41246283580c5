// The experiments and runs both generated stores hold: names, params, git commits and times drawn from a
// seeded generator, in the vocabulary of a typical training script.
import { hexId, pick, seededRandom } from './random';

export interface SyntheticExperiment {
  id: string;
  name: string;
  creationTime: number;
}

export type SyntheticStatus = 'FINISHED' | 'FAILED' | 'RUNNING';

export interface SyntheticRun {
  id: string;
  index: number;
  name: string;
  experimentId: string;
  status: SyntheticStatus;
  startTime: number;
  /** absent while running */
  endTime?: number;
  commit: string;
  params: [key: string, value: string][];
}

export interface StoreShape {
  experiments: number;
  runs: number;
  /** metric keys a run logs */
  metrics: number;
  /** points per metric key, steps 0..steps-1 */
  steps: number;
  params: number;
  seed: number;
}

export const METRIC_KEYS = ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'precision', 'recall', 'f1', 'auc', 'learning_rate', 'grad_norm'];
/** Keys whose curve falls during training; the others rise towards 1. */
export const FALLING_KEYS = new Set(['loss', 'val_loss', 'learning_rate', 'grad_norm']);
/** Milliseconds between two logged steps. */
export const STEP_MS = 1000;
export const USER = 'bench';

const BASE_TIME = Date.UTC(2025, 0, 6, 9);
const COMMITS = 40;

const float = (r: () => number, scale: number) => String(r() * scale);
const PARAMS: [string, (r: () => number) => string][] = [
  ['learning_rate', (r) => String(10 ** (-1 - 3 * r()))],
  ['batch_size', (r) => pick(r, ['16', '32', '64', '128', '256'])],
  ['epochs', (r) => pick(r, ['10', '20', '50', '100'])],
  ['optimizer', (r) => pick(r, ['adam', 'adamw', 'sgd', 'rmsprop'])],
  ['weight_decay', (r) => float(r, 0.1)],
  ['dropout', (r) => float(r, 0.5)],
  ['hidden_size', (r) => pick(r, ['128', '256', '512', '1024'])],
  ['num_layers', (r) => String(1 + Math.floor(r() * 12))],
  ['seed', (r) => String(Math.floor(r() * 100000))],
  ['momentum', (r) => float(r, 1)],
  ['warmup_steps', (r) => String(Math.floor(r() * 2000))],
  ['scheduler', (r) => pick(r, ['cosine', 'linear', 'step', 'None'])],
  ['activation', (r) => pick(r, ['relu', 'gelu', 'silu'])],
  ['max_grad_norm', (r) => float(r, 5)],
  ['label_smoothing', (r) => float(r, 0.2)],
  ['data_fraction', (r) => float(r, 1)],
  ['augment', (r) => pick(r, ['True', 'False'])],
  ['model_name', (r) => pick(r, ['resnet18', 'resnet50', 'vit_b_16', 'efficientnet_b0', 'convnext_tiny'])],
  ['precision', (r) => pick(r, ['16-mixed', 'bf16-mixed', '32'])],
  ['gradient_accumulation', (r) => pick(r, ['1', '2', '4', '8'])],
];
const ADJECTIVES = ['youthful', 'placid', 'brave', 'clumsy', 'gentle', 'rogue', 'silent', 'sassy', 'bald', 'calm', 'nimble', 'dapper'];
const ANIMALS = ['calf', 'cod', 'hound', 'owl', 'moth', 'lynx', 'crab', 'yak', 'snail', 'wren', 'toad', 'shrew'];

/** `idOf(index)` names experiment `index`; index 0 is MLflow's Default experiment. */
export function syntheticExperiments(shape: StoreShape, idOf: (index: number) => string): SyntheticExperiment[] {
  return Array.from({ length: shape.experiments }, (_, index) => ({
    id: idOf(index),
    name: index === 0 ? 'Default' : `bench-experiment-${index}`,
    creationTime: BASE_TIME + index,
  }));
}

/** Runs in start order; consecutive runs share a commit, as a branch's runs do. */
export function syntheticRuns(shape: StoreShape, experiments: readonly SyntheticExperiment[]): SyntheticRun[] {
  const random = seededRandom(shape.seed);
  const commits = Array.from({ length: COMMITS }, () => hexId(random, 40));
  const runMs = shape.steps * STEP_MS;
  return Array.from({ length: shape.runs }, (_, index) => {
    const status: SyntheticStatus = index >= shape.runs - 2 ? 'RUNNING' : index % 50 === 49 ? 'FAILED' : 'FINISHED';
    const startTime = BASE_TIME + index * runMs;
    return {
      id: hexId(random, 32),
      index,
      name: `${pick(random, ADJECTIVES)}-${pick(random, ANIMALS)}-${Math.floor(random() * 1000)}`,
      experimentId: experiments[index % experiments.length].id,
      status,
      startTime,
      ...(status === 'RUNNING' ? {} : { endTime: startTime + runMs }),
      commit: commits[Math.floor((index * COMMITS) / shape.runs)],
      params: PARAMS.slice(0, shape.params).map(([key, value]) => [key, value(random)]),
    };
  });
}
