// GTO on the real tags of iterative/example-get-started (rebuilt by helpers/dvc-repo.ts), then on tags added
// with later dates to exercise supersede, unassign, deregister, old-style stage tags and deprecation; the tag
// helpers for "Promote"; and fuzzed tag names.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { emptyScan, ScanResult, type ModelVersion } from '../../src/core/model';
import { gtoProvider } from '../../src/sources/gto';
import { registryState, type TagRecord } from '../../src/sources/gto/registry';
import { modelVersions } from '../../src/sources/gto/store';
import { compareVersions, nextStageTag, parseTagName, registerTag } from '../../src/sources/gto/tags';
import { exampleRepo, FIXTURE } from './helpers/dvc-repo';
import { mutations } from './helpers/fuzz';
import { makeRepo, runGit, tempDir } from './helpers/git-fixture';

const MODEL = 'text-classification';
/** 2024-05-18, a week after the fixture's GTO tags (2024-05-10). */
const LATER = 1_716_000_000;

async function models(dir: string): Promise<ModelVersion[]> {
  const result = await gtoProvider.open(join(dir, '.git')).scan();
  ScanResult.parse(result);
  return result.models;
}

/** `{version: stages}` of the model, as `gto show text-classification` would list them. */
function stagesOf(found: readonly ModelVersion[]): Record<string, string[]> {
  return Object.fromEntries(found.filter((m) => m.model === MODEL).map((m) => [m.version, m.stages]));
}

test('the fixture tags: latest v1.2.0; prod on v1.0.0, stage on v1.1.0, dev on v1.2.0', async (t) => {
  const example = exampleRepo(t);
  const found = await models(example.repo.dir);
  // refs.tsv: v1.0.0 and #prod#1 tag 0d46eb4, v1.1.0 and #stage#2 tag e4bc9b0, v1.2.0 and #dev#3 tag 06ea489.
  // Each stage was assigned once, to the version registered at the same commit; nothing was unassigned.
  assert.deepEqual(stagesOf(found), { 'v1.2.0': ['dev'], 'v1.1.0': ['stage'], 'v1.0.0': ['prod'] });
  const latest = found.filter((m) => m.aliases.includes('latest'));
  assert.deepEqual(latest.map((m) => [m.model, m.version]), [[MODEL, 'v1.2.0']]);
  const v100 = found.find((m) => m.version === 'v1.0.0')!;
  assert.equal(v100.commit, example.sha('0d46eb4'));
  assert.equal(v100.createdAt, Date.parse('2024-05-10T20:23:32Z'));
  assert.equal(v100.sourceUri, 'model.pkl');
  assert.equal(v100.description, 'Detect whether the given stackoverflow question should have R language tag');
  assert.equal(v100.deprecated, false);
  // dvc.yaml also declares stackoverflow-dataset, never tagged: GTO discovers it at HEAD, unregistered.
  const dataset = found.find((m) => m.model === 'stackoverflow-dataset')!;
  assert.deepEqual([dataset.version, dataset.status, dataset.stages], [example.sha('06ea489'), 'unregistered', []]);
});

test('later tags: a newer assignment supersedes, unassign, deregister, an old-style stage tag, deprecation', async (t) => {
  const example = exampleRepo(t);
  const dir = example.repo.dir;
  let date = LATER;
  const tag = (name: string, commit: string) => {
    date += 60;
    runGit(dir, ['tag', '-a', name, '-m', name, example.sha(commit)], { date });
  };
  // prod moves to v1.1.0 (e4bc9b0): its assignment is now the newest; v1.0.0 keeps its tag but not the stage.
  tag(`${MODEL}#prod#4`, 'e4bc9b0');
  assert.deepEqual(stagesOf(await models(dir)), { 'v1.2.0': ['dev'], 'v1.1.0': ['prod', 'stage'], 'v1.0.0': [] });
  // stage is unassigned from v1.1.0; no other version ever held it.
  tag(`${MODEL}#stage!#5`, 'e4bc9b0');
  assert.deepEqual(stagesOf(await models(dir)), { 'v1.2.0': ['dev'], 'v1.1.0': ['prod'], 'v1.0.0': [] });
  // v1.2.0 is deregistered: gone from the list with its dev stage; latest falls back to v1.1.0.
  tag(`${MODEL}@v1.2.0!#6`, '06ea489');
  let found = await models(dir);
  assert.deepEqual(stagesOf(found), { 'v1.1.0': ['prod'], 'v1.0.0': [] });
  assert.deepEqual(found.filter((m) => m.aliases.includes('latest')).map((m) => m.version), ['v1.1.0']);
  // Old GTO wrote stage tags without a counter: still an assignment, and the newest one for prod.
  tag(`${MODEL}#prod`, '0d46eb4');
  assert.deepEqual(stagesOf(await models(dir)), { 'v1.1.0': [], 'v1.0.0': ['prod'] });
  // Deprecation: the artifact's last event is a deprecation; its versions stay listed, marked deprecated.
  tag(`${MODEL}@deprecated#7`, '06ea489');
  found = await models(dir);
  assert.deepEqual(found.filter((m) => m.model === MODEL).map((m) => m.deprecated), [true, true]);
  // A registration after it makes the artifact active again (base.py: the last event decides).
  tag(`${MODEL}@v1.3.0#8`, '06ea489');
  found = await models(dir);
  assert.deepEqual(found.filter((m) => m.model === MODEL).map((m) => [m.version, m.deprecated]), [['v1.3.0', false], ['v1.1.0', false], ['v1.0.0', false]]);
});

