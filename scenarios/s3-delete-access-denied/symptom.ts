/**
 * What the nightly job sees, derived on every target from the same engine decisions the criteria use
 * (`jobOutcome` in access.ts), so `status` and `check` cannot disagree. Read-only everywhere: on a real
 * account `status` never assumes the role and never deletes or writes anything.
 */
import type { ScenarioContext, Symptom } from '../../lib/scenario/types';
import { accessDeniedMessage, describeDecision, jobOutcome, objectArn } from './access';
import { gatherS3Delete, S3DeleteSnapshot } from './gather';

const cliError = (operation: string, message: string) =>
  `An error occurred (AccessDenied) when calling the ${operation} operation: ${message}`;

function derivation(s: S3DeleteSnapshot): string {
  const why =
    s.target === 'aws'
      ? `On a real account status only reads: it never assumes the cleanup role or deletes an object to see what AWS answers`
      : `${s.target} does not enforce IAM or these bucket policy conditions`;
  return `${why}, so breakfix evaluated the job's requests with its IAM engine over the live policy documents, with the request context AWS would build: the cleanup role's trust policy, its inline and attached policies and tags, its permissions boundary${s.scps ? ', the service control policies in force for the account' : ''} and the bucket policy of ${s.bucket}. check grades with the same decisions.`;
}

/** The job's first refused request in AWS's words, or that it would go through. */
export function derivedSymptom(s: S3DeleteSnapshot): Symptom {
  const outcome = jobOutcome(s);
  if (outcome.step === 'assume') {
    const refused = outcome.trust.results.find((r) => r.decision !== 'Allowed')!;
    return {
      source: 'derived',
      summary: cliError('AssumeRole', accessDeniedMessage(refused, { quoteResource: false })!),
      details: [`Request: sts:AssumeRole on ${s.cleanup.roleArn}, as the nightly job does from inside account ${s.account}.`],
      explanation: [`Decided by: ${describeDecision(refused)}.`],
      derivation: derivation(s),
    };
  }
  const details = [
    `Request: DeleteObject s3://${s.bucket}/${outcome.key} as ${outcome.result.principalArn} (the cleanup role ${s.cleanup.roleArn}).`,
  ];
  // The deciding statement names the cause: status prints it only with --explain.
  const explanation = [`Decided by: ${describeDecision(outcome.result)}.`];
  if (outcome.works)
    return {
      source: 'derived',
      summary: `The cleanup job's deletes under ${objectArn(s, 'expired/')} would succeed: ${describeDecision(outcome.result)}.`,
      details,
      explanation,
      derivation: derivation(s),
    };
  return {
    source: 'derived',
    summary: cliError('DeleteObject', accessDeniedMessage(outcome.result)!),
    details,
    explanation,
    derivation: derivation(s),
  };
}

export async function s3DeleteSymptom(ctx: ScenarioContext): Promise<Symptom> {
  return derivedSymptom(await gatherS3Delete(ctx));
}
