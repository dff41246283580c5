// Reads the GitView that core/scope.ts scopes runs with, in few git processes: one rev-parse, one
// for-each-ref, then merge-base and the two rev-lists side by side.
import type { GitView } from '../core/scope';
import { commitOf, gitIn, type Git } from './run';

export interface GitViewOptions {
  /** the `runlens.baseBranch` setting; when set, no other base is guessed */
  baseBranch?: string;
  /** a revision to scope for instead of HEAD (e.g. `runlens diff main feature`); undefined: HEAD */
  head?: string;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * HEAD, branch, base, merge-base and the commit sets of `folder`'s repository (the folder may be any
 * subfolder of the working tree). Never throws: a folder outside any repository gives `isRepo: false`.
 * When the base has no common history with HEAD (typically a shallow clone), `base` is set and
 * `mergeBase` is not, and `branchCommits` is all of HEAD's history.
 */
export function readGitView(folder: string, opts: GitViewOptions = {}): Promise<GitView> {
  return new GitViewCache(folder).read(opts);
}

/**
 * Reads the GitView of one folder again and again (on every change of HEAD or refs). `rev-list HEAD`
 * is nearly all of the cost (on a busy 2-core machine: 0.2-0.4 s for 20k commits, 0.8-1.2 s for 100k,
 * against about 25 ms for the rest), so its answer is kept: an unchanged HEAD reuses it and a HEAD that
 * moved forward only lists the new commits. Shallow repositories are not cached, as deepening one
 * changes its history without moving HEAD.
 */
export class GitViewCache {
  private last: { head: string; reachable: ReadonlySet<string> } | undefined;

  constructor(readonly folder: string) {}

  async read(opts: GitViewOptions = {}): Promise<GitView> {
    const git = gitIn(this.folder);
    const state = git && (await readHead(git));
    if (!git || !state) return { isRepo: false, branchCommits: NONE, reachable: NONE, shallow: false };
    const { head, branch, shallow } = opts.head ? { ...(await readRevision(git, opts.head)), shallow: state.shallow } : state;
    if (!head) return { isRepo: true, branch, branchCommits: NONE, reachable: NONE, shallow };
    const refs = await readRefs(git, branch);
    const configured = opts.baseBranch?.trim();
    const base = configured ? await configuredBase(git, configured) : defaultBase(refs);
    const onBase = branch !== undefined && (base?.name === branch || base?.name === refs.get(`refs/heads/${branch}`)?.upstream);
    const [reachable, mergeBase, branchOnly] = await Promise.all([
      shallow ? revList(git, head) : this.reachableFrom(git, head),
      !base ? undefined : onBase ? head : git('merge-base', base.commit, head).then((sha) => sha || undefined),
      // HEAD ^base is mergeBase..HEAD: what HEAD and base share is what the merge-base reaches.
      base && !onBase ? revList(git, head, `^${base.commit}`) : NONE,
    ]);
    const branchCommits = mergeBase ? branchOnly : reachable;
    return { isRepo: true, head, branch, base: base?.name, mergeBase, branchCommits, reachable, shallow };
  }

  private async reachableFrom(git: Git, head: string): Promise<ReadonlySet<string>> {
    const last = this.last;
    if (last?.head === head) return last.reachable;
    let reachable: ReadonlySet<string>;
    if (last && (await git('merge-base', last.head, head)) === last.head) {
      const grown = new Set(last.reachable);
      for (const commit of await revList(git, head, `^${last.head}`)) grown.add(commit);
      reachable = grown;
    } else {
      reachable = await revList(git, head);
    }
    this.last = { head, reachable };
    return reachable;
  }
}

interface HeadState {
  shallow: boolean;
  head?: string;
  branch?: string;
}

/** One rev-parse in the usual case; a repository without commits (or no repository) takes two more. */
async function readHead(git: Git): Promise<HeadState | undefined> {
  const lines = (await git('rev-parse', '--is-inside-work-tree', '--is-shallow-repository', 'HEAD', '--symbolic-full-name', 'HEAD'))?.split('\n');
  if (lines) {
    const [inside, shallow, head, ref] = lines;
    if (inside !== 'true') return undefined;
    return { shallow: shallow === 'true', head, branch: ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined };
  }
  const [inside, shallow] = (await git('rev-parse', '--is-inside-work-tree', '--is-shallow-repository'))?.split('\n') ?? [];
  if (inside !== 'true') return undefined;
  return { shallow: shallow === 'true', branch: (await git('symbolic-ref', '--quiet', '--short', 'HEAD')) || undefined };
}

/** A revision standing in for HEAD: its commit, and its name when it is a local branch. */
async function readRevision(git: Git, rev: string): Promise<{ head?: string; branch?: string }> {
  if (rev.startsWith('-')) return {};
  const [head, isBranch] = await Promise.all([commitOf(git, rev), commitOf(git, `refs/heads/${rev}`)]);
  return { head, branch: head && isBranch ? rev : undefined };
}

interface Base {
  name: string;
  commit: string;
}

/** Default bases by preference, after origin/HEAD's target: [name, full ref]. */
const DEFAULT_BASES = [
  ['main', 'refs/heads/main'],
  ['origin/main', 'refs/remotes/origin/main'],
  ['master', 'refs/heads/master'],
  ['origin/master', 'refs/remotes/origin/master'],
] as const;

type Refs = Map<string, { commit: string; upstream: string; symref: string }>;

/** The refs a default base may come from, and the current branch's (for its upstream), by full name. */
async function readRefs(git: Git, branch: string | undefined): Promise<Refs> {
  const patterns = ['refs/remotes/origin/HEAD', ...DEFAULT_BASES.map(([, ref]) => ref)];
  if (branch) patterns.push(`refs/heads/${branch}`);
  const out = await git('for-each-ref', '--format=%(refname)%00%(objectname)%00%(upstream:short)%00%(symref:short)', ...patterns);
  const refs: Refs = new Map();
  for (const line of out ? out.split('\n') : []) {
    const [ref = '', commit = '', upstream = '', symref = ''] = line.split('\0');
    refs.set(ref, { commit, upstream, symref });
  }
  return refs;
}

function defaultBase(refs: Refs): Base | undefined {
  const originHead = refs.get('refs/remotes/origin/HEAD');
  if (originHead?.symref) return { name: originHead.symref, commit: originHead.commit };
  for (const [name, ref] of DEFAULT_BASES) {
    const commit = refs.get(ref)?.commit;
    if (commit) return { name, commit };
  }
  return undefined;
}

/** The configured base as given (any revision), else on origin; a value like "--output=x" is refused. */
async function configuredBase(git: Git, configured: string): Promise<Base | undefined> {
  if (configured.startsWith('-')) return undefined;
  for (const name of [configured, `origin/${configured}`]) {
    const commit = await commitOf(git, name);
    if (commit) return { name, commit };
  }
  return undefined;
}

async function revList(git: Git, ...revs: string[]): Promise<ReadonlySet<string>> {
  const out = await git('rev-list', ...revs);
  return new Set(out ? out.split('\n') : []);
}