test('same tagger date: the higher counter is the newer assignment', () => {
  const time = Date.parse('2024-05-10T20:23:32Z');
  const tags: TagRecord[] = [
    { name: 'm@v1.0.0', commit: 'a', annotated: true, time },
    { name: 'm@v1.1.0', commit: 'b', annotated: true, time },
    { name: 'm#prod#2', commit: 'b', annotated: true, time },
    { name: 'm#prod#1', commit: 'a', annotated: true, time },
  ];
  const [state] = registryState(tags, [], undefined);
  assert.deepEqual(state!.versions.map((v) => [v.version, v.stages]), [['v1.1.0', ['prod']], ['v1.0.0', []]]);
});

test('a stage tag on a commit without a registered version makes a version named after the commit', () => {
  const [state] = registryState([{ name: 'm#dev#1', commit: 'c0ffee', annotated: true, time: 1 }], [], undefined);
  assert.deepEqual(state!.versions.map((v) => [v.version, v.registered, v.stages, v.latest]), [['c0ffee', false, ['dev'], false]]);
});

test('lightweight tags are ignored (GTO reads annotated tags only) and reported', async (t) => {
  const example = exampleRepo(t);
  runGit(example.repo.dir, ['tag', `${MODEL}#prod#9`, example.sha('06ea489')], { date: LATER });
  const result = await gtoProvider.open(join(example.repo.dir, '.git')).scan();
  assert.deepEqual(stagesOf(result.models), { 'v1.2.0': ['dev'], 'v1.1.0': ['stage'], 'v1.0.0': ['prod'] });
  assert.deepEqual(result.diagnostics.map((d) => d.severity), ['warning']);
  assert.match(result.diagnostics[0]!.message, /lightweight/);
});

test('tag names: the fixture GTO tags parse; the other tags are not GTO tags', () => {
  const names = readFileSync(join(FIXTURE, 'refs.tsv'), 'utf8').split('\n').filter((l) => l.startsWith('refs/tags/')).map((l) => l.split('\t')[0]!.slice('refs/tags/'.length));
  const parsed = names.flatMap((name) => (parseTagName(name) ? [name] : []));
  assert.deepEqual(parsed.sort(), [`${MODEL}#dev#3`, `${MODEL}#prod#1`, `${MODEL}#stage#2`, `${MODEL}@v1.0.0`, `${MODEL}@v1.1.0`, `${MODEL}@v1.2.0`]);
  assert.deepEqual(parseTagName(`${MODEL}#stage#2`), { artifact: MODEL, action: 'assign', stage: 'stage', counter: 2 });
  assert.deepEqual(parseTagName('m@v1.0.0-rc.1!#4'), { artifact: 'm', action: 'deregister', version: 'v1.0.0-rc.1', counter: 4 });
  assert.deepEqual(parseTagName('m#prod!'), { artifact: 'm', action: 'unassign', stage: 'prod' });
  assert.deepEqual(parseTagName('m@deprecated#3'), { artifact: 'm', action: 'deprecate', counter: 3 });
  assert.deepEqual(parseTagName('models/sub=churn@v2.0.0'), { artifact: 'models/sub:churn', action: 'register', version: 'v2.0.0' });
  for (const bad of ['m@1.0.0', 'M@v1.0.0', 'm#Prod', 'm@v1.0', 'm#prod#x', '-m@v1.0.0', 'm@v1.0.0#', '']) assert.equal(parseTagName(bad), undefined, bad);
});

