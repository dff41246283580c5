// The in-host side of the harness: a tiny sequential test runner (mocha's reporter writes to stdout,
// which the extension host does not forward), logging through `console` and writing a results file.
import { existsSync, writeFileSync } from 'node:fs';
import {
  HARNESS_DIR_ENV,
  LOG_PREFIX,
  screenshotRequest,
  resultsFile,
  screenshotAck,
  type InHostTestResult,
  type ScreenshotRequest,
} from './protocol';

export interface TestCase {
  name: string;
  run(): Promise<void> | void;
}

const log = (message: string): void => console.log(`${LOG_PREFIX} ${message}`);

function harnessDir(): string {
  const dir = process.env[HARNESS_DIR_ENV];
  if (!dir) throw new Error(`${HARNESS_DIR_ENV} is not set: run this suite through test/harness/code-server.ts`);
  return dir;
}

/** Runs the tests in order (later ones build on the state earlier ones leave) and records each outcome. */
export async function runTests(tests: TestCase[]): Promise<InHostTestResult[]> {
  const results: InHostTestResult[] = [];
  for (const test of tests) {
    const started = Date.now();
    try {
      await test.run();
      results.push({ name: test.name, passed: true, durationMs: Date.now() - started });
      log(`PASS ${test.name}`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ name: test.name, passed: false, error: message, durationMs: Date.now() - started });
      log(`FAIL ${test.name}: ${message}`);
    }
  }
  writeFileSync(resultsFile(harnessDir()), JSON.stringify(results, null, 2));
  return results;
}

/** Polls `probe` until it returns a value other than undefined; throws `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** Asks the driver to capture the page as `<name>.png` and waits until it has. */
export async function requestScreenshot(request: ScreenshotRequest): Promise<void> {
  const ack = screenshotAck(harnessDir(), request.name);
  console.log(screenshotRequest(request));
  await waitFor(`the driver's screenshot ${request.name}`, async () => (existsSync(ack) ? true : undefined), 40_000);
}
