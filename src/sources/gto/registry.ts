// The state of a GTO registry from its tags, computed as `gto show` does (iterative/gto):
// - registry.py `get_state`: deprecation tags are indexed first, then (de)registrations, then
//   (un)assignments, each group in tagger-date order; lightweight tags are ignored (tag.py `find`).
// - tag.py `index_tag`: a stage tag applies to the version registered at the tagged commit, or to a
//   version named after the commit when none is.
// - base.py: a version is active while its last (de)registration is a registration (a version never
//   registered is active); a stage is held while its last event is an assignment; an artifact is
//   deprecated while its last event of all is a deprecation. `gto show`'s "latest" is the greatest
//   registered active version by semver; each stage is shown on the active version whose latest assignment
//   to it is the newest (`VersionSort.Timestamp`, one version per stage), so a newer `#stage#N` supersedes.
//   Events with the same date are ordered by their `#N` counter.
import type { ArtifactSpec } from '../dvc/pipeline';
import { compareVersions, isVersionName, parseTagName, type GtoTag } from './tags';

/** A tag as git gives it. */
export interface TagRecord {
  name: string;
  commit: string;
  annotated: boolean;
  /** tagger date, ms */
  time?: number;
}

interface Event {
  tag: GtoTag;
  commit: string;
  time: number;
}

export interface VersionState {
  version: string;
  commit: string;
  registered: boolean;
  /** registration date, else the first event's */
  createdAt?: number;
  /** stages this version holds now */
  stages: string[];
  latest: boolean;
}

export interface ArtifactState {
  name: string;
  deprecated: boolean;
  spec?: ArtifactSpec;
  /** active versions, greatest first; deregistered ones are left out, as `gto show` leaves them */
  versions: VersionState[];
}

class Version {
  readonly direct: Event[] = [];
  readonly stages = new Map<string, Event[]>();
  constructor(readonly name: string, readonly commit: string) {}

  get registered(): boolean {
    return this.direct.some((e) => e.tag.action === 'register');
  }

  /** Never (de)registered versions (named after a commit, or discovered at HEAD) are active. */
  get active(): boolean {
    const last = this.direct.at(-1);
    return last ? last.tag.action === 'register' : true;
  }

  /** The stages held now, with the date of the assignment that holds each. */
  heldStages(): { stage: string; since: Event }[] {
    return [...this.stages].flatMap(([stage, events]) => {
      const last = events.at(-1);
      return last?.tag.action === 'assign' ? [{ stage, since: last }] : [];
    });
  }

  events(): Event[] {
    return [...this.direct, ...[...this.stages.values()].flat()];
  }
}

class Artifact {
  readonly own: Event[] = [];
  readonly versions: Version[] = [];
  constructor(readonly name: string) {}

  version(name: string, commit: string): Version {
    let version = this.versions.find((v) => v.name === name && v.commit === commit);
    if (!version) this.versions.push((version = new Version(name, commit)));
    return version;
  }

  /** The version a stage tag on `commit` applies to: the last one registered there, else one named after the commit. */
  versionAt(commit: string): Version {
    const registered = this.versions.filter((v) => v.commit === commit && v.direct.length > 0);
    return registered.at(-1) ?? this.version(commit, commit);
  }

  get deprecated(): boolean {
    const events = [...this.own, ...this.versions.flatMap((v) => v.events())].sort(byDate);
    return events.at(-1)?.tag.action === 'deprecate';
  }
}

function byDate(a: Event, b: Event): number {
  return a.time - b.time || (a.tag.counter ?? 0) - (b.tag.counter ?? 0);
}

const PHASES: readonly (readonly GtoTag['action'][])[] = [['create', 'deprecate'], ['register', 'deregister'], ['assign', 'unassign']];

/**
 * Every artifact with tags or declared in `declared` (dvc.yaml's `artifacts:` at HEAD). A declared artifact
 * without tags gets the version GTO "discovers" at HEAD, named after `head`.
 */
export function registryState(tags: readonly TagRecord[], declared: readonly ArtifactSpec[], head: string | undefined): ArtifactState[] {
  const events = tags.flatMap((t): Event[] => {
    const tag = t.annotated ? parseTagName(t.name) : undefined;
    return tag ? [{ tag, commit: t.commit, time: t.time ?? 0 }] : [];
  });
  const artifacts = new Map<string, Artifact>();
  const artifact = (name: string) => artifacts.get(name) ?? artifacts.set(name, new Artifact(name)).get(name)!;
  for (const phase of PHASES) {
    for (const event of events.filter((e) => phase.includes(e.tag.action)).sort(byDate)) {
      const target = artifact(event.tag.artifact);
      const { action, version, stage } = event.tag;
      if (action === 'create' || action === 'deprecate') target.own.push(event);
      else if (version) target.version(version, event.commit).direct.push(event);
      else if (stage) {
        const held = target.versionAt(event.commit).stages;
        held.set(stage, [...(held.get(stage) ?? []), event]);
      }
    }
  }
  for (const spec of declared) {
    const target = artifact(spec.name);
    if (target.versions.length === 0 && head) target.versions.push(new Version(head, head));
  }
  const specs = new Map(declared.map((spec) => [spec.name, spec]));
  return [...artifacts.values()].sort((a, b) => a.name.localeCompare(b.name)).map((a) => stateOf(a, specs.get(a.name)));
}

function stateOf(artifact: Artifact, spec: ArtifactSpec | undefined): ArtifactState {
  const active = artifact.versions.filter((v) => v.active);
  const latest = active.filter((v) => v.registered && isVersionName(v.name)).sort((a, b) => compareVersions(b.name, a.name))[0];
  const holders = new Map<string, { version: Version; since: Event }>();
  for (const version of active) {
    for (const { stage, since } of version.heldStages()) {
      const current = holders.get(stage);
      if (!current || byDate(since, current.since) > 0) holders.set(stage, { version, since });
    }
  }
  const versions = active.sort(greatestFirst).map((version): VersionState => {
    const registration = version.direct.find((e) => e.tag.action === 'register');
    return {
      version: version.name,
      commit: version.commit,
      registered: version.registered,
      createdAt: (registration ?? version.events().sort(byDate)[0])?.time,
      stages: [...holders].filter(([, holder]) => holder.version === version).map(([stage]) => stage).sort(),
      latest: version === latest,
    };
  });
  return { name: artifact.name, deprecated: artifact.deprecated, spec, versions };
}

/** Semver versions greatest first, then versions named after commits. */
function greatestFirst(a: Version, b: Version): number {
  const [va, vb] = [isVersionName(a.name), isVersionName(b.name)];
  if (va && vb) return compareVersions(b.name, a.name);
  return va === vb ? a.name.localeCompare(b.name) : va ? -1 : 1;
}
