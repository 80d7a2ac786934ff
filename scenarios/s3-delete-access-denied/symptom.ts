import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { S3Reader } from '../../lib/live-policies';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ScenarioContext, Symptom } from '../../lib/scenario/types';
import { errorName } from '../../lib/toolkit/aws-errors';
import { AwsClients } from '../../lib/targets/clients';
import { accessDeniedMessage, callerOf, CLEANUP_SESSION, decide, describeDecision, objectArn } from './access';
import { gatherS3Delete, S3DeleteSnapshot } from './gather';
import { CANARY_KEY, EXPIRED_PREFIX, SEED_KEYS } from './lab';

const CLI_PREFIX = 'An error occurred (AccessDenied) when calling the DeleteObject operation: ';
export const FIRST_EXPIRED_KEY = SEED_KEYS.find((k) => k.startsWith(EXPIRED_PREFIX))!;

/** What the nightly job would see deleting an expired object, derived by the engine from live policies. */
export function derivedSymptom(s: S3DeleteSnapshot): Symptom {
  const result = decide(s, callerOf('cleanup role', s.cleanup, CLEANUP_SESSION), 's3:DeleteObject', objectArn(s, FIRST_EXPIRED_KEY));
  const derivation = `${s.target} does not enforce IAM or these bucket policy conditions, so breakfix evaluated the request with its IAM engine over the live policy documents: the cleanup role's inline and attached policies, its permissions boundary${s.scps ? ', the service control policies in force for the account' : ''} and the bucket policy of ${s.bucket}.`;
  const message = accessDeniedMessage(result);
  const details = [
    `Request: DeleteObject s3://${s.bucket}/${FIRST_EXPIRED_KEY} as ${result.principalArn} (the cleanup role ${s.cleanup.roleArn}).`,
  ];
  const explanation = [`Decided by: ${describeDecision(result)}.`];
  if (!message)
    return {
      source: 'derived',
      summary: `The cleanup job's delete would succeed: ${describeDecision(result)}.`,
      details,
      derivation,
      explanation,
    };
  return { source: 'derived', summary: `${CLI_PREFIX}${message}`, details, derivation, explanation };
}

/** What the probe needs; clients are passed in so a recorded response can stand in for AWS. */
export interface ProbeDeps {
  readonly sts: Pick<STSClient, 'send'>;
  /** The caller's own S3 client, used to put the canary back. */
  readonly s3: S3Reader;
  /** An S3 client acting as the cleanup role's session. */
  readonly asSession: (credentials: AwsCredentialIdentity) => { readonly s3: S3Reader; destroy(): void };
}

/**
 * Real AWS: assume the cleanup role and delete the canary object breakfix
 * seeded (never learner data); put it back if the delete went through.
 */
export async function probedSymptom(s: S3DeleteSnapshot, deps: ProbeDeps): Promise<Symptom> {
  const assumed = await deps.sts.send(
    new AssumeRoleCommand({ RoleArn: s.cleanup.roleArn, RoleSessionName: CLEANUP_SESSION, DurationSeconds: 900 }),
  );
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`sts:AssumeRole on ${s.cleanup.roleArn} returned no credentials.`);
  const session = deps.asSession({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken });
  const engine = decide(s, callerOf('cleanup role', s.cleanup, CLEANUP_SESSION), 's3:DeleteObject', objectArn(s, CANARY_KEY));
  const details = [
    `Request: DeleteObject s3://${s.bucket}/${CANARY_KEY} (breakfix's canary) as ${assumed.AssumedRoleUser?.Arn ?? s.cleanup.roleArn}.`,
  ];
  const explanation = [`breakfix's engine over the live policies: ${describeDecision(engine)}.`];
  try {
    await session.s3.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: CANARY_KEY }));
    await deps.s3.send(
      new PutObjectCommand({ Bucket: s.bucket, Key: CANARY_KEY, Body: 'breakfix canary: status deletes and restores this object\n' }),
    );
    return {
      source: 'authentic',
      summary: `The cleanup role deleted the canary object ${objectArn(s, CANARY_KEY)}; breakfix put it back.`,
      details,
      explanation,
    };
  } catch (err) {
    // The probe expects AWS's refusal: it is the symptom, shown in AWS's own words.
    if (errorName(err) !== 'AccessDenied') throw err;
    return { source: 'authentic', summary: `${CLI_PREFIX}${(err as Error).message}`, details, explanation };
  } finally {
    session.destroy();
  }
}

export async function s3DeleteSymptom(ctx: ScenarioContext): Promise<Symptom> {
  const s = await gatherS3Delete(ctx);
  if (ctx.target.kind !== 'aws') return derivedSymptom(s);
  return probedSymptom(s, {
    sts: ctx.clients.sts,
    s3: ctx.clients.s3,
    asSession: (credentials) => {
      const clients = new AwsClients(ctx.target, { credentials });
      return { s3: clients.s3, destroy: () => clients.destroy() };
    },
  });
}
