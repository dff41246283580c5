// Branch scoping: where a run's commit sits relative to the checked-out branch. Pure; the git side
// (src/git) fills a GitView, this module only reads it.
import type { GitLink, Scope } from './model';

/** What the scoping needs to know about one working copy. */
export interface GitView {
  isRepo: boolean;
  /** full sha of HEAD; undefined when not a repo or no commits yet */
  head?: string;
  /** current branch name; undefined when detached */
  branch?: string;
  /** the base ref used, e.g. 'main' or 'origin/main'; undefined when none found */
  base?: string;
  /** merge-base(base, HEAD); undefined when there is no base, or no common history (e.g. a shallow clone) */
  mergeBase?: string;
  /** commits in mergeBase..HEAD: none on the base branch itself, all of HEAD's history when there is no merge-base */
  branchCommits: ReadonlySet<string>;
  /** commits reachable from HEAD */
  reachable: ReadonlySet<string>;
  shallow: boolean;
}

/** Abbreviated commits shorter than this are not matched: too likely to be ambiguous. */
const MIN_ABBREV = 7;
const HEX = /^[0-9a-f]+$/;

/**
 * - `unlinked`: no commit tag, or the folder is not a git repository;
 * - `branch`: HEAD, or a commit of mergeBase..HEAD, or a commit this clone does not reach from HEAD
 *   while the run's branch tag names the current branch;
 * - `base`: reachable from HEAD but not on the branch, i.e. reachable from the merge-base;
 * - `other`: anything else (other branches, commits this clone does not know).
 */
export function scopeOf(git: GitLink, view: GitView): Scope {
  const tag = git.commit?.trim().toLowerCase();
  if (!view.isRepo || !tag) return 'unlinked';
  const commit = resolveCommit(tag, view.reachable);
  if (commit === undefined) return git.branch !== undefined && git.branch === view.branch ? 'branch' : 'other';
  return commit === view.head || view.branchCommits.has(commit) ? 'branch' : 'base';
}

export function scopeLabel(scope: Scope, view: GitView): string {
  switch (scope) {
    case 'branch':
      return 'This branch';
    case 'base':
      return `From ${view.base ?? 'base'}`;
    case 'unlinked':
      return 'Not linked to a commit';
    case 'other':
      return 'Other branches';
  }
}

/**
 * The full sha in `commits` that `tag` names: itself, or the only commit it is a prefix of
 * (at least MIN_ABBREV hex digits). Ambiguous and unknown prefixes resolve to nothing.
 */
function resolveCommit(tag: string, commits: ReadonlySet<string>): string | undefined {
  if (commits.has(tag)) return tag;
  if (tag.length < MIN_ABBREV || !HEX.test(tag)) return undefined;
  const sorted = sortedCommits(commits);
  const at = lowerBound(sorted, tag);
  const match = sorted[at];
  return match?.startsWith(tag) && !sorted[at + 1]?.startsWith(tag) ? match : undefined;
}

/** Sorted copies of commit sets, built on the first abbreviated lookup and kept as long as the set lives. */
const sortedCache = new WeakMap<ReadonlySet<string>, readonly string[]>();

function sortedCommits(commits: ReadonlySet<string>): readonly string[] {
  let sorted = sortedCache.get(commits);
  if (!sorted) {
    sorted = [...commits].sort();
    sortedCache.set(commits, sorted);
  }
  return sorted;
}

/** Index of the first element >= `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
