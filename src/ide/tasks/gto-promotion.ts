// Promoting a GTO artifact version exactly as `gto assign` / `gto register` do: an annotated tag on the
// version's commit, named by GTO's rules (sources/gto/tags.ts) and with GTO's default message
// (gto/registry.py: "Assigning stage {stage} to artifact {name} version {version}", "Registering artifact
// {name} version {version}"). Editor-free.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelVersion } from '../../core/model';
import { listTags } from '../../git';
import { gitIn, isObjectName } from '../../git/run';
import { repoRoot } from '../../sources/gto';
import { compareVersions, nextStageTag, parseTagName, registerTag } from '../../sources/gto/tags';
import { isMapping, parseYaml } from '../../sources/shared/values';

export type Promotion = { action: 'assign'; stage: string } | { action: 'register'; version: string };

export interface TagPlan {
  tag: string;
  message: string;
  /** the commit the tag points at */
  commit: string;
}

/** The tag a promotion creates, given the repository's tag names; throws where GTO would refuse. */
export function planPromotion(version: ModelVersion, promotion: Promotion, existingTags: readonly string[]): TagPlan {
  const artifact = version.model;
  if (version.source !== 'gto') throw new Error(`${artifact} is not a GTO artifact`);
  if (!version.commit) throw new Error(`${artifact} ${version.version} has no commit`);
  if (promotion.action === 'assign') {
    if (version.stages.includes(promotion.stage)) throw new Error(`version ${version.version} is already in stage ${promotion.stage}`);
    return {
      tag: nextStageTag(existingTags, artifact, promotion.stage),
      message: `Assigning stage ${promotion.stage} to artifact ${artifact} version ${version.version}`,
      commit: version.commit,
    };
  }
  if (version.status === 'registered') throw new Error(`${artifact} ${version.version} is registered already: its commit has a version`);
  const tag = registerTag(artifact, promotion.version);
  const name = tag.slice(tag.lastIndexOf('@') + 1);
  if (registeredVersions(existingTags, artifact).includes(name)) throw new Error(`${artifact} ${name} is registered already`);
  return { tag, message: `Registering artifact ${artifact} version ${name}`, commit: version.commit };
}

function registeredVersions(tags: readonly string[], artifact: string): string[] {
  return tags.flatMap((name) => {
    const tag = parseTagName(name);
    return tag?.artifact === artifact && tag.action === 'register' && tag.version ? [tag.version] : [];
  });
}

/** The version `gto register` would pick: the latest registered one with its patch bumped, else v0.0.1. */
export function suggestedVersion(existingTags: readonly string[], artifact: string): string {
  const latest = registeredVersions(existingTags, artifact).sort(compareVersions).at(-1);
  if (!latest) return 'v0.0.1';
  const [major, minor, patch] = latest.slice(1).split(/[.+-]/).map(Number);
  return `v${major}.${minor}.${patch! + 1}`;
}

/** Stages to offer: those in the repository's `.gto` config (`stages:`), then those its tags have used. */
export async function knownStages(root: string, existingTags: readonly string[], artifact: string): Promise<string[]> {
  const configured = await readFile(join(root, '.gto'), 'utf8').then(
    (text) => {
      const doc = parseYaml(text);
      return isMapping(doc) && Array.isArray(doc.stages) ? doc.stages.filter((s): s is string => typeof s === 'string') : [];
    },
    () => [],
  );
  const used = existingTags.flatMap((name) => {
    const tag = parseTagName(name);
    return tag?.artifact === artifact && tag.stage ? [tag.stage] : [];
  });
  return [...new Set([...configured, ...used.sort()])];
}

export async function tagNames(version: ModelVersion): Promise<string[]> {
  return (await listTags(repoRoot(version.store))).map((tag) => tag.name);
}

/** Creates the annotated tag (`git tag -a <tag> -m <message> <commit>`, as GTO's create_tag does). */
export async function createTag(version: ModelVersion, plan: TagPlan): Promise<void> {
  const root = repoRoot(version.store);
  if (!isObjectName(plan.commit)) throw new Error(`not a commit: ${plan.commit}`);
  if ((await tagNames(version)).includes(plan.tag)) throw new Error(`tag ${plan.tag} exists already`);
  await gitIn(root)?.('tag', '-a', plan.tag, '-m', plan.message, plan.commit);
  if (!(await tagNames(version)).includes(plan.tag)) throw new Error(`git could not create tag ${plan.tag} in ${root}`);
}
