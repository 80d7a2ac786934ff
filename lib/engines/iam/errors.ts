/** Thrown when a policy or request cannot be evaluated; evaluation never guesses past one. */
export class IamPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IamPolicyError';
  }
}
