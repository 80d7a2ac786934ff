import { createHash } from 'node:crypto';
import type { ScenarioMeta } from './meta';
import type { TargetKind } from '../targets/target';

/**
 * Learner names prefix stack names and physical names, so they must be valid
 * for CloudFormation stack names and S3 bucket names alike: lowercase letters,
 * digits and single hyphens, starting with a letter, at most 20 characters.
 */
export const LEARNER_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,19}$/;

export function learnerNameProblem(name: string): string | undefined {
  if (LEARNER_NAME_PATTERN.test(name)) return undefined;
  return `Learner name "${name}" is not usable in stack and bucket names: use 1-20 lowercase letters, digits and single hyphens, starting with a letter.`;
}

/** The stack name: the scenario ID, prefixed by the learner when given. */
export function stackNameFor(scenarioId: string, learner?: string): string {
  return learner ? `${learner}-${scenarioId}` : scenarioId;
}

/** Variants a target can arm (`targets` absent means every target). */
export function variantsFor(meta: ScenarioMeta, target: TargetKind): string[] {
  return meta.variants.filter((v) => !v.targets || v.targets.includes(target)).map((v) => v.id);
}

/**
 * The variant to arm: explicit, else derived from the learner name so that
 * neighbours in a workshop get different causes, else the default (first).
 */
export function chooseVariant(meta: ScenarioMeta, target: TargetKind, opts: { variant?: string; learner?: string }): string {
  const available = variantsFor(meta, target);
  if (opts.variant) return opts.variant;
  if (available.length === 0) return meta.variants[0].id;
  if (!opts.learner) return available[0];
  const digest = createHash('sha256').update(`${meta.id}:${opts.learner}`).digest();
  return available[digest.readUInt32BE(0) % available.length];
}

/** Tags every breakfix stack (and, through CDK, its resources) carries. */
export const TAG_MANAGED = 'breakfix:managed';
export const TAG_SCENARIO = 'breakfix:scenario';
export const TAG_LEARNER = 'breakfix:learner';
export const TAG_VARIANT = 'breakfix:variant';
