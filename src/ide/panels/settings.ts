// The `runlens.metricDirections` setting: which way is better for metrics whose name does not say.
import * as vscode from 'vscode';
import type { Direction, DirectionOverrides } from '../../core/direction';

export const METRIC_DIRECTIONS_SETTING = 'runlens.metricDirections';

const isDirection = (value: unknown): value is Direction => value === 'min' || value === 'max';

/** The overrides, metric key or glob → direction; entries with any other value are ignored. */
export function metricDirections(): DirectionOverrides {
  const raw = vscode.workspace.getConfiguration('runlens').get<unknown>('metricDirections');
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, Direction] => isDirection(entry[1])));
}
