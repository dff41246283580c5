// The one place that spawns git. simple-git passes arguments as an array (no shell) and strips
// ambient GIT_* variables such as GIT_DIR, so a folder always means its own repository.
import { simpleGit } from 'simple-git';

/** Runs `git <args>` in a fixed folder. */
export type Git = (...args: string[]) => Promise<string | undefined>;

/**
 * A runner for `folder`, or undefined when the folder does not exist. The runner resolves to stdout
 * without trailing newlines, or undefined when git fails with a message on stderr. A non-zero exit
 * with an empty stderr (how `--quiet` look-ups say "not found") resolves to ''. simple-git waits
 * 50 ms more for a process that printed nothing at all, so frequent queries are shaped to always
 * print something (e.g. no `--quiet` on rev-parse: "not found" then goes to stderr).
 */
export function gitIn(folder: string): Git | undefined {
  let git: ReturnType<typeof simpleGit>;
  try {
    git = simpleGit({ baseDir: folder });
  } catch {
    return undefined;
  }
  return async (...args) => {
    try {
      return (await git.raw(args)).replace(/\n+$/, '');
    } catch {
      return undefined;
    }
  };
}

/** True for a full or abbreviated hex object name; anything else (notably `-…` options) is refused. */
export function isObjectName(value: string): boolean {
  return /^[0-9a-f]{4,64}$/i.test(value);
}

/** The commit `rev` names, or undefined. Callers make sure `rev` cannot be read as an option. */
export async function commitOf(git: Git, rev: string): Promise<string | undefined> {
  return (await git('rev-parse', '--verify', `${rev}^{commit}`)) || undefined;
}
