// Whether a metric is better when it goes down (loss, error) or up (accuracy, F1, AUC).

export type Direction = 'min' | 'max';

/** User overrides: metric key or glob (`*` matches any run of characters) → direction. */
export type DirectionOverrides = Readonly<Record<string, Direction>>;

const MINIMIZE = new Set(['loss', 'error', 'err', 'rmse', 'mse', 'mae', 'mape', 'smape', 'nll', 'perplexity', 'ppl', 'wer', 'cer', 'ter',
  'rank', 'latency', 'runtime', 'time', 'duration', 'distance', 'divergence', 'kl', 'fpr', 'fnr', 'regret', 'cost']);
const MAXIMIZE = new Set(['acc', 'accuracy', 'prec', 'ap', 'f1', 'f1score', 'auc', 'roc', 'auroc', 'auprc', 'precision', 'recall', 'map', 'ndcg', 'mrr',
  'bleu', 'rouge', 'rouge1', 'rouge2', 'rougel', 'meteor', 'r2', 'iou', 'miou', 'dice', 'score', 'reward', 'return', 'sharpe', 'tpr',
  'throughput', 'samples_per_second', 'hit', 'hits', 'top1', 'top5', 'exact', 'em', 'kappa', 'mcc', 'specificity', 'sensitivity']);

/**
 * The direction of `key`: an override when one matches (exact key first, then globs in order), else the
 * last word of the key that names a known kind of metric (`val/top_1_acc` → max, `eval_loss` → min).
 * Undefined when nothing says.
 */
export function metricDirection(key: string, overrides: DirectionOverrides = {}): Direction | undefined {
  if (overrides[key]) return overrides[key];
  for (const [pattern, direction] of Object.entries(overrides)) if (globMatches(pattern, key)) return direction;
  const words = key.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i]!;
    if (MINIMIZE.has(word)) return 'min';
    if (MAXIMIZE.has(word)) return 'max';
  }
  return undefined;
}

function globMatches(pattern: string, key: string): boolean {
  if (!pattern.includes('*')) return false;
  const regex = new RegExp('^' + pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*') + '$');
  return regex.test(key);
}

/** Whether `candidate` is better than `reference` in this direction; undefined when equal or unknown. */
export function isBetter(candidate: number, reference: number, direction: Direction | undefined): boolean | undefined {
  if (direction === undefined || candidate === reference || Number.isNaN(candidate) || Number.isNaN(reference)) return undefined;
  return direction === 'min' ? candidate < reference : candidate > reference;
}
