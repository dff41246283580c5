export { GitViewCache, readGitView, type GitViewOptions } from './view';
export { gitDirs, headCommit, isDirty, showCommit } from './repo';
export { commitsTouching, listRefs, listTags, listWorkingFiles, readFilesAt, type CommitInfo, type FilesAt, type RefInfo, type TagInfo } from './history';
