// Runs one in-host suite (test/integration/<suite>/, bundled to dist/test/<suite>.js) in a real VS Code
// extension host via code-server, and reports each of its tests as a node:test subtest, so `npm test` is
// one node test run with one summary. Needs `node test/harness/setup.mjs` and `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { assertPrerequisites, runInVSCode, type RunInVSCodeOptions } from './code-server';

export const ROOT = resolve(__dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'screenshots');

/** An in-host failure: its message is the whole report (assertion diff and in-host stack). */
class InHostFailure extends Error {
  constructor(report: string) {
    super(report);
    this.name = 'InHostFailure';
    this.stack = report;
  }
}

export interface SuiteRun {
  /** the folder name under test/integration/ */
  suite: string;
  /** builds the workspace to open in a fresh temp folder; returns its path and what the suite needs to know */
  workspace: (work: string) => Promise<{ dir: string; env?: Record<string, string> }> | { dir: string; env?: Record<string, string> };
  /** screenshots (file names in test/e2e/screenshots) the suite must have taken */
  screenshots?: string[];
  trustWorkspace?: boolean;
  /** other bundles the suite needs built (paths relative to the repository) */
  needs?: string[];
  onSuiteLine?: RunInVSCodeOptions['onSuiteLine'];
  timeoutMs?: number;
}

export async function runSuite(t: TestContext, run: SuiteRun): Promise<void> {
  assertPrerequisites();
  const testsPath = join(ROOT, 'dist', 'test', `${run.suite}.js`);
  for (const built of [join(ROOT, 'dist', 'extension.js'), testsPath, ...(run.needs ?? []).map((p) => join(ROOT, p))]) {
    assert.ok(existsSync(built), `${built} is missing: run npm run build`);
  }
  const work = mkdtempSync(join(tmpdir(), `runlens-${run.suite}-`));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const { dir, env } = await run.workspace(work);
  const outcome = await runInVSCode({
    workspace: dir,
    extensionPath: ROOT,
    testsPath,
    screenshotDir: SCREENSHOTS,
    env,
    trustWorkspace: run.trustWorkspace,
    onSuiteLine: run.onSuiteLine,
    timeoutMs: run.timeoutMs,
  });
  for (const result of outcome.results) {
    await t.test(result.name, (subtest) => {
      subtest.diagnostic(`${result.durationMs} ms in the extension host`);
      if (!result.passed) throw new InHostFailure(result.error ?? 'failed without an error');
    });
  }
  const where = `logs in ${outcome.workDir}`;
  assert.ok(outcome.results.length > 0, `the in-host suite reported no results (exit ${outcome.exitCode}); ${where}`);
  assert.equal(outcome.exitCode, 0, `the in-host suite exited with ${outcome.exitCode}; ${where}`);
  for (const name of run.screenshots ?? []) assert.ok(outcome.screenshots.includes(join(SCREENSHOTS, name)), `no ${name} screenshot was taken`);
}
