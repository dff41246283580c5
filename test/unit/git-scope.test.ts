import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scopeLabel, scopeOf, type GitView } from '../../src/core/scope';
import { GitViewCache, gitDirs, headCommit, isDirty, readGitView, showCommit } from '../../src/git';
import { cloneRepo, makeRepo, tempDir, type Repo } from './helpers/git-fixture';

const root = tempDir();
after(() => rmSync(root, { recursive: true, force: true }));
let repoCount = 0;
const newDir = () => join(root, `repo${++repoCount}`);

const sha = (c: string) => c.repeat(40).slice(0, 40);
const UNKNOWN = sha('0123456789');

function view(v: Omit<Partial<GitView>, 'reachable' | 'branchCommits'> & { reachable: string[]; branchCommits: string[] }): GitView {
  return { isRepo: true, shallow: false, ...v, reachable: new Set(v.reachable), branchCommits: new Set(v.branchCommits) };
}

// A feature branch: mergeBase M (from main), branch commits F1 and HEAD H.
const [ROOT, M, F1, H] = ['1', '2', '3', '4'].map(sha) as [string, string, string, string];
const feature = view({ head: H, branch: 'feature', base: 'main', mergeBase: M, reachable: [ROOT, M, F1, H], branchCommits: [F1, H] });

test('scopeOf: each rule on a feature branch', () => {
  assert.equal(scopeOf({ commit: H }, feature), 'branch');
  assert.equal(scopeOf({ commit: F1 }, feature), 'branch');
  assert.equal(scopeOf({ commit: M }, feature), 'base');
  assert.equal(scopeOf({ commit: ROOT }, feature), 'base');
  assert.equal(scopeOf({ commit: UNKNOWN }, feature), 'other');
  assert.equal(scopeOf({ commit: UNKNOWN, branch: 'other-branch' }, feature), 'other');
  assert.equal(scopeOf({}, feature), 'unlinked');
  assert.equal(scopeOf({ commit: '  ', branch: 'feature' }, feature), 'unlinked');
});

test('scopeOf: a commit unknown to the clone counts for the branch its tag names', () => {
  assert.equal(scopeOf({ commit: UNKNOWN, branch: 'feature' }, feature), 'branch');
  const detached = { ...feature, branch: undefined };
  assert.equal(scopeOf({ commit: UNKNOWN }, detached), 'other', 'no branch tag does not match a detached HEAD');
});

test('scopeOf: abbreviated and upper-case commits', () => {
  assert.equal(scopeOf({ commit: F1.slice(0, 7) }, feature), 'branch');
  assert.equal(scopeOf({ commit: M.slice(0, 12).toUpperCase() }, feature), 'base');
  assert.equal(scopeOf({ commit: ` ${H} ` }, feature), 'branch');
  assert.equal(scopeOf({ commit: F1.slice(0, 6) }, feature), 'other', 'shorter than 7 is not matched');
  assert.equal(scopeOf({ commit: 'zz33333' }, feature), 'other');
  const a = `abcdef1${'0'.repeat(33)}`;
  const b = `abcdef1${'1'.repeat(33)}`;
  const twins = view({ head: a, branch: 'main', reachable: [a, b], branchCommits: [a] });
  assert.equal(scopeOf({ commit: 'abcdef1' }, twins), 'other', 'ambiguous prefix');
  assert.equal(scopeOf({ commit: 'abcdef11' }, twins), 'base');
  assert.equal(scopeOf({ commit: 'abcdef10' }, twins), 'branch');
});

test('scopeOf: on the base branch only HEAD is "this branch"', () => {
  const onMain = view({ head: H, branch: 'main', base: 'main', mergeBase: H, reachable: [ROOT, M, H], branchCommits: [] });
  assert.equal(scopeOf({ commit: H }, onMain), 'branch');
  assert.equal(scopeOf({ commit: H.slice(0, 8) }, onMain), 'branch');
  assert.equal(scopeOf({ commit: M }, onMain), 'base');
});

test('scopeOf: outside a repository everything is unlinked', () => {
  const none = view({ isRepo: false, reachable: [], branchCommits: [] });
  assert.equal(scopeOf({ commit: H, branch: 'main' }, none), 'unlinked');
});

