// Launching from the editor, without the editor: parameter typing and validation, the settings' schemas (and
// the README's examples against them), MLproject/DVC/deploy invocations, GTO promotion tags on the real
// get-started registry, launch-record linking, and the FolderService hook that applies it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKey } from '../../src/core/catalog';
import { appearedDuring, expandTemplate, initialValues, invalidValue, LAUNCH_GRACE_MS, launchOf, launchResult, linkRuns, problemsOf, type LaunchRecord, type ParamSpec } from '../../src/core/launch';
import { silentLogger } from '../../src/core/log';
import type { ModelVersion, Run } from '../../src/core/model';
import { deploySpecs, DOCKER_TARGET, modelValues, SERVE_TARGET } from '../../src/ide/tasks/deploy';
import { createTag, planPromotion, suggestedVersion, tagNames } from '../../src/ide/tasks/gto-promotion';
import { rerunStart } from '../../src/ide/tasks/rerun';
import { DeployTarget, parseEntries, TrainingCommand } from '../../src/ide/tasks/settings';
import { trackingEnv, trackingUri } from '../../src/ide/tasks/spec';
import { commandSpec, mlprojectSpecs, stageParams, trainingSpecs } from '../../src/ide/tasks/training';
import { FolderService } from '../../src/service/folder';
import { GtoStore } from '../../src/sources/gto/store';
import { MlflowFileStore } from '../../src/sources/mlflow-file/store';
import { findMLprojects } from '../../src/sources/mlproject/find';
import { parseYaml } from '../../src/sources/shared/values';
import { exampleRepo, FIXTURE as DVC_FIXTURE } from './helpers/dvc-repo';
import { makeRepo, tempDir } from './helpers/git-fixture';

const FIXTURES = join(__dirname, '..', 'fixtures');
const TRAIN_LOGGER = join(FIXTURES, 'train-logger', 'train.mjs');
const nothingExists = () => false;

