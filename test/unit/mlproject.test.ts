// MLflow Project files: the real Packt MLproject files parse to their entry points and typed parameters,
// commands render to argument arrays (values never split or read by a shell), and broken files become
// diagnostics, not throws.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderMLprojectCommand, splitCommandLine } from '../../src/core/launch';
import { findMLprojects } from '../../src/sources/mlproject/find';
import { parseMLproject } from '../../src/sources/mlproject/parse';
import { mutations } from './helpers/fuzz';

const FIXTURE = join(__dirname, '..', 'fixtures', 'mlproject-packt');
const read = (chapter: string) => readFileSync(join(FIXTURE, chapter, 'MLproject'), 'utf8');

test('the five Packt MLproject files: names, conda environment, entry points', () => {
  const expected: Record<string, [string, string[]]> = {
    chapter04: ['dl_model_chapter04', ['main', 'download_data', 'fine_tuning_model', 'register_model']],
    chapter05: ['dl-model-chapter05', ['main', 'download_data', 'fine_tuning_model', 'register_model']],
    chapter06: ['dl-model-chapter06', ['main', 'download_data']],
    chapter07: ['dl-model-chapter07', ['main', 'download_data', 'fine_tuning_model', 'register_model', 'inference_pipeline_model']],
    chapter08: ['dl-model-chapter08', ['main', 'download_data', 'fine_tuning_model', 'register_model', 'inference_pipeline_model']],
  };
  for (const [chapter, [name, entries]] of Object.entries(expected)) {
    const project = parseMLproject(read(chapter));
    assert.equal(project.name, name);
    assert.deepEqual(project.environment, { kind: 'conda_env', spec: 'conda.yaml' });
    assert.deepEqual(project.entryPoints.map((e) => e.name), entries, chapter);
    assert.deepEqual(project.problems, []);
  }
});

test('parameters: `type: str` is a string, defaults as written (YAML `None` is the text "None"), descriptions kept', () => {
  const chapter04 = parseMLproject(read('chapter04'));
  const download = chapter04.entryPoints.find((e) => e.name === 'download_data')!;
  assert.deepEqual(download.parameters, [
    { name: 'download_url', declaredType: 'str', type: 'string', default: 'https://pl-flash-data.s3.amazonaws.com/imdb.zip', description: 'a url to download the data for fine tuning a text sentiment classifier' },
    { name: 'local_folder', declaredType: 'str', type: 'string', default: './data', description: 'a local folder to store the downloaded data' },
    { name: 'pipeline_run_name', declaredType: 'str', type: 'string', default: 'chapter04', description: 'an mlflow run name' },
  ]);
  const register = parseMLproject(read('chapter08')).entryPoints.find((e) => e.name === 'register_model')!;
  assert.equal(register.parameters.find((p) => p.name === 'mlflow_run_id')!.default, 'None');
});

test('a command continued with a backslash inside double quotes is one line, and renders to words with the defaults', () => {
  const download = parseMLproject(read('chapter08')).entryPoints.find((e) => e.name === 'download_data')!;
  assert.equal(download.command, 'python pipeline/download_data.py --download_url {download_url} --local_folder {local_folder} --pipeline_run_name {pipeline_run_name}');
  const values = Object.fromEntries(download.parameters.map((p) => [p.name, p.default!]));
  assert.deepEqual(renderMLprojectCommand(download.command, values), [
    'python', 'pipeline/download_data.py', '--download_url', 'https://pl-flash-data.s3.amazonaws.com/imdb.zip', '--local_folder', './data', '--pipeline_run_name', 'chapter08',
  ]);
});

test('a value with spaces, quotes and shell syntax stays one argument, exactly', () => {
  const main = parseMLproject(read('chapter05')).entryPoints.find((e) => e.name === 'main')!;
  const hostile = `all; rm -rf ~ "$(id)" 'x' \`y\` {z}\nnext`;
  assert.deepEqual(renderMLprojectCommand(main.command, { pipeline_steps: hostile }), ['python', 'main.py', '--pipeline_steps', hostile]);
});

test('MLflow parameter forms: `name: type` (required), numbers, booleans, unknown types as strings', () => {
  const project = parseMLproject(`
name: p
python_env: python_env.yaml
entry_points:
  train:
    parameters:
      data: path
      lr: {type: float, default: 0.1}
      epochs: {type: int, default: 10}
      source: {type: uri, default: "s3://bucket/x"}
      flag: {type: bool, default: true}
      odd: {type: tensor, default: abc}
      none: {type: string, default: null}
    command: "python train.py {data} --lr={lr} --epochs {epochs} {{literal}}"
`);
  assert.deepEqual(project.environment, { kind: 'python_env', spec: 'python_env.yaml' });
  const [train] = project.entryPoints;
  assert.deepEqual(train!.parameters.map((p) => [p.name, p.type, p.default]), [
    ['data', 'path', undefined], ['lr', 'float', '0.1'], ['epochs', 'int', '10'], ['source', 'uri', 's3://bucket/x'],
    ['flag', 'bool', 'True'], ['odd', 'string', 'abc'], ['none', 'string', undefined],
  ]);
  assert.deepEqual(renderMLprojectCommand(train!.command, { data: 'a b', lr: '0.5', epochs: '3' }), ['python', 'train.py', 'a b', '--lr=0.5', '--epochs', '3', '{literal}']);
});

