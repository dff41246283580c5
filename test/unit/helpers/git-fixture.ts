// Throw-away git repositories for tests. Every command runs with the user's and the system's git
// config shut out and with fixed, increasing dates, so a script of commits gives the same shas on
// every machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const AUTHOR = 'Runlens Test <test@runlens.invalid>';
/** Seconds since the epoch of the first commit; each later commit is a minute after the one before. */
const FIRST_DATE = 1_700_000_000;

export interface Repo {
  readonly dir: string;
  /** Runs git in the repo; returns stdout without the trailing newline. */
  git(...args: string[]): string;
  /** Writes `files` (paths relative to the repo, parent folders created), stages them, commits; returns the sha. */
  commit(message: string, files?: Record<string, string>): string;
  /** Creates branch `name` at `from` (default HEAD) without switching to it. */
  branch(name: string, from?: string): void;
  checkout(ref: string): void;
  /** Appends `count` commits (same tree as HEAD) to the current branch with `git fast-import`; returns the new HEAD. */
  appendCommits(count: number): string;
}

/** A new empty folder under the OS temp dir; the caller removes it. */
export function tempDir(prefix = 'runlens-git-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs git in `cwd` with an environment that ignores any config outside the repository. */
export function runGit(cwd: string, args: string[], options: { date?: number; input?: string } = {}): string {
  const date = `${options.date ?? FIRST_DATE} +0000`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: cwd,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
  const out = execFileSync('git', args, { cwd, env, input: options.input, encoding: 'utf8', maxBuffer: 1 << 30, stdio: 'pipe' });
  return out.replace(/\n$/, '');
}

/** `git init -b main` in `dir` (created if missing) with a local identity. */
export function makeRepo(dir: string): Repo {
  mkdirSync(dir, { recursive: true });
  runGit(dir, ['init', '--quiet', '-b', 'main']);
  return openRepo(dir);
}

/** `git clone <extraArgs> <source> <dir>`, e.g. `cloneRepo(src, dir, '--depth', '1')` with a `file://` source. */
export function cloneRepo(source: string, dir: string, ...extraArgs: string[]): Repo {
  runGit(dirname(dir), ['clone', '--quiet', ...extraArgs, source, dir]);
  return openRepo(dir);
}

function openRepo(dir: string): Repo {
  let date = FIRST_DATE;
  const git = (...args: string[]) => runGit(dir, args, { date });
  git('config', 'user.name', 'Runlens Test');
  git('config', 'user.email', 'test@runlens.invalid');
  return {
    dir,
    git,
    commit(message, files = {}) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      if (Object.keys(files).length > 0) git('add', '--', ...Object.keys(files));
      date += 60;
      git('commit', '--quiet', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    branch(name, from = 'HEAD') {
      git('branch', name, from);
    },
    checkout(ref) {
      git('checkout', '--quiet', ref);
    },
    appendCommits(count) {
      const ref = git('symbolic-ref', 'HEAD');
      const parent = git('rev-parse', 'HEAD');
      const stream: string[] = [];
      for (let i = 1; i <= count; i++) {
        const message = `generated ${i}`;
        date += 60;
        stream.push(`commit ${ref}`, `committer ${AUTHOR} ${date} +0000`, `data ${Buffer.byteLength(message)}`, message);
        if (i === 1) stream.push(`from ${parent}`);
        stream.push('');
      }
      runGit(dir, ['fast-import', '--quiet'], { input: stream.join('\n') });
      return git('rev-parse', 'HEAD');
    },
  };
}
