/** Where a lab runs: the embedded moto, Floci, LocalStack, or a real AWS account. */
export type TargetKind = 'moto' | 'floci' | 'localstack' | 'aws';

export const TARGET_KINDS: readonly TargetKind[] = ['moto', 'floci', 'localstack', 'aws'];
