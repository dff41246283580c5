// Small questions about one folder's repository. None of them throws: a folder that is not in a
// repository (or does not exist) answers undefined.
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { commitOf, gitIn, isObjectName } from './run';

/**
 * Absolute paths of the folder's git dir (holds HEAD; `.git/worktrees/<name>` in a linked worktree)
 * and common dir (holds refs, packed-refs and config), for watchers of HEAD and refs.
 */
export async function gitDirs(folder: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
  const out = await gitIn(folder)?.('rev-parse', '--absolute-git-dir', '--git-common-dir');
  const [gitDir, commonDir] = out?.split('\n') ?? [];
  if (!gitDir || !commonDir) return undefined;
  // --git-common-dir may be relative to the working directory, which git sees with symlinks resolved.
  const cwd = await realpath(folder).catch(() => folder);
  return { gitDir, commonDir: resolve(cwd, commonDir) };
}

/** `git show --stat --format=fuller` of a commit (full or abbreviated sha); undefined if unknown. */
export async function showCommit(folder: string, sha: string): Promise<string | undefined> {
  if (!isObjectName(sha)) return undefined;
  return gitIn(folder)?.('show', '--no-color', '--stat', '--format=fuller', `${sha}^{commit}`, '--');
}

/** Full sha of HEAD; undefined when not a repo or there are no commits yet. */
export async function headCommit(folder: string): Promise<string | undefined> {
  const git = gitIn(folder);
  return git && commitOf(git, 'HEAD');
}

/**
 * Whether tracked files differ from HEAD (staged or not); undefined when not a repo. Untracked files
 * do not count, as in `git describe --dirty`: training writes outputs that are often untracked
 * without being ignored, and they do not change the code a run was made from.
 */
export async function isDirty(folder: string): Promise<boolean | undefined> {
  // --no-optional-locks: status must not take index.lock while the user runs git. --branch adds
  // `# branch.…` header lines, so git always prints something (see gitIn).
  const out = await gitIn(folder)?.('--no-optional-locks', 'status', '--porcelain=v2', '--branch', '--untracked-files=no');
  return out === undefined ? undefined : out.split('\n').some((line) => line !== '' && !line.startsWith('#'));
}
