import { baseContext, describeDecision, evaluate, EvaluationResult, NamedPolicy } from '../../lib/engines/iam';
import type { RolePolicies } from '../../lib/live-policies';
import type { S3DeleteSnapshot } from './gather';
import { sessionArnOf } from '../../lib/toolkit/arn';

/** The session name the nightly job uses when it assumes the cleanup role. */
export const CLEANUP_SESSION = 'nightly-cleanup';

/** A principal as the engine sees it: a role session and the policies that bind it. */
export interface Caller {
  readonly label: string;
  readonly roleArn: string;
  readonly sessionArn: string;
  readonly identity: NamedPolicy[];
  readonly permissionsBoundary?: NamedPolicy;
}

export function callerOf(label: string, role: RolePolicies, session: string): Caller {
  return {
    label,
    roleArn: role.roleArn,
    sessionArn: sessionArnOf(role.roleArn, session),
    identity: role.identity,
    permissionsBoundary: role.permissionsBoundary,
  };
}

/**
 * Any other role in the account that is granted s3:* on *: the protection
 * must hold for principals nobody listed, not only for the reporting role.
 */
export function anyOtherRole(s: S3DeleteSnapshot): Caller {
  const roleArn = `arn:${s.partition}:iam::${s.account}:role/another-team-s3-full-access`;
  return {
    label: `any other role with s3:* (e.g. ${roleArn})`,
    roleArn,
    sessionArn: sessionArnOf(roleArn, 'batch'),
    identity: [
      { name: 'S3FullAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } },
    ],
  };
}

export function objectArn(s: S3DeleteSnapshot, key: string): string {
  return `arn:${s.partition}:s3:::${s.bucket}/${key}`;
}

export function bucketArn(s: S3DeleteSnapshot): string {
  return `arn:${s.partition}:s3:::${s.bucket}`;
}

/** The engine's decision for a caller's request against this bucket, from the live policy documents. */
export function decide(s: S3DeleteSnapshot, caller: Caller, action: string, resourceArn: string): EvaluationResult {
  return evaluate(
    {
      principalArn: caller.sessionArn,
      action,
      resourceArn,
      resourceAccount: s.account,
      context: baseContext({ principalArn: caller.sessionArn, roleArn: caller.roleArn }),
    },
    { identity: caller.identity, resource: s.bucketPolicy, permissionsBoundary: caller.permissionsBoundary, scps: s.scps },
  );
}

export { describeDecision };
export { accessDeniedMessage } from '../../lib/live-policies/access-denied';