test('project files MLflow refuses throw, entry points without a command are reported', () => {
  assert.throws(() => parseMLproject('conda_env: a.yaml\ndocker_env: {image: x}\n'), /more than one environment: conda_env, docker_env/);
  assert.throws(() => parseMLproject('- a\n- b\n'), /not a mapping/);
  assert.throws(() => parseMLproject('entry_points: [a]\n'), /entry_points is not a mapping/);
  const project = parseMLproject('entry_points:\n  a: {parameters: {}}\n  b: {command: "python b.py"}\n');
  assert.deepEqual(project.entryPoints.map((e) => e.name), ['b']);
  assert.deepEqual(project.problems, ['entry point a: no command']);
});

test('splitting a command: quotes and backslashes as a shell removes them, nothing expanded', () => {
  assert.deepEqual(splitCommandLine(`python "a b" 'c "d"' e\\ f "g\\"h" i''j --x=\\$y`), ['python', 'a b', 'c "d"', 'e f', 'g"h', 'ij', '--x=$y']);
  assert.deepEqual(splitCommandLine('  python\ttrain.py \\\n --lr 1 '), ['python', 'train.py', '--lr', '1']);
  assert.deepEqual(splitCommandLine(`echo '$HOME' "a#b" c#d`), ['echo', '$HOME', 'a#b', 'c#d']);
});

test('commands only a shell can run are refused with the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['python a.py | tee log', /needs a shell to run \(\|\)/],
    ['python a.py && python b.py', /\(&\)/],
    ['python a.py > out.txt', /\(>\)/],
    ['python a.py --data $DATA', /\(\$\)/],
    ['python a.py --data "$DATA"', /\$ inside double quotes/],
    ['python $(which a)', /\(\$\)/],
    ['python `which a`', /\(`\)/],
    ['python a.py *.csv', /\(\*\)/],
    ['python ~/a.py', /~ at the start of a word/],
    ['python a.py # comment', /a comment/],
    ['CUDA_VISIBLE_DEVICES=0 python a.py', /VAR=value prefix/],
  ];
  for (const [command, reason] of cases) assert.throws(() => splitCommandLine(command), reason, command);
  assert.throws(() => splitCommandLine(`python 'a.py`), /unbalanced '/);
  assert.throws(() => splitCommandLine(`python "a.py`), /unbalanced "/);
});

test('placeholders: unknown names, format specs and single braces are refused as MLflow would fail on them', () => {
  assert.throws(() => renderMLprojectCommand('python a.py {nope}', {}), /\{nope\} names no parameter/);
  assert.throws(() => renderMLprojectCommand('python a.py {lr:.2f}', { lr: '1' }), /only plain \{name\} placeholders/);
  assert.throws(() => renderMLprojectCommand('python a.py {lr', { lr: '1' }), /single "\{"/);
  assert.throws(() => renderMLprojectCommand('python a.py }', {}), /single "\}"/);
});

test('finding projects: the five chapters, relative folders, none outside the depth', async () => {
  const { projects, diagnostics } = await findMLprojects(FIXTURE, 1);
  assert.deepEqual(projects.map((p) => p.relativeDir), ['chapter04', 'chapter05', 'chapter06', 'chapter07', 'chapter08']);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual((await findMLprojects(FIXTURE, 0)).projects, []);
});

test('fuzzed MLproject files never throw out of findMLprojects: each is a project or a diagnostic naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runlens-mlproject-'));
  try {
    const file = join(dir, 'MLproject');
    let reported = 0;
    let parsed = 0;
    for (const mutated of mutations(Buffer.from(read('chapter04')), 300, 5)) {
      writeFileSync(file, mutated);
      const { projects, diagnostics } = await findMLprojects(dir, 0);
      for (const d of diagnostics) assert.equal(d.file, file);
      if (diagnostics.some((d) => d.severity === 'error')) reported++;
      else parsed += projects.length;
    }
    assert.ok(reported > 30 && parsed > 30, `${reported} reported, ${parsed} parsed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a nested project in a subfolder is found; hidden and environment folders are not walked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runlens-mlproject-'));
  try {
    for (const sub of ['models/cnn', '.venv/lib', 'node_modules/x']) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, 'mlproject'), 'entry_points:\n  main: {command: "python main.py"}\n');
    }
    const { projects } = await findMLprojects(dir, 4);
    assert.deepEqual(projects.map((p) => p.relativeDir), ['models/cnn']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
