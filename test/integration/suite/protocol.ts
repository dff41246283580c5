// The few conventions the node-side driver (test/harness/code-server.ts) and the in-host suite share.
// The extension host inherits code-server's environment, so the driver talks to the suite through
// environment variables; the suite answers through `console` (forwarded to the page) and files.

/** Folder the driver creates for one run: the suite writes its results there and reads acknowledgements. */
export const HARNESS_DIR_ENV = 'RUNLENS_HARNESS_DIR';
/** JSON of the DemoRepo (test/harness/demo-repo.ts) the workspace was built from. */
export const DEMO_REPO_ENV = 'RUNLENS_DEMO_REPO';
/** The extension under test, and the labels of its Experiments groups that suites look for. */
export const EXTENSION_ID = 'runlens.runlens';
export const THIS_BRANCH = 'This branch';
export const UNLINKED = 'Not linked to a commit';

/** Prefix of every console line the suite wants the driver to forward. */
export const LOG_PREFIX = '[runlens-suite]';
const SCREENSHOT_REQUEST = `${LOG_PREFIX} screenshot `;

export interface ScreenshotRequest {
  /** Letters, digits, - and _: the file is `<screenshotDir>/<name>.png`. */
  name: string;
  /** Text the page must show first: the workbench renders a tree a moment after the provider answers. */
  waitForText?: string;
}

/** The console line that asks the driver for a screenshot. */
export const screenshotRequest = ({ name, waitForText }: ScreenshotRequest): string =>
  `${SCREENSHOT_REQUEST}${name}${waitForText ? ` ${waitForText}` : ''}`;

export function parseScreenshotRequest(line: string): ScreenshotRequest | undefined {
  if (!line.startsWith(SCREENSHOT_REQUEST)) return undefined;
  const match = /^([\w-]+)(?: (.+))?$/.exec(line.slice(SCREENSHOT_REQUEST.length).trim());
  return match ? { name: match[1]!, waitForText: match[2] } : undefined;
}

export interface InHostTestResult {
  name: string;
  passed: boolean;
  error?: string;
  durationMs: number;
}

export const resultsFile = (harnessDir: string): string => `${harnessDir}/results.json`;
/** Written by the driver once the screenshot `name` is on disk, so the suite can go on changing the UI. */
export const screenshotAck = (harnessDir: string, name: string): string => `${harnessDir}/${name}.screenshot-done`;