test('nextStageTag counts over all of the artifact tags, as gto assign does; registerTag checks semver', async (t) => {
  const example = exampleRepo(t);
  const tags = example.repo.git('tag', '--list').split('\n');
  assert.equal(nextStageTag(tags, MODEL, 'prod'), `${MODEL}#prod#4`);
  assert.equal(nextStageTag(tags, MODEL, 'qa'), `${MODEL}#qa#4`);
  assert.equal(nextStageTag(tags, 'other-model', 'prod'), 'other-model#prod#1');
  assert.equal(nextStageTag(['dir=m#prod#7'], 'dir:m', 'prod'), 'dir=m#prod#8');
  assert.throws(() => nextStageTag(tags, MODEL, 'Prod'), /stage "Prod"/);
  assert.throws(() => nextStageTag(tags, 'Bad Name', 'prod'), /artifact name/);
  assert.equal(registerTag(MODEL, '1.3.0'), `${MODEL}@v1.3.0`);
  assert.equal(registerTag(MODEL, 'v2.0.0-rc.1+build.5'), `${MODEL}@v2.0.0-rc.1+build.5`);
  for (const bad of ['1.2', 'v01.2.3', 'latest', '1.2.3-']) assert.throws(() => registerTag(MODEL, bad), /semantic version/, bad);
  assert.ok(parseTagName(registerTag(MODEL, '1.3.0')));
  assert.ok(parseTagName(nextStageTag(tags, MODEL, 'prod')));
});

test('semver order', () => {
  const order = ['v1.0.0-alpha', 'v1.0.0-alpha.1', 'v1.0.0-alpha.beta', 'v1.0.0-beta', 'v1.0.0-beta.2', 'v1.0.0-beta.11', 'v1.0.0-rc.1', 'v1.0.0', 'v1.2.0', 'v1.10.0'];
  assert.deepEqual([...order].reverse().sort(compareVersions), order);
});

test('claims a .git entry only when the repository uses GTO', async (t) => {
  const example = exampleRepo(t);
  const entry = (dir: string) => ({ name: '.git', path: join(dir, '.git'), isDirectory: true });
  assert.equal(await gtoProvider.claims(entry(example.repo.dir)), true);
  example.repo.git('pack-refs', '--all');
  assert.equal(await gtoProvider.claims(entry(example.repo.dir)), true, 'packed tags');
  const plain = makeRepo(tempDir('runlens-nogto-'));
  t.after(() => rmSync(plain.dir, { recursive: true, force: true }));
  plain.commit('init', { 'README.md': 'x' });
  assert.equal(await gtoProvider.claims(entry(plain.dir)), false);
  plain.commit('artifacts', { 'dvc.yaml': 'artifacts:\n  m:\n    path: m.pkl\n' });
  assert.equal(await gtoProvider.claims(entry(plain.dir)), true);
  assert.equal(await gtoProvider.detect(plain.dir), true);
});

test('fuzz: mutated tag names and sets never throw and always give valid model versions', () => {
  const base = readFileSync(join(FIXTURE, 'refs.tsv'), 'utf8').split('\n').filter((l) => l.startsWith('refs/tags/'));
  const records = base.map((line, i): TagRecord => {
    const [ref, commit, , , , date] = line.split('\t');
    return { name: ref!.slice('refs/tags/'.length), commit: commit!, annotated: i % 7 !== 0, time: Date.parse(date!) };
  });
  let parsed = 0;
  for (const [i, record] of records.entries()) {
    for (const mutated of mutations(Buffer.from(record.name), 300, 50 + i)) {
      const name = mutated.toString('utf8');
      if (parseTagName(name)) parsed++;
      const tags = records.map((r, j) => (j === i ? { ...r, name } : r));
      const result = { ...emptyScan(), models: modelVersions(registryState(tags, [{ name: MODEL, labels: [] }], 'head'), '/store') };
      ScanResult.parse(result);
    }
  }
  assert.ok(parsed > 0, 'some mutations are still GTO tags');
});
