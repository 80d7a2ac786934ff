import { createHash } from 'node:crypto';
import type { ScenarioMeta } from './meta';
import type { TargetKind } from '../targets/target';
import { UsageError } from '../core/errors';

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
 * A variant name from outside (an option, an environment variable, a stack
 * tag, a record) is used only once it is one of the scenario's own: it picks
 * criteria and names files.
 */
export function assertKnownVariant(meta: ScenarioMeta, variant: string): string {
  if (meta.variants.some((v) => v.id === variant)) return variant;
  throw new UsageError(
    'unknown-variant',
    `Scenario ${meta.id} has no variant "${variant}"; it has ${meta.variants.map((v) => v.id).join(', ')}.`,
  );
}

/** Refuses, in one sentence, a target the scenario does not run on (no variant arms there, or it is marked unsupported). */
export function assertRunsOn(meta: ScenarioMeta, target: TargetKind): void {
  if (meta.targets[target] !== 'unsupported' && variantsFor(meta, target).length > 0) return;
  const where = (Object.keys(meta.targets) as TargetKind[]).filter(
    (k) => meta.targets[k] !== 'unsupported' && variantsFor(meta, k).length > 0,
  );
  throw new UsageError('target-unsupported', `Scenario ${meta.id} does not run on ${target}; it runs on ${where.join(', ')}.`);
}

/**
 * The variant to arm: explicit (validated against the scenario and the
 * target), else derived from the learner name so that neighbours in a
 * workshop get different causes, else the default (first) for the target.
 */
export function chooseVariant(meta: ScenarioMeta, target: TargetKind, opts: { variant?: string; learner?: string }): string {
  assertRunsOn(meta, target);
  const available = variantsFor(meta, target);
  if (opts.variant) {
    const known = meta.variants.find((v) => v.id === assertKnownVariant(meta, opts.variant!))!;
    if (!available.includes(known.id))
      throw new UsageError(
        'variant-not-on-target',
        `Variant ${known.id} of ${meta.id} cannot run on ${target}; it needs ${known.targets?.join(' or ')}.`,
      );
    return known.id;
  }
  if (!opts.learner) return available[0];
  const digest = createHash('sha256').update(`${meta.id}:${opts.learner}`).digest();
  return available[digest.readUInt32BE(0) % available.length];
}

export { TAG_MANAGED, TAG_SCENARIO, TAG_LEARNER, TAG_VARIANT } from '../core/tags';
