// DVC, GTO and TensorBoard in one repository, in a real VS Code extension host (suite: test/integration/formats).
import { join } from 'node:path';
import { test } from 'node:test';
import { createFormatsRepo } from '../harness/formats-repo';
import { runSuite } from '../harness/in-host';
import { FORMATS_REPO_ENV } from './formats/protocol';

test('DVC, GTO and TensorBoard in one repository, in a real VS Code extension host', { timeout: 300_000 }, (t) =>
  runSuite(t, {
    suite: 'formats',
    workspace: (work) => {
      const repo = createFormatsRepo(join(work, 'example-get-started'));
      return { dir: repo.dir, env: { [FORMATS_REPO_ENV]: JSON.stringify(repo) } };
    },
    screenshots: ['formats.png'],
  }),
);