test('scopeLabel', () => {
  assert.equal(scopeLabel('branch', feature), 'This branch');
  assert.equal(scopeLabel('base', feature), 'From main');
  assert.equal(scopeLabel('base', { ...feature, base: 'origin/main' }), 'From origin/main');
  assert.equal(scopeLabel('unlinked', feature), 'Not linked to a commit');
  assert.equal(scopeLabel('other', feature), 'Other branches');
});

/** main: m1 m2 m3, feature (from m2): f1 f2; `develop` at m1; feature checked out. */
function featureRepo(): { repo: Repo; m1: string; m2: string; m3: string; f1: string; f2: string } {
  const repo = makeRepo(newDir());
  const m1 = repo.commit('m1', { 'train.py': 'print(1)\n' });
  repo.branch('develop');
  const m2 = repo.commit('m2', { 'train.py': 'print(2)\n' });
  repo.branch('feature');
  const m3 = repo.commit('m3', { 'README.md': 'main only\n' });
  repo.checkout('feature');
  const f1 = repo.commit('f1', { 'src/model.py': 'x = 1\n' });
  const f2 = repo.commit('f2', { 'src/model.py': 'x = 2\n' });
  return { repo, m1, m2, m3, f1, f2 };
}

test('readGitView: a feature branch of main', async () => {
  const { repo, m1, m2, m3, f1, f2 } = featureRepo();
  const v = await readGitView(repo.dir);
  assert.deepEqual(
    { isRepo: v.isRepo, head: v.head, branch: v.branch, base: v.base, mergeBase: v.mergeBase, shallow: v.shallow },
    { isRepo: true, head: f2, branch: 'feature', base: 'main', mergeBase: m2, shallow: false },
  );
  assert.deepEqual([...v.branchCommits].sort(), [f1, f2].sort());
  assert.deepEqual([...v.reachable].sort(), [m1, m2, f1, f2].sort());
  assert.deepEqual([f2, f1, m2, m1, m3].map((commit) => scopeOf({ commit }, v)), ['branch', 'branch', 'base', 'base', 'other']);
  assert.equal(scopeOf({ commit: f1.slice(0, 7) }, v), 'branch');
  assert.equal(scopeOf({ commit: m1.slice(0, 9) }, v), 'base');
});

test('readGitView with a head revision scopes for that revision while another is checked out', async () => {
  const { repo, m1, m2, m3, f1, f2 } = featureRepo();
  repo.checkout('main');
  const v = await readGitView(repo.dir, { head: 'feature' });
  assert.deepEqual({ head: v.head, branch: v.branch, base: v.base, mergeBase: v.mergeBase }, { head: f2, branch: 'feature', base: 'main', mergeBase: m2 });
  assert.deepEqual([f2, f1, m2, m1, m3].map((commit) => scopeOf({ commit }, v)), ['branch', 'branch', 'base', 'base', 'other']);
  const byCommit = await readGitView(repo.dir, { head: f1 });
  assert.deepEqual({ head: byCommit.head, branch: byCommit.branch }, { head: f1, branch: undefined });
  assert.equal((await readGitView(repo.dir, { head: 'no-such-branch' })).head, undefined);
  assert.equal((await readGitView(repo.dir, { head: '--output=/tmp/x' })).head, undefined);
});

test('readGitView: on main itself, detached HEAD, baseBranch override', async () => {
  const { repo, m1, m2, m3, f1, f2 } = featureRepo();
  repo.checkout('main');
  const onMain = await readGitView(repo.dir);
  assert.equal(onMain.branch, 'main');
  assert.equal(onMain.mergeBase, m3);
  assert.equal(onMain.branchCommits.size, 0);
  assert.deepEqual([m3, m2, m1, f1].map((commit) => scopeOf({ commit }, onMain)), ['branch', 'base', 'base', 'other']);

  repo.checkout(f1);
  const detached = await readGitView(repo.dir);
  assert.equal(detached.branch, undefined);
  assert.equal(detached.head, f1);
  assert.equal(detached.mergeBase, m2);
  assert.deepEqual([...detached.branchCommits], [f1]);
  assert.equal(scopeOf({ commit: f2, branch: 'feature' }, detached), 'other');

  repo.checkout('feature');
  const develop = await readGitView(repo.dir, { baseBranch: 'develop' });
  assert.equal(develop.base, 'develop');
  assert.equal(develop.mergeBase, m1);
  assert.deepEqual([...develop.branchCommits].sort(), [m2, f1, f2].sort());
  assert.equal(scopeLabel('base', develop), 'From develop');

  const missing = await readGitView(repo.dir, { baseBranch: 'no-such-branch' });
  assert.equal(missing.base, undefined, 'a configured base that does not exist is not replaced by a guess');
  assert.equal(missing.mergeBase, undefined);
  assert.equal(missing.branchCommits, missing.reachable);
});

