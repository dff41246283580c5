// How the in-host compare suite asks the node-side driver to look into (and act on) the page: the extension
// host cannot reach a webview's DOM, Playwright can. Like the screenshot handshake: the suite logs a
// request line, the driver does it and writes the answer to the file the line names.
import { LOG_PREFIX } from '../suite/protocol';

const REQUEST = `${LOG_PREFIX} webview `;

/** Something to do with Playwright before the query runs. Selectors are Playwright selectors. */
export type Action =
  | { click: string }
  | { press: string; on: string }
  | { hover: string; at: { x: number; y: number } }
  | { scroll: string };

export interface WebviewRequest {
  /** `compare`: the compare panel's page; `workbench`: VS Code's own page; `all`: every frame (the script runs in each) */
  frame: 'compare' | 'workbench' | 'all';
  actions?: Action[];
  /** a JavaScript expression evaluated in the frame; its value (JSON) is the answer */
  script: string;
}

export interface WebviewAnswer {
  ok: boolean;
  /** the script's value; for `all`, one per frame */
  value?: unknown;
  error?: string;
  /** dialogs (alert, confirm, prompt) the page opened so far in this run */
  dialogs: string[];
}

export const webviewRequestLine = (answerFile: string, request: WebviewRequest): string =>
  `${REQUEST}${answerFile} ${Buffer.from(JSON.stringify(request)).toString('base64')}`;

export function parseWebviewRequest(line: string): { answerFile: string; request: WebviewRequest } | undefined {
  if (!line.startsWith(REQUEST)) return undefined;
  const [answerFile, encoded] = line.slice(REQUEST.length).trim().split(' ');
  if (!answerFile || !encoded) return undefined;
  return { answerFile, request: JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as WebviewRequest };
}
