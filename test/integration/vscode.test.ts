// The sidebar on the demo repository, in a real VS Code extension host (suite: test/integration/suite).
import { join } from 'node:path';
import { test } from 'node:test';
import { createDemoRepo } from '../harness/demo-repo';
import { runSuite } from '../harness/in-host';
import { DEMO_REPO_ENV } from './suite/protocol';

test('Runlens in a real VS Code extension host (code-server)', { timeout: 300_000 }, (t) =>
  runSuite(t, {
    suite: 'suite',
    workspace: async (work) => {
      const demo = await createDemoRepo(join(work, 'mnist-mlp'));
      return { dir: demo.dir, env: { [DEMO_REPO_ENV]: JSON.stringify(demo) } };
    },
    screenshots: ['sidebar.png'],
  }),
);
