// The runlens command on real stores in real git repositories: what CI will run.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { z } from 'zod';
import { ScanReport } from '../../src/core/catalog';
import { ModelVersion } from '../../src/core/model';
import { CheckReport } from '../../src/core/check';
import { Comparison } from '../../src/core/compare';
import { BranchDiff } from '../../src/core/diff';
import { main } from '../../src/cli/main';
import { RunsReport } from '../../src/cli/commands/runs';
import { createDemoRepo, type DemoRepo } from '../harness/demo-repo';
import { buildDvcExample } from './helpers/dvc-repo';
import { cloneRepo, runGit } from './helpers/git-fixture';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, '..', 'fixtures');
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (t) => void (out += t), (t) => void (err += t));
  return { code, out, err };
}

function golden(name: string, actual: string): void {
  const file = join(__dirname, 'golden', name);
  if (UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden ${name} (UPDATE_GOLDEN=1 to accept a change)`);
}

let demo: DemoRepo;
const SQLITE_BRANCH_EXPERIMENT = 'random-forest-best-models';

before(async () => {
  demo = await createDemoRepo(join(mkdtempSync(join(tmpdir(), 'runlens-cli-')), 'mnist'));
  // A second store, MLflow's SQLite backend, whose runs are re-tagged onto this repository's commits:
  // one experiment's runs on the feature branch's head, the others on main's first commit.
  const db = join(demo.dir, 'mlflow.db');
  cpSync(join(FIXTURES, 'mlflow-sqlite-2.12-abrego-zoomcamp', 'mlflow.db'), db);
  const feature = demo.commits[demo.featureBranch]!.at(-1)!;
  const main0 = demo.commits[demo.baseBranch]![0]!;
  execFileSync('sqlite3', [db, `UPDATE tags SET value = CASE WHEN run_uuid IN (SELECT run_uuid FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id WHERE e.name = '${SQLITE_BRANCH_EXPERIMENT}') THEN '${feature}' ELSE '${main0}' END WHERE key = 'mlflow.source.git.commit'`]);
});

test('scan --json on a store outside git: every run, unlinked, in the documented shape', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'runlens-nogit-'));
  cpSync(join(FIXTURES, 'mlflow-file-country-guess'), folder, { recursive: true });
  const { code, out } = await cli('scan', folder, '--json');
  assert.equal(code, 0);
  const report = ScanReport.parse(JSON.parse(out));
  const metaFiles = execFileSync('find', [join(folder, 'mlruns'), '-mindepth', '3', '-maxdepth', '3', '-name', 'meta.yaml', '-not', '-path', '*/.trash/*', '-not', '-path', '*/models/*'], { encoding: 'utf8' }).trim().split('\n');
  const deleted = metaFiles.filter((f) => /lifecycle_stage: deleted/.test(readFileSync(f, 'utf8'))).length;
  assert.equal(report.runs.length, metaFiles.length - deleted, 'every active run of the store');
  assert.ok(report.runs.every((r) => r.scope === 'unlinked'));
  const run = report.runs.find((r) => Object.keys(r.metrics).length > 0)!;
  assert.ok(run.id && run.name && run.experiment && run.status && run.source === 'mlflow-file' && run.path.startsWith(folder));
  assert.equal(typeof Object.values(run.metrics)[0]!.last, 'number');
  const versions = execFileSync('find', [join(folder, 'mlruns', 'models', 'triplet_model'), '-name', 'meta.yaml', '-path', '*/version-*'], { encoding: 'utf8' }).trim().split('\n');
  const live = versions.filter((f) => !/current_stage: Deleted_Internal/.test(readFileSync(f, 'utf8')));
  assert.ok(live.length > 0 && live.length < versions.length, 'the fixture has live and deleted versions');
  assert.equal(report.models.filter((m) => m.model === 'triplet_model').length, live.length, 'versions MLflow deleted are hidden');
  assert.deepEqual(report.models.find((m) => m.aliases.includes('champion') && m.model === 'triplet_model')?.stages, []);
});

test('scan on the demo repo: runs placed by branch across the file and SQLite stores', async () => {
  const { code, out } = await cli('scan', demo.dir, '--json');
  assert.equal(code, 0);
  const report = ScanReport.parse(JSON.parse(out));
  const scopeOf = (name: string) => report.runs.find((r) => r.name === name)?.scope;
  for (const run of demo.runs) {
    const expected = !run.commit ? 'unlinked' : run.branch === demo.featureBranch ? 'branch' : 'base';
    assert.equal(scopeOf(run.name), expected, run.name);
  }
  const sqlite = report.runs.filter((r) => r.source === 'mlflow-sqlite');
  assert.equal(sqlite.length, 21);
  assert.equal(sqlite.filter((r) => r.scope === 'branch').length, sqlite.filter((r) => r.experiment === SQLITE_BRANCH_EXPERIMENT).length);
  assert.deepEqual(
    report.models.filter((m) => m.model === demo.model.name).map((m) => [m.version, m.stages, m.aliases]).sort(),
    [['1', ['Production'], []], ['2', [], ['champion']]],
  );
  const models = z.array(ModelVersion).parse(JSON.parse((await cli('models', demo.dir, '--json')).out));
  assert.deepEqual(models, report.models, 'models lists what scan lists');
  const datasets = await cli('datasets', demo.dir, '--markdown');
  assert.equal(datasets.out.split('\n').filter((l) => l.startsWith('| ')).length, 1 + report.datasets.length, 'a header and a row per dataset');
  const table = await cli('scan', demo.dir);
  assert.match(table.out, /This branch \(\d+\)[\s\S]*wider-512/);
  assert.match(table.out, /From main/);
});

test('runs --branch main scopes for main while the feature branch is checked out', async () => {
  const { code, out } = await cli('runs', demo.dir, '--branch', 'main', '--json');
  assert.equal(code, 0);
  const report = RunsReport.parse(JSON.parse(out));
  assert.equal(report.branch, 'main');
  const names = report.runs.filter((r) => r.source === 'mlflow-file').map((r) => r.name);
  assert.ok(!names.includes('wider-512'), 'feature runs are another branch for main');
  assert.ok(names.includes('dropout-0.2') && names.includes('baseline-lr0.1'));
  const starts = report.runs.map((r) => r.startTime ?? 0);
  assert.deepEqual(starts, [...starts].sort((a, b) => b - a), 'newest first');
  const md = await cli('runs', demo.dir, '--markdown', '--metric', 'val/accuracy');
  assert.match(md.out, /^\| run \| experiment \| status \| commit \| val\/accuracy \|/);
});

test('compare: params diff and deltas against the first run', async () => {
  const { code, out } = await cli('compare', 'dropout-0.2', 'wider-512', '--folder', demo.dir, '--json');
  assert.equal(code, 0);
  const cmp = Comparison.parse(JSON.parse(out));
  assert.deepEqual(cmp.params.filter((p) => p.differs).map((p) => [p.key, p.values]), [['hidden_units', ['128', '512']]]);
  const accuracy = cmp.metrics.find((m) => m.key === 'val/accuracy')!;
  const [dropout, wider] = ['dropout-0.2', 'wider-512'].map((n) => demo.runs.find((r) => r.name === n)!.metrics['val/accuracy']!);
  assert.ok(Math.abs(accuracy.cells[1]!.delta! - (wider! - dropout!)) < 1e-12);
  assert.equal(accuracy.cells[1]!.verdict, wider! > dropout! ? 'better' : 'worse');
  const missing = await cli('compare', 'dropout-0.2', 'no-such-run', '--folder', demo.dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no run "no-such-run"/);
});

test('diff --markdown: the PR comment, stable and golden', async () => {
  const { code, out } = await cli('diff', 'main', '--folder', demo.dir, '--metric', 'val/accuracy', '--metric', 'val/loss', '--markdown');
  assert.equal(code, 0);
  golden('diff.md', out);
  const again = await cli('diff', 'main', '--folder', demo.dir, '--metric', 'val/accuracy', '--metric', 'val/loss', '--markdown');
  assert.equal(again.out, out, 'same input, same bytes');
  const json = BranchDiff.parse(JSON.parse((await cli('diff', '--folder', demo.dir, '--metric', 'val/accuracy', '--json')).out));
  assert.equal(json.base.ref, 'main');
  assert.equal(json.headRun?.name, 'wider-512');
  assert.equal(json.baseRun?.name, 'dropout-0.2');
  assert.deepEqual(json.models.filter((m) => m.model === demo.model.name).map((m) => m.version), ['2'], 'version 2 was trained on this branch');
});

test('check: exit 0 when the gates hold, 1 when one does not, 2 for missing data and usage errors', async () => {
  const pass = await cli('check', demo.dir, '--metric', 'val/accuracy', '--max-drop', '0.001', '--metric', 'val/loss', '--max-drop', '5%');
  assert.equal(pass.code, 0, pass.out + pass.err);
  assert.match(pass.out, /All gates hold/);
  const fail = await cli('check', demo.dir, '--metric', 'val/accuracy', '--min', '0.99', '--json');
  assert.equal(fail.code, 1);
  const report = CheckReport.parse(JSON.parse(fail.out));
  assert.equal(report.results[0]!.status, 'fail');
  assert.match(report.results[0]!.message, /below the minimum 0\.99/);
  const missing = await cli('check', demo.dir, '--metric', 'val/f1', '--min', '0.5');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /val\/f1: no run on the branch has this metric/);
  for (const args of [['--min', '1'], ['--metric', 'val/loss'], ['--metric', 'val/loss', '--max-drop', 'lots']]) {
    const usage = await cli('check', demo.dir, ...args);
    assert.equal(usage.code, 2, args.join(' '));
    assert.match(usage.err, /Usage: runlens check/);
  }
});

test('a depth-1 clone: diff and check say what needs history, and judge the commits the clone has', async () => {
  const clone = cloneRepo(`file://${demo.dir}`, join(mkdtempSync(join(tmpdir(), 'runlens-shallow-')), 'clone'), '--depth', '1', '--no-single-branch');
  cpSync(join(demo.dir, 'mlruns'), join(clone.dir, 'mlruns'), { recursive: true });
  runGit(clone.dir, ['checkout', '-q', demo.featureBranch]);
  const { code, out } = await cli('diff', 'origin/main', '--folder', clone.dir, '--metric', 'val/accuracy');
  assert.equal(code, 0);
  assert.match(out, /shallow clone/);
  assert.match(out, /fetch-depth: 0/);
  assert.match(out, /wider-512-wd1e-4 .* of 1 on `?feature\/wider-model/, 'only the run on the one commit the clone has');
  const gate = await cli('check', clone.dir, '--base', 'origin/main', '--metric', 'val/accuracy', '--min', '0.5');
  assert.equal(gate.code, 0, gate.err);
  assert.match(gate.err, /shallow clone/);
  const drop = await cli('check', clone.dir, '--base', 'origin/main', '--metric', 'val/accuracy', '--max-drop', '0.01');
  assert.equal(drop.code, 1, 'the still-running run on HEAD is behind the base tip');
  assert.match(drop.out, /FAIL.*val\/accuracy/);
});

test('DVC metrics committed per commit: diff and check a branch that changes them', async () => {
  const { repo } = buildDvcExample();
  repo.checkout('legacy-pr57');
  repo.branch('feature/fewer-features');
  repo.checkout('feature/fewer-features');
  const metrics = JSON.parse(readFileSync(join(repo.dir, 'eval', 'live', 'metrics.json'), 'utf8'));
  metrics.avg_prec.test = 0.91;
  metrics.roc_auc.test = 0.95;
  repo.commit('Fewer features', { 'eval/live/metrics.json': JSON.stringify(metrics, null, 4) });
  const diff = BranchDiff.parse(JSON.parse((await cli('diff', 'legacy-pr57', '--folder', repo.dir, '--metric', 'avg_prec.test', '--metric', 'roc_auc.test', '--json')).out));
  assert.equal(diff.headRun?.source, 'dvc');
  assert.equal(diff.headRun?.metrics['avg_prec.test']?.last, 0.91);
  assert.equal(diff.baseRun?.metrics['avg_prec.test']?.last, 0.9249974999612706, 'the best legacy commit');
  const [precision, auc] = diff.comparison!.metrics;
  assert.deepEqual([precision!.key, precision!.cells[1]!.verdict, auc!.key, auc!.cells[1]!.verdict], ['avg_prec.test', 'worse', 'roc_auc.test', 'better']);
  const strict = await cli('check', repo.dir, '--base', 'legacy-pr57', '--metric', 'avg_prec.test', '--max-drop', '0.001');
  assert.equal(strict.code, 1);
  assert.match(strict.out, /worse by 0\.0149975/);
  const lenient = await cli('check', repo.dir, '--base', 'legacy-pr57', '--metric', 'avg_prec.test', '--max-drop', '2%');
  assert.equal(lenient.code, 0, lenient.out);
});

test('the bundled bin: --help exits 0, an unknown command exits 2', () => {
  const bin = join(ROOT, 'dist', 'cli.js');
  assert.ok(existsSync(bin), 'run npm run build first');
  assert.match(readFileSync(bin, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env node/);
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  for (const command of ['scan', 'runs', 'compare', 'diff', 'check']) assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
  const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command "frobnicate"/);
});
