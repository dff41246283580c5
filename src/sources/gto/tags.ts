// GTO's tag names (gto/constants.py `tag_re`, gto/tag.py `parse_name` / `name_tag`):
//   name@v1.2.3 registers a version, name@v1.2.3! deregisters it, name#stage assigns a stage to the version
//   at the tagged commit, name#stage! unassigns it, name@deprecated deprecates the artifact; each may end in
//   `#N`, a counter over all of the artifact's tags. An artifact in a nested dvc.yaml is `dir:name`, written
//   `dir=name` in tags.

export type GtoAction = 'create' | 'deprecate' | 'register' | 'deregister' | 'assign' | 'unassign';

export interface GtoTag {
  /** `name`, or `dir:name` for an artifact of a nested dvc.yaml */
  artifact: string;
  action: GtoAction;
  version?: string;
  stage?: string;
  counter?: number;
}

const NAME = '[a-z0-9](?:[a-z0-9-/]*[a-z0-9])?';
const DIRNAME = '[a-z0-9-_./]+';
const NUMBER = '(?:0|[1-9]\\d*)';
const PRERELEASE_ID = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const SEMVER = `${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?`;
const TAG = new RegExp(
  `^(?<artifact>(?:${DIRNAME}=)?${NAME})` +
    `(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER}))(?<cancel>!?)|@(?<deprecated>deprecated)|@(?<created>created))` +
    '(?:#(?<counter>[0-9]+))?$',
);
const NAME_ONLY = new RegExp(`^${NAME}$`);
const FULLNAME = new RegExp(`^(?:${DIRNAME}:)?${NAME}$`);
const VERSION = new RegExp(`^v?(${SEMVER})$`);

/** The GTO meaning of a tag name; undefined for a tag GTO does not read. */
export function parseTagName(name: string): GtoTag | undefined {
  const groups = TAG.exec(name)?.groups;
  if (!groups) return undefined;
  const tag: GtoTag = { artifact: groups.artifact!.replace('=', ':'), action: 'create' };
  if (groups.deprecated) tag.action = 'deprecate';
  if (groups.version) {
    tag.version = groups.version;
    tag.action = groups.cancel ? 'deregister' : 'register';
  }
  if (groups.stage) {
    tag.stage = groups.stage;
    tag.action = groups.cancel ? 'unassign' : 'assign';
  }
  if (groups.counter) tag.counter = Number(groups.counter);
  return tag;
}

/**
 * The tag that assigns `stage` to a version of `artifact`: `name#stage#N` with N one more than the highest
 * counter among the artifact's tags, as `gto assign` names it (the counter is per artifact, not per stage).
 */
export function nextStageTag(existingTags: Iterable<string>, artifact: string, stage: string): string {
  assertName(artifact, FULLNAME, 'artifact name');
  assertName(stage, NAME_ONLY, 'stage');
  let counter = 0;
  for (const name of existingTags) {
    const tag = parseTagName(name);
    if (tag?.artifact === artifact && tag.counter !== undefined) counter = Math.max(counter, tag.counter);
  }
  return `${artifact.replace(':', '=')}#${stage}#${counter + 1}`;
}

/** The tag that registers `version` (`1.2.3` or `v1.2.3`, semantic versioning) of `artifact`: `name@v1.2.3`. */
export function registerTag(artifact: string, version: string): string {
  assertName(artifact, FULLNAME, 'artifact name');
  const semver = VERSION.exec(version.trim())?.[1];
  if (!semver) throw new Error(`version "${version}" is not a semantic version like v1.2.3`);
  return `${artifact.replace(':', '=')}@v${semver}`;
}

function assertName(value: string, pattern: RegExp, what: string): void {
  if (!pattern.test(value)) {
    throw new Error(`${what} "${value}" is not valid for GTO: lowercase letters, digits, '-' and '/', starting and ending with a letter or digit`);
  }
}

/** Semantic-version order of `v1.2.3` names: prerelease before release, identifiers compared as semver says. */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = splitVersion(a);
  const [coreB, preB] = splitVersion(b);
  for (let i = 0; i < 3; i++) if (coreA[i] !== coreB[i]) return coreA[i]! - coreB[i]!;
  if (!preA.length || !preB.length) return preB.length - preA.length;
  for (let i = 0; i < Math.min(preA.length, preB.length); i++) {
    const [x, y] = [preA[i]!, preB[i]!];
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return preA.length - preB.length;
}

function splitVersion(version: string): [number[], string[]] {
  const [core = '', pre] = version.replace(/^v/, '').split('+')[0]!.split(/-(.*)/s);
  return [core.split('.').map(Number), pre ? pre.split('.') : []];
}

export function isVersionName(version: string): boolean {
  return VERSION.test(version) && version.startsWith('v');
}
