// Rebuilds the git repository of test/fixtures/dvc-example-get-started in a temp folder: every commit of
// history.tsv with exactly the files kept for it, the annotated tags of refs.tsv (GTO's among them) with their
// taggers, dates and messages, the branches, the `refs/exps` experiments, and the legacy chain as the branch
// `legacy-pr57`. One `git fast-import`; dates and authors come from the fixture, so shas are stable.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { TestContext } from 'node:test';
import { makeRepo, runGit, tempDir, type Repo } from './git-fixture';

export const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'dvc-example-get-started');
const LEGACY = join(FIXTURE, 'legacy-chain-pr57');
const IMPORT_REF = 'refs/runlens/import';

export interface DvcExample {
  repo: Repo;
  /** the rebuilt sha of a fixture commit, by its original sha or any 7+ character prefix of it */
  sha(original: string): string;
}

interface CommitRow {
  sha: string;
  parents: string[];
  authorDate: string;
  committerDate: string;
  author: string;
  subject: string;
}

function readTsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const columns = header!.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((cell, i) => [columns[i], cell])));
}

function commitsOf(folder: string): CommitRow[] {
  return readTsv(join(folder, 'history.tsv')).map((row) => ({
    sha: row.sha!,
    parents: row.parents ? row.parents.split(' ') : [],
    authorDate: row.author_date!,
    committerDate: row.committer_date!,
    author: row.author!,
    subject: row.subject!,
  }));
}

/** `2024-05-27T10:12:21-07:00` → `1716830… -0700`, as fast-import wants a date. */
function gitDate(iso: string): string {
  const zone = /([+-])(\d\d):(\d\d)$/.exec(iso);
  return `${Math.floor(Date.parse(iso) / 1000)} ${zone ? `${zone[1]}${zone[2]}${zone[3]}` : '+0000'}`;
}

function person(name: string): string {
  return `${name} <${name.toLowerCase().replace(/[^a-z]+/g, '.')}@users.invalid>`;
}

function data(text: string | Buffer): string {
  const bytes = Buffer.from(text);
  return `data ${bytes.length}\n${bytes.toString('utf8')}\n`;
}

function filesOf(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

export function buildDvcExample(dir = tempDir('runlens-dvc-')): DvcExample {
  const repo = makeRepo(dir);
  const marks = new Map<string, number>();
  const stream: string[] = [];
  const importChain = (folder: string) => {
    for (const commit of commitsOf(folder)) {
      const mark = marks.size + 1;
      marks.set(commit.sha, mark);
      stream.push(`reset ${IMPORT_REF}\n`);
      stream.push(`commit ${IMPORT_REF}\nmark :${mark}\n`);
      stream.push(`author ${person(commit.author)} ${gitDate(commit.authorDate)}\n`);
      stream.push(`committer ${person(commit.author)} ${gitDate(commit.committerDate)}\n`);
      stream.push(data(commit.subject));
      const [first, ...others] = commit.parents;
      if (first) stream.push(`from :${marks.get(first)}\n`);
      for (const other of others) stream.push(`merge :${marks.get(other)}\n`);
      stream.push('deleteall\n');
      const files = join(folder, 'commits', commit.sha.slice(0, 7));
      for (const path of filesOf(files)) stream.push(`M 100644 inline ${path}\n`, data(readFileSync(join(files, path))));
      stream.push('\n');
    }
  };
  importChain(FIXTURE);
  importChain(LEGACY);
  for (const row of readTsv(join(FIXTURE, 'refs.tsv'))) {
    const mark = marks.get(row.target_commit!);
    if (mark === undefined) continue;
    const ref = row.ref!;
    if (row.object_type === 'tag') {
      stream.push(`tag ${ref.slice('refs/tags/'.length)}\nfrom :${mark}\ntagger ${row.tagger} ${gitDate(row.tagger_date!)}\n`, data(row.tag_message_subject! + '\n'));
    } else if (!ref.startsWith('refs/exps/')) {
      stream.push(`reset ${ref}\nfrom :${mark}\n\n`);
    }
  }
  const legacy = commitsOf(LEGACY);
  stream.push(`reset refs/heads/legacy-pr57\nfrom :${marks.get(legacy[legacy.length - 1]!.sha)}\n\n`);
  const marksFile = join(dir, '.git', 'runlens-marks');
  runGit(dir, ['fast-import', '--quiet', `--export-marks=${marksFile}`], { input: stream.join('') });
  runGit(dir, ['update-ref', '-d', IMPORT_REF]);
  runGit(dir, ['checkout', '--quiet', '-f', 'main']);
  const byMark = new Map(readFileSync(marksFile, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [mark, sha] = line.split(' ');
    return [Number(mark!.slice(1)), sha!] as const;
  }));
  const originals = [...marks.keys()];
  const sha = (original: string) => {
    const matches = originals.filter((known) => known.startsWith(original));
    if (matches.length !== 1) throw new Error(`no single fixture commit ${original}`);
    return byMark.get(marks.get(matches[0]!)!)!;
  };
  // An experiment ref names its baseline commit (`refs/exps/06/ea4898…/name`): renamed after the rebuilt one.
  for (const row of readTsv(join(FIXTURE, 'refs.tsv')).filter((r) => r.ref!.startsWith('refs/exps/'))) {
    const [, , first, rest, name] = row.ref!.split('/');
    const baseline = sha(first! + rest!);
    runGit(dir, ['update-ref', `refs/exps/${baseline.slice(0, 2)}/${baseline.slice(2)}/${name}`, sha(row.target_commit!)]);
  }
  return { repo, sha };
}

/** A fresh rebuild for one test, removed when the test ends. */
export function exampleRepo(t: TestContext): DvcExample {
  const example = buildDvcExample();
  t.after(() => rmSync(example.repo.dir, { recursive: true, force: true }));
  return example;
}
