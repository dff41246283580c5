// What the node-side entry (test/integration/tasks.test.ts) tells the in-host tasks suite about its workspace.

/** JSON of a TasksRepo. */
export const TASKS_REPO_ENV = 'RUNLENS_TASKS_REPO';

export interface TasksRepo {
  dir: string;
  /** HEAD's full sha */
  head: string;
  /** the GTO artifact registered in setup, and its version */
  artifact: string;
  version: string;
  /** the Lightning run logged before the editor opened (not linked to a commit) */
  earlierRun: string;
  /** whether the workspace opens trusted */
  trusted: boolean;
}
