// What the node-side entry (test/integration/formats.test.ts) hands this suite.

/** JSON of the FormatsRepo (test/harness/formats-repo.ts) the workspace was built from. */
export const FORMATS_REPO_ENV = 'RUNLENS_FORMATS_REPO';
