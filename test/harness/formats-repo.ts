// A repository with a tracker of every git-backed and folder kind side by side, for the "every tracker in
// the repo" integration test: DVC's example-get-started rebuilt from test/fixtures (pipeline, params,
// `data/data.xml.dvc`, `refs/exps` experiments and GTO's annotated tags for `text-classification`),
// checked out at its branch `try-large-dataset`, whose first commit swaps the dataset for one four times
// the size, plus an untracked TensorBoard log folder written with the reader's own encoder.
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { encodeEventFile, type EventSpec } from '../../src/sources/tensorboard/encode';
import { buildDvcExample } from '../unit/helpers/dvc-repo';

const BASE_BRANCH = 'main';
const FEATURE_BRANCH = 'try-large-dataset';
/** Files whose commits are DVC runs: the params file, the metrics output folder and the lock file. */
const RUN_PATHS = ['params.yaml', 'eval', 'dvc.lock'];
const DATASET = 'data/data.xml';
const MODEL = 'text-classification';
const TB_STORE = 'runs';
const TB_RUN = 'exp1';
/** 2024-05-27T17:30:00Z, after the branch's last commit: when the TensorBoard run was logged. */
const TB_START = 1_716_831_000;
const TB_STEPS = 10;

export interface FormatsModelVersion {
  version: string;
  /** the rebuilt sha of the commit the version is registered at */
  commit: string;
  /** stages the version holds, from the fixture's tags (refs.tsv) */
  stages: string[];
}

export interface FormatsRepo {
  dir: string;
  baseBranch: string;
  dvc: {
    /** the Experiments view's experiment: the project folder's name */
    experiment: string;
    /** names of the runs on the branch (its commits and the working tree) and from the base branch */
    branchRuns: string[];
    baseRuns: string[];
  };
  /** the `.dvc` file's md5 on the branch and on the base branch */
  dataset: { path: string; digest: string; baseDigest: string };
  tensorboard: { store: string; run: string; metric: string; last: number };
  model: { name: string; versions: FormatsModelVersion[] };
}

/** Builds the repository in `dir` (which must not exist yet or be empty). */
export function createFormatsRepo(dir: string): FormatsRepo {
  const { repo, sha } = buildDvcExample(dir);
  repo.checkout(FEATURE_BRANCH);
  dateWorkingTree(dir, Number(repo.git('log', '-1', '--format=%ct')));
  // the reader names a commit's run "<7-digit sha> <subject>"
  const commitRuns = (range: string) =>
    repo.git('log', '--format=%H %s', range, '--', ...RUN_PATHS).split('\n').filter(Boolean).map((line) => line.slice(0, 7) + line.slice(40));
  const experiments = repo.git('for-each-ref', '--format=%(refname:lstrip=4)', 'refs/exps').split('\n');
  const tensorboard = writeTensorboardRun(dir);
  return {
    dir,
    baseBranch: BASE_BRANCH,
    dvc: {
      experiment: basename(dir),
      branchRuns: ['workspace', ...commitRuns(`${BASE_BRANCH}..HEAD`)],
      baseRuns: [...commitRuns(BASE_BRANCH), ...experiments],
    },
    dataset: {
      path: DATASET,
      digest: dvcFileDigest(repo.git('show', `HEAD:${DATASET}.dvc`)),
      baseDigest: dvcFileDigest(repo.git('show', `${BASE_BRANCH}:${DATASET}.dvc`)),
    },
    tensorboard,
    model: {
      name: MODEL,
      versions: [
        { version: 'v1.2.0', commit: sha('06ea489'), stages: ['dev'] },
        { version: 'v1.1.0', commit: sha('e4bc9b0'), stages: ['stage'] },
        { version: 'v1.0.0', commit: sha('0d46eb4'), stages: ['prod'] },
      ],
    },
  };
}

/**
 * Dates the checked-out files at HEAD's commit, as in a clone checked out long ago: the DVC reader takes a
 * working tree written in the last two minutes as an experiment still running.
 */
function dateWorkingTree(dir: string, seconds: number): void {
  const date = new Date(seconds * 1000);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !path.startsWith(join(dir, '.git'))) utimesSync(path, date, date);
  }
}

function dvcFileDigest(text: string): string {
  return (parse(text) as { outs: { md5: string }[] }).outs[0]!.md5;
}

/**
 * `runs/exp1/events.out.tfevents.<time>.<host>.<pid>.0` as torch's SummaryWriter names it: a falling loss
 * and hparams. Dated at its last event so the reader takes it as finished, not as still being written.
 */
function writeTensorboardRun(dir: string): FormatsRepo['tensorboard'] {
  const loss = (step: number) => Number((1 / (step + 1)).toFixed(4));
  const events: EventSpec[] = [
    { wallTime: TB_START, fileVersion: 'brain.Event:2' },
    { wallTime: TB_START, step: 0, values: [{ tag: '_hparams_/session_start_info', hparams: { lr: 0.001, batch_size: 32 } }] },
    ...Array.from({ length: TB_STEPS }, (_, step) => ({ wallTime: TB_START + 30 * (step + 1), step, values: [{ tag: 'train/loss', simpleValue: loss(step) }] })),
  ];
  const folder = join(dir, TB_STORE, TB_RUN);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `events.out.tfevents.${TB_START}.trainer.4242.0`);
  writeFileSync(file, encodeEventFile(events));
  const end = new Date(events.at(-1)!.wallTime * 1000);
  utimesSync(file, end, end);
  return { store: TB_STORE, run: TB_RUN, metric: 'train/loss', last: Math.fround(loss(TB_STEPS - 1)) };
}

