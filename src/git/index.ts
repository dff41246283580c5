export { GitViewCache, readGitView, type GitViewOptions } from './view';
export { gitDirs, headCommit, isDirty, showCommit } from './repo';
