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
}

export function isEmulator(target: Target): boolean {
  return target.kind !== 'aws';
}