/** A folder with stand-in `mlflow` and `dvc` executables, as a PATH. */
function fakeTools(): string {
  const dir = tempDir('runlens-tools-');
  for (const tool of ['mlflow', 'dvc']) {
    writeFileSync(join(dir, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

test('values are checked against their type, with the reason', () => {
  const param = (type: ParamSpec['type'], choices?: string[]): ParamSpec => ({ name: 'p', type, choices });
  assert.equal(invalidValue(param('int'), '32', nothingExists), undefined);
  assert.equal(invalidValue(param('int'), '3.5', nothingExists), 'must be a whole number, like 32');
  assert.equal(invalidValue(param('float'), '1e-4', nothingExists), undefined);
  assert.equal(invalidValue(param('float'), '.5', nothingExists), undefined);
  assert.equal(invalidValue(param('float'), '0.1.2', nothingExists), 'must be a number, like 0.01 or 1e-4');
  assert.equal(invalidValue(param('float'), 'NaN', nothingExists), 'must be a number, like 0.01 or 1e-4');
  assert.equal(invalidValue(param('bool'), 'True', nothingExists), undefined);
  assert.equal(invalidValue(param('bool'), 'yes', nothingExists), 'must be true or false');
  assert.equal(invalidValue(param('uri'), 's3://bucket/x', nothingExists), undefined);
  assert.match(invalidValue(param('uri'), 'data/x.csv', nothingExists)!, /must be a URI/);
  assert.equal(invalidValue(param('path'), 'data', (p) => p === 'data'), undefined);
  assert.equal(invalidValue(param('path'), 'gs://bucket/x', nothingExists), undefined, 'MLflow downloads a URI given for a path');
  assert.equal(invalidValue(param('path'), 'missing.csv', nothingExists), 'no such file or folder: missing.csv');
  assert.equal(invalidValue(param('string', ['adam', 'sgd']), 'rmsprop', nothingExists), 'must be one of adam, sgd');
  assert.equal(invalidValue(param('string'), 'a\0b', nothingExists), 'contains a NUL character, which no program argument can hold');
  assert.equal(invalidValue(param('string'), '', nothingExists), undefined);
  assert.equal(invalidValue(param('string'), 'a ${env:HOME}', nothingExists), 'contains "${", which VS Code\'s task system would replace with a variable');
  assert.equal(invalidValue(param('string'), '$HOME {x} $', nothingExists), undefined);
});

test('starting values: given ones (for known names only) before defaults; required parameters without a value are problems', () => {
  const params: ParamSpec[] = [{ name: 'lr', type: 'float', default: '0.1' }, { name: 'data', type: 'string' }, { name: 'epochs', type: 'int', default: '3' }];
  assert.deepEqual(initialValues(params, { lr: '0.5', unknown: 'x' }, { lr: '0.9', epochs: '7' }), { lr: '0.5', epochs: '7' });
  assert.deepEqual([...problemsOf(params, { lr: 'fast', epochs: '3' }, nothingExists)], [['lr', 'must be a number, like 0.01 or 1e-4'], ['data', 'needs a value (it has no default)']]);
});

test('templates: one pass (a value containing ${…} stays as it is), unknown names refused', () => {
  assert.equal(expandTemplate('--lr=${lr}/${lr}', { lr: '${lr}' }), '--lr=${lr}/${lr}');
  assert.throws(() => expandTemplate('${nope}', { lr: '1', missing: undefined }), /\$\{nope\} has no value here \(known: lr\)/);
});

test('runlens.training schema: a valid entry, and each kind of mistake named', () => {
  const ok = TrainingCommand.parse({ name: 'train', command: ['python', 'train.py', '--lr', '${lr}'], parameters: [{ name: 'lr', type: 'float', default: 0.01 }] });
  assert.deepEqual(ok.parameters, [{ name: 'lr', type: 'float', default: '0.01' }]);
  assert.deepEqual(ok.env, {});
  const problems = (entry: unknown) => parseEntries(TrainingCommand, [entry], 'runlens.training').problems;
  assert.match(problems({ name: 't', command: ['x', '${lr}'] })[0]!, /\$\{lr\} is not a parameter of this entry/);
  assert.match(problems({ name: 't', command: ['x'], parameters: [{ name: 'lr' }] })[0]!, /parameter lr is used by no argument/);
  assert.match(problems({ name: 't', command: ['x', '${lr}'], parameters: [{ name: 'lr', type: 'int', default: 0.5 }] })[0]!, /lr: "0.5" must be a whole number/);
  assert.match(problems({ name: 't', command: ['x', '${o}'], parameters: [{ name: 'o', choices: ['a', 'b'], default: 'c' }] })[0]!, /default "c" is not one of the choices/);
  assert.match(problems({ name: 't', command: ['x', '${a}'], parameters: [{ name: 'a' }, { name: 'a' }] })[0]!, /parameter a is declared twice/);
  assert.match(problems({ name: 't', command: [] })[0]!, /command/);
  assert.match(problems({ name: 't', command: ['x'], shell: true })[0]!, /shell/);
  assert.match(problems({ name: 't', command: ['x', '${workspaceFolder}/a'] }).join(''), /^$/);
  assert.deepEqual(parseEntries(TrainingCommand, 'python train.py', 'runlens.training').problems, ['runlens.training must be an array']);
});

test('the README examples (remote training included) are valid runlens.training and runlens.deployTargets settings', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  const training = blocks.flatMap((b) => (b['runlens.training'] as unknown[]) ?? []);
  const targets = blocks.flatMap((b) => (b['runlens.deployTargets'] as unknown[]) ?? []);
  const names = training.map((t) => (t as { name: string }).name);
  for (const remote of ['ray', 'slurm', 'k8s', 'sky']) assert.ok(names.some((n) => n.startsWith(`${remote}:`)), `${remote} example in ${names}`);
  assert.deepEqual(parseEntries(TrainingCommand, training, 'runlens.training').problems, []);
  assert.deepEqual(parseEntries(DeployTarget, targets, 'runlens.deployTargets').problems, []);
  assert.equal(targets.length, 2);
  assert.equal(readme.match(/```json/g)!.length, blocks.length, 'every json block parsed');
});

test('a configured command: ${workspaceFolder}, cwd and env filled, MLflow store and experiment in the environment', () => {
  const spec = commandSpec(TrainingCommand.parse({
    name: 'train', command: ['python', '${workspaceFolder}/train.py', '--lr', '${lr}'], cwd: 'runs/${lr}', env: { LR: '${lr}' },
    parameters: [{ name: 'lr', type: 'float', default: 0.1 }],
  }), { folder: '/w', store: { kind: 'mlflow-file', location: '/w/mlruns' } });
  assert.equal(spec.id, 'command::train');
  assert.deepEqual(spec.invocation({ lr: '0.5' }, { experiment: 'sweep' }), {
    process: 'python', args: ['/w/train.py', '--lr', '0.5'], cwd: '/w/runs/0.5',
    env: { MLFLOW_TRACKING_URI: 'file:///w/mlruns', MLFLOW_EXPERIMENT_NAME: 'sweep', LR: '0.5' },
  });
});

test('tracking URIs as MLflow reads them: file: URI of mlruns, sqlite:/// + absolute path (four slashes)', () => {
  assert.equal(trackingUri({ kind: 'mlflow-file', location: '/w/my runs/mlruns' }), 'file:///w/my%20runs/mlruns');
  assert.equal(trackingUri({ kind: 'mlflow-sqlite', location: '/w/mlflow.db' }), 'sqlite:////w/mlflow.db');
  assert.deepEqual(trackingEnv(undefined, {}), {});
});

test('MLproject entry points run through `mlflow run` when mlflow is on PATH, else directly', async () => {
  const { projects } = await findMLprojects(join(FIXTURES, 'mlproject-packt'), 1);
  const chapter08 = projects.find((p) => p.relativeDir === 'chapter08')!;
  const tools = fakeTools();
  const { specs } = await trainingSpecs({ folder: join(FIXTURES, 'mlproject-packt'), commands: [], dvcRoots: [], maxDepth: 1, path: tools });
  const viaMlflow = specs.find((s) => s.id === 'mlproject:chapter08:fine_tuning_model')!;
  assert.equal(specs.filter((s) => s.kind === 'mlproject').length, 4 + 4 + 2 + 5 + 5);
  const values = initialValues(viaMlflow.parameters, { data_path: 'my data' });
  assert.deepEqual(viaMlflow.invocation(values, {}), {
    process: join(tools, 'mlflow'),
    args: ['run', '.', '-e', 'fine_tuning_model', '-P', 'foundation_model=prajjwal1/bert-tiny', '-P', 'fine_tuning_strategy=freeze', '-P', 'data_path=my data'],
    cwd: chapter08.dir,
    env: {},
  });
  const [direct] = mlprojectSpecs(chapter08, {}, undefined).filter((s) => s.name === 'fine_tuning_model');
  assert.match(direct!.detail, /mlflow is not on PATH: runs the command directly, without the project's conda_env/);
  assert.deepEqual(direct!.invocation(values, {}).args, ['pipeline/fine_tuning_model.py', '--foundation_model', 'prajjwal1/bert-tiny', '--fine_tuning_strategy', 'freeze', '--data_path', 'my data']);
});

test('DVC: the get-started stages with their params, `dvc exp run -S` for changed values only, --queue, re-run of a DVC run', async () => {
  const root = tempDir('runlens-dvc-spec-');
  for (const file of ['dvc.yaml', 'params.yaml']) writeFileSync(join(root, file), readFileSync(join(DVC_FIXTURE, 'commits', '06ea489', file)));
  assert.deepEqual(Object.fromEntries(stageParams(parseYaml(readFileSync(join(root, 'dvc.yaml'), 'utf8')))), {
    prepare: ['prepare.seed', 'prepare.split'], featurize: ['featurize.max_features', 'featurize.ngrams'], train: ['train.min_split', 'train.n_est', 'train.seed'],
  });
  const tools = fakeTools();
  const { specs } = await trainingSpecs({ folder: root, commands: [], dvcRoots: [root], maxDepth: 0, path: tools });
  assert.deepEqual(specs.map((s) => s.id), ['dvc:.:*', 'dvc:.:prepare', 'dvc:.:featurize', 'dvc:.:train', 'dvc:.:evaluate']);
  const train = specs.find((s) => s.name === 'train')!;
  assert.deepEqual(train.parameters, [
    { name: 'train.seed', type: 'int', default: '20170428' }, { name: 'train.n_est', type: 'int', default: '50' }, { name: 'train.min_split', type: 'float', default: '0.01' },
  ]);
  assert.deepEqual(train.invocation({ 'train.seed': '20170428', 'train.n_est': '100', 'train.min_split': '0.01' }, { queue: true }).args, ['exp', 'run', '--queue', '-S', 'train.n_est=100', 'train']);
  const all = specs.find((s) => s.name === '*')!;
  assert.equal(all.parameters.length, 7);
  assert.deepEqual(all.invocation(initialValues(all.parameters, { 'prepare.split': '0.3' }), {}).args, ['exp', 'run', '-S', 'prepare.split=0.3']);
  const experiment = run({ id: 'exp', source: 'dvc', store: join(root, '.dvc'), path: root, params: { 'train.n_est': '100', 'prepare.split': '0.2', unrelated: 'x' } });
  const rerun = rerunStart({ ...experiment, key: runKey(experiment) }, specs, [], Date.now())!;
  assert.equal(rerun.spec.id, 'dvc:.:*');
  assert.deepEqual(all.invocation(rerun.values, {}).args, ['exp', 'run', '-S', 'train.n_est=100'], 'a DVC run re-runs with its own params');
  const noDvc = (await trainingSpecs({ folder: root, commands: [], dvcRoots: [root], maxDepth: 0, path: '' })).specs[0]!;
  assert.throws(() => noDvc.invocation({}, {}), /dvc is not on PATH/);
});

test('deploy: model values of MLflow and GTO versions, MLflow built-in targets only with mlflow on PATH', () => {
  const mlflow: ModelVersion = { model: 'churn', version: '3', stages: ['Production'], aliases: [], run: 'abc', sourceUri: 'file:///w/mlruns/1/abc/artifacts/model', source: 'mlflow-file', store: '/w/mlruns' };
  assert.deepEqual(modelValues(mlflow, { git: { commit: 'c0ffee' } }), {
    'model.name': 'churn', 'model.version': '3', 'model.uri': 'models:/churn/3', 'model.path': '/w/mlruns/1/abc/artifacts/model', 'run.id': 'abc', 'git.commit': 'c0ffee',
  });
  const gto: ModelVersion = { model: 'text-classification', version: 'v1.2.0', stages: ['dev'], aliases: [], sourceUri: 'model.pkl', commit: '06ea489', source: 'gto', store: '/repo/.git' };
  assert.equal(modelValues(gto, undefined)['model.path'], '/repo/model.pkl');
  assert.equal(modelValues(gto, undefined)['git.commit'], '06ea489');
  const tools = fakeTools();
  const specs = deploySpecs(mlflow, undefined, { folder: '/w', targets: [], store: { kind: 'mlflow-file', location: '/w/mlruns' }, path: tools });
  assert.deepEqual(specs.map((s) => s.name), [SERVE_TARGET, DOCKER_TARGET]);
  assert.deepEqual(specs[0]!.invocation(initialValues(specs[0]!.parameters), {}), {
    process: join(tools, 'mlflow'), args: ['models', 'serve', '-m', 'models:/churn/3', '-p', '5000'], cwd: '/w', env: { MLFLOW_TRACKING_URI: 'file:///w/mlruns' },
  });
  assert.equal(specs[1]!.parameters[0]!.default, 'churn:3');
  assert.deepEqual(deploySpecs(gto, undefined, { folder: '/w', targets: [], path: tools }), []);
  assert.deepEqual(deploySpecs(mlflow, undefined, { folder: '/w', targets: [], path: '' }), []);
  const needsRun = deploySpecs(gto, undefined, { folder: '/w', targets: [DeployTarget.parse({ name: 'x', args: ['echo', '${run.id}'] })], path: '' })[0]!;
  assert.throws(() => needsRun.invocation({}, {}), /\$\{run\.id\} has no value here/);
});

test('GTO promotion on the get-started registry: next #N across all stages, GTO messages, tags created as GTO creates them', async (t) => {
  const { repo } = exampleRepo(t);
  const store = new GtoStore(join(repo.dir, '.git'), repo.dir);
  const versions = (await store.scan()).models.filter((v) => v.model === 'text-classification');
  const v120 = versions.find((v) => v.version === 'v1.2.0')!;
  const tags = await tagNames(v120);
  // The fixture's own tags carry GTO's messages: ours are the same sentences.
  const refs = readFileSync(join(DVC_FIXTURE, 'refs.tsv'), 'utf8');
  assert.match(refs, /text-classification#dev#3\t.*\tAssigning stage dev to artifact text-classification version v1\.2\.0\n/);
  const plan = planPromotion(v120, { action: 'assign', stage: 'prod' }, tags);
  assert.deepEqual(plan, { tag: 'text-classification#prod#4', message: 'Assigning stage prod to artifact text-classification version v1.2.0', commit: v120.commit });
  assert.throws(() => planPromotion(v120, { action: 'assign', stage: 'dev' }, tags), /already in stage dev/);
  assert.throws(() => planPromotion(v120, { action: 'assign', stage: 'Prod!' }, tags), /stage "Prod!" is not valid for GTO/);
  assert.throws(() => planPromotion(v120, { action: 'register', version: 'v1.3.0' }, tags), /registered already/);
  assert.equal(suggestedVersion(tags, 'text-classification'), 'v1.2.1');
  assert.equal(suggestedVersion(tags, 'new-model'), 'v0.0.1');

  await createTag(v120, plan);
  assert.equal(repo.git('cat-file', '-t', plan.tag), 'tag', 'annotated');
  assert.equal(repo.git('tag', '-l', '--format=%(contents:subject)', plan.tag), plan.message);
  assert.equal(repo.git('rev-parse', `${plan.tag}^{commit}`), v120.commit);
  const after = (await store.scan()).models.find((v) => v.model === 'text-classification' && v.version === 'v1.2.0')!;
  assert.deepEqual(after.stages, ['dev', 'prod']);
  await assert.rejects(createTag(v120, plan), /exists already/);

  const unregistered: ModelVersion = { ...v120, version: repo.git('rev-parse', 'HEAD~1'), status: 'unregistered', stages: [], commit: repo.git('rev-parse', 'HEAD~1') };
  const register = planPromotion(unregistered, { action: 'register', version: '1.3.0' }, await tagNames(v120));
  assert.deepEqual(register, { tag: 'text-classification@v1.3.0', message: 'Registering artifact text-classification version v1.3.0', commit: unregistered.commit });
  assert.throws(() => planPromotion(unregistered, { action: 'register', version: '1.1.0' }, tags), /v1\.1\.0 is registered already/);
  assert.throws(() => planPromotion({ ...v120, source: 'mlflow-file' }, { action: 'assign', stage: 'prod' }, tags), /not a GTO artifact/);
});

function record(overrides: Partial<LaunchRecord> = {}): LaunchRecord {
  return { id: 'l1', folder: '/w', kind: 'command', spec: 'command::train', label: 'train', command: ['node', 'train.mjs'], params: { lr: '0.5' }, cwd: '/w', commit: 'a'.repeat(40), branch: 'feature', dirty: false, startTime: 1_000_000, endTime: 1_060_000, runs: [], ...overrides };
}

function run(overrides: Partial<Run> = {}): Run {
  return { id: 'r', name: 'r', experiment: 'e', experimentId: 'e', status: 'FINISHED', params: {}, tags: {}, metrics: {}, git: {}, source: 'lightning', store: '/w/lightning_logs', path: '/w/lightning_logs/version_0', deleted: false, ...overrides };
}

test('launch records: which launch a run belongs to', () => {
  const launch = record();
  const now = 2_000_000;
  assert.equal(launchOf(run({ startTime: 1_030_000 }), 'k', [launch], now), launch, 'started during the launch, under its folder');
  assert.equal(launchOf(run({ startTime: 1_060_000 + LAUNCH_GRACE_MS }), 'k', [launch], now), launch, 'at the end of the grace period');
  assert.equal(launchOf(run({ startTime: 1_060_001 + LAUNCH_GRACE_MS }), 'k', [launch], now), undefined, 'after it');
  assert.equal(launchOf(run({ startTime: 999_999 }), 'k', [launch], now), undefined, 'before it');
  assert.equal(launchOf(run({ startTime: 1_030_000, path: '/elsewhere/run' }), 'k', [launch], now), undefined, 'outside its folder');
  assert.equal(launchOf(run({ startTime: 1_030_000, path: '/db/mlflow.db', store: '/db/mlflow.db' }), 'k', [{ ...launch, trackingStore: '/db/mlflow.db' }], now)?.id, 'l1', 'in the store it wrote to');
  assert.equal(launchOf(run(), 'k', [launch], now), undefined, 'no start time and not seen appearing');
  assert.equal(launchOf(run(), 'k', [{ ...launch, runs: ['k'] }], now)?.id, 'l1', 'seen appearing');
  const later = record({ id: 'l2', startTime: 1_020_000 });
  assert.equal(launchOf(run({ startTime: 1_030_000 }), 'k', [launch, later], now), later, 'the latest launch that spans it');
  assert.equal(launchOf(run({ startTime: 1_500_000 }), 'k', [record({ endTime: undefined })], 1_600_000)?.id, 'l1', 'a launch still running spans until now');
});

test('a run appearing is claimed only where and while the launch writes', () => {
  const launch = record();
  assert.ok(appearedDuring(run(), launch, 1_050_000));
  assert.ok(appearedDuring(run(), launch, 1_060_000 + LAUNCH_GRACE_MS));
  assert.ok(!appearedDuring(run(), launch, 1_060_001 + LAUNCH_GRACE_MS));
  assert.ok(!appearedDuring(run({ path: '/other/x' }), launch, 1_050_000));
  assert.ok(!appearedDuring(run({ startTime: 500_000 }), launch, 1_050_000), 'an old run that only now became readable');
});

test('linking fills the commit of runs without one and leaves the others alone', () => {
  const runs = [run({ id: 'a' }), run({ id: 'b', git: { commit: 'b'.repeat(40) } }), run({ id: 'c' })];
  const linked = linkRuns(runs, [record({ runs: [runKey(runs[0]!), runKey(runs[1]!)] })], runKey, 2_000_000);
  assert.deepEqual(linked.map((r) => r.git), [{ commit: 'a'.repeat(40), branch: 'feature', dirty: false }, { commit: 'b'.repeat(40) }, {}]);
});

test('what a launch produced: its newest run, and the best earlier run of the experiment by the primary metric', () => {
  const metric = (value: number) => ({ val_accuracy: { key: 'val_accuracy', last: value, step: 2, min: 0, max: value, count: 3 } });
  const runs = [
    run({ id: 'old-good', metrics: metric(0.95) }),
    run({ id: 'old-bad', metrics: metric(0.5) }),
    run({ id: 'other-experiment', experimentId: 'x', metrics: metric(0.99) }),
    run({ id: 'new-1', metrics: metric(0.9) }),
    run({ id: 'new-2', metrics: metric(0.7) }),
  ].map((r) => ({ ...r, key: runKey(r) }));
  const launch = record({ runs: [runs[3]!.key, runs[4]!.key] });
  const result = launchResult(launch, runs, () => 'val_accuracy', 2_000_000);
  assert.equal(result.run?.id, 'new-2');
  assert.equal(result.best?.id, 'old-good');
  assert.deepEqual(launchResult(record(), runs, () => 'val_accuracy', 2_000_000), { run: undefined });
});

test('re-run: from the launch that made a run, or from an `mlflow run` entry point tag (real packt run)', async () => {
  const mlruns = join(FIXTURES, 'mlflow-file-packt-1x', 'mlruns');
  const packtRuns = (await new MlflowFileStore(mlruns).scan()).runs;
  const fineTuning = packtRuns.find((r) => r.tags['mlflow.project.entryPoint'] === 'fine_tuning_model')!;
  assert.equal(fineTuning.tags['mlflow.source.name'], 'file:///Users/yongliu/opensource_code/Practical-Deep-Learning-at-Scale-with-MLFlow#chapter08');
  const { specs } = await trainingSpecs({ folder: join(FIXTURES, 'mlproject-packt'), commands: [TrainingCommand.parse({ name: 'train', command: ['x', '${lr}'], parameters: [{ name: 'lr', default: '1' }] })], dvcRoots: [], maxDepth: 1, path: '' });
  const start = rerunStart({ ...fineTuning, key: runKey(fineTuning) }, specs, [], Date.now())!;
  assert.equal(start.spec.id, 'mlproject:chapter08:fine_tuning_model');
  assert.deepEqual(start.values, { foundation_model: fineTuning.params.foundation_model, fine_tuning_strategy: fineTuning.params.fine_tuning_strategy, data_path: fineTuning.params.data_path });
  assert.equal(Object.keys(fineTuning.params).length, 24, 'autologged params that are not parameters are left out');

  const launched = run({ id: 'v0', params: { lr: '0.3' } });
  const fromLaunch = rerunStart({ ...launched, key: runKey(launched) }, specs, [record({ runs: [runKey(launched)], params: { lr: '0.7' } })], 2_000_000)!;
  assert.deepEqual([fromLaunch.spec.id, fromLaunch.values], ['command::train', { lr: '0.7' }]);
  assert.equal(rerunStart({ ...launched, key: runKey(launched) }, specs, [], 2_000_000), undefined);
});

test('FolderService applies launch records: a Lightning run (no commit of its own) made by a launch is linked to its commit', async () => {
  const repo = makeRepo(tempDir('runlens-launch-'));
  const head = repo.commit('train script', { 'train.mjs': readFileSync(TRAIN_LOGGER, 'utf8'), '.gitignore': 'lightning_logs/\n' });
  execFileSync(process.execPath, ['train.mjs', '--lr', '0.1'], { cwd: repo.dir });
  const service = new FolderService(repo.dir, { maxDepth: 4, includeDeleted: false }, silentLogger);
  const [unlinked] = (await service.refresh({ rediscover: true, git: true, changed: 'all' })).runs;
  assert.equal(unlinked?.name, 'version_0');
  assert.deepEqual([unlinked!.git, unlinked!.scope], [{}, 'unlinked']);
  assert.deepEqual(unlinked!.params, { lr: '0.1', epochs: '3' });

  const refresh = () => service.refresh({ rediscover: false, git: false, changed: new Set() });
  service.setLaunchRecords([record({ folder: repo.dir, cwd: repo.dir, commit: head, branch: 'main', runs: ['someone-else'] })]);
  assert.deepEqual((await refresh()).runs[0]!.git, {}, 'a record that did not see the run leaves it alone');
  service.setLaunchRecords([record({ folder: repo.dir, cwd: repo.dir, commit: head, branch: 'main', runs: [unlinked!.key] })]);
  const [linked] = (await refresh()).runs;
  assert.deepEqual(linked!.git, { commit: head, branch: 'main', dirty: false });
  assert.equal(linked!.scope, 'branch');
  service.dispose();
});

test('package.json: the task type, trusted-only commands, and the settings that name commands restricted', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const { contributes, capabilities } = manifest;
  const definition = contributes.taskDefinitions.find((d: { type: string }) => d.type === 'runlens');
  assert.deepEqual(definition.required, ['kind', 'name']);
  assert.deepEqual(definition.properties.kind.enum.sort(), ['command', 'deploy', 'dvc', 'mlproject']);
  assert.deepEqual(capabilities.untrustedWorkspaces.restrictedConfigurations, ['runlens.training', 'runlens.deployTargets']);
  const launching = ['runlens.train', 'runlens.rerunWithChanges', 'runlens.deployModelVersion', 'runlens.promoteModelVersion'];
  for (const command of launching) assert.ok(contributes.commands.some((c: { command: string }) => c.command === command), command);
  const entries = Object.values(contributes.menus).flat() as { command: string; when?: string }[];
  const mine = entries.filter((entry) => launching.includes(entry.command));
  assert.ok(mine.length >= 7, `${mine.length} menu entries`);
  for (const entry of mine) assert.match(entry.when ?? '', /\bisWorkspaceTrusted\b/, `${entry.command} is shown in a restricted workspace`);
  for (const setting of ['runlens.training', 'runlens.deployTargets']) assert.equal(contributes.configuration.properties[setting].scope, 'resource');
});
