import type { TargetKind } from '../core/target-kind';

export { TARGET_KINDS, type TargetKind } from '../core/target-kind';

/** Credentials emulators accept; they never reach a real account. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** Where a scenario lives: an emulator endpoint or a real account. */
export interface Target {
  readonly kind: TargetKind;
  readonly region: string;
  /** Endpoint URL for emulators; undefined means real AWS. */
  readonly endpoint?: string;
  /** True when breakfix started (or will start) the moto server itself. */
  readonly embedded?: boolean;
  /** How long to wait for slow operations here. @default DEFAULT_WAITS for the kind */
  readonly waits?: Waits;
}

export function isEmulator(target: Target): boolean {
  return target.kind !== 'aws';
}

/** How long breakfix waits for AWS to finish something, and how often it looks. */
export interface Waits {
  /** Between two readings of a slow operation. */
  readonly pollMs: number;
  /** A stack create, update, rollback or delete. */
  readonly stackMs: number;
  /** One resource settling: a table deleting, a NAT gateway going, a tag showing. */
  readonly resourceMs: number;
}

/**
 * Emulators answer in milliseconds and finish at once; real AWS takes minutes
 * (a NAT gateway deletes in about one, a stack with interface endpoints in several).
 */
export const DEFAULT_WAITS: Readonly<Record<'emulator' | 'aws', Waits>> = {
  emulator: { pollMs: 200, stackMs: 5 * 60_000, resourceMs: 2 * 60_000 },
  aws: { pollMs: 5_000, stackMs: 60 * 60_000, resourceMs: 10 * 60_000 },
};

/** The waits of a target: its own when it carries some, else those of its kind. */
export function waitsOf(target: Target): Waits {
  return target.waits ?? (isEmulator(target) ? DEFAULT_WAITS.emulator : DEFAULT_WAITS.aws);
}
