// Settings, read per workspace folder (resource scope).
import * as vscode from 'vscode';
import type { Direction, DirectionOverrides } from '../core/direction';
import type { FolderSettings } from '../service/folder';

export function folderSettings(folder: vscode.Uri): FolderSettings {
  const config = vscode.workspace.getConfiguration('runlens', folder);
  return {
    baseBranch: config.get<string>('baseBranch') || undefined,
    trackingUri: config.get<string>('mlflow.trackingUri') || undefined,
    maxDepth: config.get<number>('discovery.maxDepth', 4),
    includeDeleted: config.get<boolean>('showDeleted', false),
  };
}

export function primaryMetric(): string | undefined {
  return vscode.workspace.getConfiguration('runlens').get<string>('primaryMetric') || undefined;
}

export const METRIC_DIRECTIONS_SETTING = 'runlens.metricDirections';

const isDirection = (value: unknown): value is Direction => value === 'min' || value === 'max';

/** `runlens.metricDirections`: metric key or glob → direction; entries with any other value are ignored. */
export function metricDirections(): DirectionOverrides {
  const raw = vscode.workspace.getConfiguration('runlens').get<unknown>('metricDirections');
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, Direction] => isDirection(entry[1])));
}

/** Settings whose change means the stores must be found and read again. */
export const RESCAN_SETTINGS = ['runlens.baseBranch', 'runlens.mlflow.trackingUri', 'runlens.discovery.maxDepth', 'runlens.showDeleted'];
