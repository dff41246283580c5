// The webview's side of the VS Code API: posting to the host and the state that survives hiding and reloads.
import type { WebviewMessage } from '../../src/protocol/compare';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** May be called once per page. */
export function connect(): { post(message: WebviewMessage): void; getState(): unknown; setState(state: unknown): void } {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}

export type Host = ReturnType<typeof connect>;