test('readGitView: a repository without commits, and folders outside any repository', async () => {
  const empty = makeRepo(newDir());
  const v = await readGitView(empty.dir);
  assert.deepEqual(
    { isRepo: v.isRepo, head: v.head, branch: v.branch, base: v.base, reachable: v.reachable.size, branchCommits: v.branchCommits.size },
    { isRepo: true, head: undefined, branch: 'main', base: undefined, reachable: 0, branchCommits: 0 },
  );
  assert.equal(await headCommit(empty.dir), undefined);

  const plain = newDir();
  mkdirSync(plain);
  for (const folder of [plain, join(plain, 'does-not-exist')]) {
    const none = await readGitView(folder);
    assert.equal(none.isRepo, false, folder);
    assert.equal(scopeOf({ commit: H }, none), 'unlinked');
    assert.equal(await gitDirs(folder), undefined);
    assert.equal(await headCommit(folder), undefined);
    assert.equal(await isDirty(folder), undefined);
    assert.equal(await showCommit(folder, H), undefined);
  }
});

test('readGitView: a shallow clone without the merge-base, and commits it does not have', async () => {
  const { repo, m1, f1, f2 } = featureRepo();
  repo.checkout('main');
  const clone = cloneRepo(`file://${repo.dir}`, newDir(), '--depth', '1', '--no-single-branch', '--branch', 'feature');
  const v = await readGitView(clone.dir);
  assert.equal(v.shallow, true);
  assert.equal(v.head, f2);
  assert.equal(v.branch, 'feature');
  assert.equal(v.base, 'origin/main');
  assert.equal(v.mergeBase, undefined, 'the merge-base is outside the shallow history');
  assert.deepEqual([...v.reachable], [f2]);
  assert.equal(v.branchCommits, v.reachable);
  assert.equal(scopeOf({ commit: f2 }, v), 'branch');
  assert.equal(scopeOf({ commit: f1 }, v), 'other');
  assert.equal(scopeOf({ commit: f1, branch: 'feature' }, v), 'branch');
  assert.equal(scopeOf({ commit: m1, branch: 'main' }, v), 'other');
  assert.equal(await showCommit(clone.dir, f1), undefined, 'commit unknown to the shallow clone');
  assert.match((await showCommit(repo.dir, f1)) ?? '', /^commit /);
});

test('readGitView: origin/HEAD names the base, and its upstream branch counts as the base', async () => {
  const source = makeRepo(newDir());
  const t1 = source.commit('t1', { 'a.txt': '1' });
  source.git('branch', '-m', 'trunk');
  source.branch('main');
  const t2 = source.commit('t2', { 'a.txt': '2' });
  const clone = cloneRepo(source.dir, newDir());
  const unpushed = clone.commit('t3');

  const onTrunk = await readGitView(clone.dir);
  assert.equal(onTrunk.base, 'origin/trunk', 'origin/HEAD wins over origin/main');
  assert.equal(onTrunk.branch, 'trunk');
  assert.equal(onTrunk.mergeBase, unpushed, 'trunk tracks origin/trunk: it is the base branch itself');
  assert.equal(onTrunk.branchCommits.size, 0);
  assert.deepEqual([unpushed, t2].map((commit) => scopeOf({ commit }, onTrunk)), ['branch', 'base']);

  clone.git('checkout', '--quiet', '-b', 'exp');
  const e1 = clone.commit('e1', { 'b.txt': '1' });
  const onExp = await readGitView(clone.dir);
  assert.deepEqual([onExp.base, onExp.mergeBase, [...onExp.branchCommits].sort()], ['origin/trunk', t2, [unpushed, e1].sort()]);
  const fromMain = await readGitView(clone.dir, { baseBranch: 'main' });
  assert.deepEqual([fromMain.base, fromMain.mergeBase], ['origin/main', t1], 'a configured name is looked up on origin too');
});

