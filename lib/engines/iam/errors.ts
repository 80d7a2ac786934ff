import type { Decision, StatementRef } from './types';

/** Thrown when a policy or request cannot be evaluated; evaluation never guesses past one. */
export class IamPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IamPolicyError';
  }
}

/**
 * Thrown when the decision depends on condition keys the request context marks unknown: a statement
 * tests a key nobody could state, and its value would change the outcome. Never a silent Allow, never
 * a Deny quietly left out.
 */
export class IndeterminateError extends IamPolicyError {
  constructor(
    /** The unknown keys that applicable statements test. */
    readonly unknownKeys: string[],
    /** The statements whose applicability depends on them. */
    readonly statements: StatementRef[],
    /** Every decision some value of those keys would give. */
    readonly possibleDecisions: Decision[],
  ) {
    super(
      `the decision depends on ${unknownKeys.join(', ')}, which the request context marks unknown: ` +
        `it could be ${possibleDecisions.join(' or ')} (statements ${statements.map((s) => `${s.policyName}[${s.sid ?? s.index}]`).join(', ')})`,
    );
    this.name = 'IndeterminateError';
  }
}
