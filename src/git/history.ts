// Reads of git history for the sources that live in git (DVC, GTO): files at other revisions, commits
// that touched some paths, annotated tags and experiment refs. Few processes: one per question, never
// one per file or commit. None of them throws; a folder outside any repository answers empty.
import { gitIn, isObjectName } from './run';

/** Files by path (relative to the folder), for each revision asked. */
export type FilesAt = Map<string, Map<string, string>>;

/** Revisions per `git grep` call: keeps the argument list short. */
const REVS_PER_CALL = 64;

/**
 * The text of the files `pathspecs` match at each of `revs` (full shas). One `git grep` per 64 revisions
 * prints every line of every matching file as `<rev>:<path>\0<line>`: unlike `git show <rev>:<path>`, a
 * path missing at some revision is simply absent, and a folder pathspec yields the files below it.
 * Empty files are absent too (grep prints no line of them). Configuration that changes grep's output
 * (line numbers, columns, full names) is overridden.
 */
export async function readFilesAt(folder: string, revs: readonly string[], pathspecs: readonly string[]): Promise<FilesAt> {
  const files: FilesAt = new Map();
  const git = gitIn(folder);
  const wanted = revs.filter(isObjectName);
  if (!git || wanted.length === 0 || pathspecs.length === 0) return files;
  for (let i = 0; i < wanted.length; i += REVS_PER_CALL) {
    const chunk = wanted.slice(i, i + REVS_PER_CALL);
    const out = await git(
      '-c', 'grep.lineNumber=false', '-c', 'grep.column=false', '-c', 'grep.fullName=false',
      'grep', '-z', '-a', '--no-color', '-e', '', ...chunk, '--', ...pathspecs,
    );
    if (out) collectGrepLines(out, files);
  }
  return files;
}

function collectGrepLines(out: string, files: FilesAt): void {
  const lines = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const nul = line.indexOf('\0');
    if (nul < 0) continue;
    const name = line.slice(0, nul);
    let list = lines.get(name);
    if (!list) lines.set(name, (list = []));
    list.push(line.slice(nul + 1));
  }
  for (const [name, content] of lines) {
    const colon = name.indexOf(':');
    const rev = name.slice(0, colon);
    let byPath = files.get(rev);
    if (!byPath) files.set(rev, (byPath = new Map()));
    byPath.set(name.slice(colon + 1), content.join('\n') + '\n');
  }
}

export interface CommitInfo {
  sha: string;
  /** committer time, ms since the epoch */
  time: number;
  subject: string;
}

/** The newest `limit` commits of HEAD's history that changed any of `pathspecs`, newest first. */
export async function commitsTouching(folder: string, pathspecs: readonly string[], limit: number): Promise<CommitInfo[]> {
  if (pathspecs.length === 0) return [];
  const out = await gitIn(folder)?.('log', '--no-show-signature', `--max-count=${limit}`, '--format=%H%x00%ct%x00%s', 'HEAD', '--', ...pathspecs);
  return (out ? out.split('\n') : []).flatMap((line) => {
    const [sha = '', time = '', subject = ''] = line.split('\0');
    return isObjectName(sha) ? [{ sha, time: Number(time) * 1000, subject }] : [];
  });
}

export interface RefInfo {
  /** full ref name, e.g. `refs/exps/06/ea48…/messy-tire` */
  ref: string;
  commit: string;
  /** committer time of the commit, ms since the epoch */
  time: number;
  subject: string;
}

/** Refs under `prefix` (e.g. `refs/exps`) with the commit each points at. */
export async function listRefs(folder: string, prefix: string): Promise<RefInfo[]> {
  const out = await gitIn(folder)?.('for-each-ref', '--format=%(refname)%00%(objectname)%00%(committerdate:unix)%00%(subject)', prefix);
  return (out ? out.split('\n') : []).flatMap((line) => {
    const [ref = '', commit = '', time = '', subject = ''] = line.split('\0');
    return ref ? [{ ref, commit, time: Number(time) * 1000, subject }] : [];
  });
}

export interface TagInfo {
  /** the tag's name without `refs/tags/` */
  name: string;
  /** the commit the tag points at (peeled once for an annotated tag) */
  commit: string;
  /** false for a lightweight tag */
  annotated: boolean;
  /** tagger time of an annotated tag, ms since the epoch */
  time?: number;
  /** first line of an annotated tag's message */
  message?: string;
}

/** Every tag of the repository. */
export async function listTags(folder: string): Promise<TagInfo[]> {
  const out = await gitIn(folder)?.('for-each-ref', '--format=%(refname)%00%(objecttype)%00%(objectname)%00%(*objectname)%00%(taggerdate:unix)%00%(subject)', 'refs/tags');
  return (out ? out.split('\n') : []).flatMap((line): TagInfo[] => {
    const [ref = '', type = '', object = '', peeled = '', time = '', message = ''] = line.split('\0');
    if (!ref.startsWith('refs/tags/')) return [];
    const name = ref.slice('refs/tags/'.length);
    if (type !== 'tag') return [{ name, commit: object, annotated: false }];
    return [{ name, commit: peeled, annotated: true, time: Number(time) * 1000, message }];
  });
}

/** Paths (relative to the folder) of tracked and untracked-but-not-ignored files matching `pathspec`. */
export async function listWorkingFiles(folder: string, pathspec: string): Promise<string[] | undefined> {
  const out = await gitIn(folder)?.('ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', pathspec);
  if (out === undefined) return undefined;
  return [...new Set(out.split('\0').filter(Boolean))];
}
