// The compare panel in a real VS Code (suite: test/integration/compare), on the demo repo plus runs named
// with XSS payloads; the driver answers the suite's webview queries with Playwright.
import { join } from 'node:path';
import { test } from 'node:test';
import { createDemoRepo } from '../harness/demo-repo';
import { runSuite } from '../harness/in-host';
import { webviewDriver } from './compare/driver';
import { addXssRuns, XSS_PAYLOADS, XSS_RUNS_ENV, type XssSetup } from './compare/xss-runs';
import { DEMO_REPO_ENV } from './suite/protocol';

test('the compare panel in a real VS Code (code-server)', { timeout: 420_000 }, (t) =>
  runSuite(t, {
    suite: 'compare',
    needs: ['dist/webview/compare.js'],
    workspace: async (work) => {
      const demo = await createDemoRepo(join(work, 'mnist-mlp'));
      const xss: XssSetup = { payloads: XSS_PAYLOADS.length, runs: addXssRuns(demo, 'wider-512') };
      return { dir: demo.dir, env: { [DEMO_REPO_ENV]: JSON.stringify(demo), [XSS_RUNS_ENV]: JSON.stringify(xss) } };
    },
    onSuiteLine: webviewDriver(),
    timeoutMs: 360_000,
    screenshots: ['compare.png'],
  }),
);