test('readGitView and gitDirs: from a subfolder and from a linked worktree', async () => {
  const { repo, f2 } = featureRepo();
  const sub = join(repo.dir, 'src');
  const fromSub = await readGitView(sub);
  assert.deepEqual([fromSub.head, fromSub.branch, fromSub.base, fromSub.branchCommits.size], [f2, 'feature', 'main', 2]);
  const gitDir = join(realpathSync(repo.dir), '.git');
  assert.deepEqual(await gitDirs(sub), { gitDir, commonDir: gitDir });

  const worktree = join(root, `worktree${repoCount}`);
  repo.git('worktree', 'add', '--quiet', '-b', 'wt-branch', worktree, 'main');
  mkdirSync(join(worktree, 'deep'));
  assert.deepEqual(await gitDirs(join(worktree, 'deep')), { gitDir: join(gitDir, 'worktrees', `worktree${repoCount}`), commonDir: gitDir });
  const wt = await readGitView(worktree);
  assert.equal(wt.branch, 'wt-branch');
  assert.equal(wt.base, 'main');
});

test('showCommit: full and abbreviated commits; option injection is refused', async () => {
  const { repo, f1 } = featureRepo();
  const shown = (await showCommit(repo.dir, f1.slice(0, 7))) ?? '';
  assert.ok(shown.startsWith(`commit ${f1}\n`), shown);
  assert.match(shown, /^CommitDate: /m);
  assert.match(shown, /src\/model\.py \| 1 \+/);
  assert.equal(await showCommit(repo.dir, f1), shown);
  assert.equal(await showCommit(repo.dir, UNKNOWN), undefined);

  const trap = join(root, 'injected');
  for (const evil of [`--output=${trap}`, '-p', `${f1} --output=${trap}`, 'HEAD']) {
    assert.equal(await showCommit(repo.dir, evil), undefined, evil);
  }
  const v = await readGitView(repo.dir, { baseBranch: `--output=${trap}` });
  assert.equal(v.base, undefined);
  assert.ok(!readdirSync(root).some((name) => name.startsWith('injected')));
});

test('headCommit and isDirty (untracked files do not count)', async () => {
  const { repo, f2 } = featureRepo();
  assert.equal(await headCommit(join(repo.dir, 'src')), f2);
  assert.equal(await isDirty(repo.dir), false);
  writeFileSync(join(repo.dir, 'untracked.txt'), 'x');
  assert.equal(await isDirty(repo.dir), false);
  writeFileSync(join(repo.dir, 'src', 'model.py'), 'x = 3\n');
  assert.equal(await isDirty(repo.dir), true);
  repo.git('checkout', '--', 'src/model.py');
  repo.git('add', 'untracked.txt');
  assert.equal(await isDirty(repo.dir), true, 'staged');
});

test('GitViewCache: reuses HEAD history, extends it when HEAD moves forward, re-reads otherwise', async () => {
  const { repo, m2, f1 } = featureRepo();
  const cache = new GitViewCache(repo.dir);
  const first = await cache.read();
  assert.equal((await cache.read()).reachable, first.reachable, 'same HEAD, same set');

  const f3 = repo.commit('f3');
  const grown = await cache.read();
  assert.equal(grown.reachable.size, first.reachable.size + 1);
  assert.deepEqual([...grown.reachable].sort(), [...(await readGitView(repo.dir)).reachable].sort());
  assert.equal(scopeOf({ commit: f3 }, grown), 'branch');
  assert.equal(first.reachable.has(f3), false, 'an earlier view is not changed');

  repo.git('reset', '--quiet', '--hard', f1);
  const back = await cache.read();
  assert.deepEqual([back.head, back.mergeBase, back.reachable.size, back.branchCommits.size], [f1, m2, 3, 1]);
});

test('readGitView: 20k commits of main history', async () => {
  const repo = makeRepo(newDir());
  const first = repo.commit('first', { 'a.txt': 'a' });
  repo.appendCommits(20_000);
  repo.git('checkout', '--quiet', '-b', 'feature');
  const tip = repo.appendCommits(3);
  const v = await readGitView(repo.dir);
  assert.equal(v.head, tip);
  assert.equal(v.reachable.size, 20_004);
  assert.equal(v.branchCommits.size, 3);
  assert.equal(scopeOf({ commit: first.slice(0, 7) }, v), 'base');
  assert.equal(scopeOf({ commit: tip.slice(0, 7) }, v), 'branch');
});
