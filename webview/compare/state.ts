// The panel's view state (baseline, axis, smoothing, sorting, hidden runs…), kept with the webview's
// setState so it survives hiding and reloads; the host's serializer reads the run keys back from it.
import { defaultPanelState, PanelState } from '../../src/protocol/compare';
import type { Host } from './vscode-api';

export class StateStore {
  readonly value: PanelState;

  constructor(private readonly host: Host) {
    const saved = PanelState.safeParse(host.getState() ?? {});
    this.value = saved.success ? saved.data : defaultPanelState();
  }

  set<K extends keyof PanelState>(key: K, value: PanelState[K]): void {
    this.value[key] = value;
    this.host.setState(this.value);
  }

  hiddenIn(metric: string): Set<string> {
    return new Set(this.value.hidden[metric] ?? []);
  }

  toggleHidden(metric: string, run: string): void {
    const hidden = this.hiddenIn(metric);
    if (!hidden.delete(run)) hidden.add(run);
    this.set('hidden', { ...this.value.hidden, [metric]: [...hidden] });
  }
}
