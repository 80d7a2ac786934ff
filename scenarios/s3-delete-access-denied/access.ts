/**
 * Every access decision of this lab, made once here and read by the criteria and the symptom alike, so
 * `status` and `check` can never disagree about whether the nightly job works.
 *
 * - Requests carry the full context AWS would build (lib/engines/request-context): the cleanup role's
 *   session with its RoleId (aws:userid), tags, account, the Region, TLS, the time.
 * - Decisions count the identity policies, the permissions boundary, the SCPs (scp variant), the bucket
 *   policy and the role's trust policy.
 * - "Others stay protected" and "nothing more than needed" are proofs over the policies' own patterns
 *   (checkAccessNotGranted / checkNoNewAccess), never samples of today's objects.
 */
import {
  canAssumeRole,
  checkAccessNotGranted,
  checkNoNewAccess,
  describeDecision,
  describeStatement,
  destructiveActions,
  DESTRUCTIVE_ACTIONS,
  evaluate,
  type AssumeRoleAnswer,
  type CheckResult,
  type EvaluationResult,
  type NamedPolicy,
  type ResourcePolicyAttachment,
  type StatedContext,
} from '../../lib/engines/iam';
import { buildRequestContext, S3_HEADER_KEYS, sessionArn, workloadRequest, type WorkloadInput } from '../../lib/engines/request-context';
import type { RolePolicies } from '../../lib/live-policies';
import type { S3DeleteSnapshot } from './gather';
import { EXPIRED_PREFIX, PROTECTED_PREFIXES, PROTECT_SID, stewardArnOf } from './lab';

/** The session name the nightly job uses when it assumes the cleanup role. */
export const CLEANUP_SESSION = 'nightly-cleanup';
/** The deletes the job needs on expired/ (S3 "Deleting object versions": DeleteObject, or DeleteObjectVersion with a version ID). */
export const EXPIRED_DELETES = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

export function objectArn(s: S3DeleteSnapshot, key: string): string {
  return `arn:${s.partition}:s3:::${s.bucket}/${key}`;
}

export function bucketArn(s: S3DeleteSnapshot): string {
  return `arn:${s.partition}:s3:::${s.bucket}`;
}

/** A role as a caller: its ARN, unique ID and tags when known (unknown ones stay free in proofs), and its policies. */
export interface Caller {
  readonly label: string;
  readonly roleArn: string;
  readonly roleId?: string;
  readonly roleTags?: Readonly<Record<string, string>>;
  readonly identity: NamedPolicy[];
  readonly permissionsBoundary?: NamedPolicy;
}

export function callerOf(label: string, role: RolePolicies): Caller {
  return {
    label,
    roleArn: role.roleArn,
    roleId: role.roleId,
    roleTags: role.tags,
    identity: role.identity,
    permissionsBoundary: role.permissionsBoundary,
  };
}

const s3All = (name: string): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
});

/**
 * "Anyone else who happens to hold broad S3 rights" (the brief): a role nobody listed, granted s3:* on *,
 * with any unique ID and any tags (both left free in the proofs).
 */
export function othersWithBroadS3(s: S3DeleteSnapshot): Caller[] {
  return [
    {
      label: `Any other role of account ${s.account} with s3:* (e.g. arn:${s.partition}:iam::${s.account}:role/another-team)`,
      roleArn: `arn:${s.partition}:iam::${s.account}:role/another-team`,
      identity: [s3All('S3FullAccess')],
    },
  ];
}

function roleContextInput(s: S3DeleteSnapshot, caller: Caller, session: string, action: string, resourceArn: string): WorkloadInput {
  return {
    caller: {
      roleArn: caller.roleArn,
      sessionName: session,
      // The job (or a person) calls sts:AssumeRole with no MFA and no session tags.
      origin: { by: 'job', mfa: false, sessionTags: {} },
      roleId: caller.roleId,
      roleTags: caller.roleTags,
      principalOrgId: s.principalOrgId,
    },
    request: {
      action,
      resourceArn,
      resourceAccount: s.account,
      region: s.region,
      resourceOrgId: s.principalOrgId,
      // S3 request headers and parameters are present only when sent; the job's calls send none of them.
      serviceKeysNotSent: S3_HEADER_KEYS,
      serviceKeys: { 's3:ResourceAccount': s.account },
    },
    // Where the job runs is not part of the lab: network keys stay unknown, so a policy that depends on them is refused, never guessed.
    network: { via: 'unknown' },
  };
}

/** The request as AWS sees it when `caller`'s session sends `action` on `resourceArn`. */
export function requestOf(s: S3DeleteSnapshot, caller: Caller, session: string, action: string, resourceArn: string) {
  return workloadRequest(roleContextInput(s, caller, session, action, resourceArn));
}

/** Frees keys of a stated context (any value, or absent): proofs then cover every value. */
function freeing(context: StatedContext, keys: readonly string[]): StatedContext {
  const values = { ...context.values };
  for (const k of keys) delete values[k];
  return { ...context, values, absent: (context.absent ?? []).filter((k) => !keys.includes(k)), unknown: [...context.unknown, ...keys] };
}

/** Time keys, free in every proof: a grant that holds at some time is a grant, a protection must hold at every time. */
const TIME_KEYS = ['aws:CurrentTime', 'aws:EpochTime', 'aws:TokenIssueTime'];

function bucketAttachment(s: S3DeleteSnapshot, policy: NamedPolicy | undefined): ResourcePolicyAttachment[] {
  return policy ? [{ resources: [bucketArn(s), `${bucketArn(s)}/*`], policy }] : [];
}

// ---------------------------------------------------------------- the job

export function cleanupCaller(s: S3DeleteSnapshot): Caller {
  return callerOf(`The cleanup role ${s.cleanup.roleArn}`, s.cleanup);
}

/** Whatever runs the nightly job: a principal of the account, which assumes the cleanup role with sts:AssumeRole. */
export function jobRunnerArn(s: S3DeleteSnapshot): string {
  return `arn:${s.partition}:iam::${s.account}:role/nightly-job-runner`;
}

/** Can the nightly job assume the cleanup role? It calls sts:AssumeRole from inside the account (the brief). */
export function jobCanAssume(s: S3DeleteSnapshot): AssumeRoleAnswer {
  const runner: Caller = {
    label: 'the nightly job',
    roleArn: jobRunnerArn(s),
    roleTags: {},
    roleId: 'AROANIGHTLYJOBRUNNER',
    identity: [
      {
        name: 'AssumeCleanupRole',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: s.cleanup.roleArn }] },
      },
    ],
  };
  if (!s.cleanup.trustPolicy) throw new Error(`IAM returned no trust policy for role ${s.cleanup.roleArn}.`);
  const input = roleContextInput(s, runner, 'nightly', 'sts:AssumeRole', s.cleanup.roleArn);
  return canAssumeRole({
    roleArn: s.cleanup.roleArn,
    trustPolicy: s.cleanup.trustPolicy,
    caller: sessionArn(runner.roleArn, 'nightly'),
    callerPolicies: { identity: runner.identity, scps: s.scps },
    // The job's AssumeRole call: its session name, and no external ID, source identity or session tags.
    context: buildRequestContext({
      ...input,
      request: {
        ...input.request,
        serviceKeys: { 'sts:RoleSessionName': CLEANUP_SESSION },
        serviceKeysNotSent: ['sts:ExternalId', 'sts:SourceIdentity', 'sts:TransitiveTagKeys'],
      },
    }),
  });
}

/** The engine's decision on the cleanup job's delete of one key, with every policy in force. */
export function decideJobDelete(s: S3DeleteSnapshot, key: string, action = 's3:DeleteObject'): EvaluationResult {
  const caller = cleanupCaller(s);
  return evaluate(requestOf(s, caller, CLEANUP_SESSION, action, objectArn(s, key)), {
    identity: caller.identity,
    permissionsBoundary: caller.permissionsBoundary,
    resource: s.bucketPolicy,
    scps: s.scps,
  });
}

/** Keys the job must be able to delete: the expired objects in the bucket, and one that lands there in the future. */
export function expiredKeys(s: S3DeleteSnapshot): string[] {
  return [...s.expiredKeys, `${EXPIRED_PREFIX}2099-12-31/a-future-export.csv`];
}

/** The job's outcome: first the AssumeRole, then the delete of each expired key; the first refusal is the symptom. */
export type JobOutcome =
  | { readonly works: false; readonly step: 'assume'; readonly trust: AssumeRoleAnswer }
  | { readonly works: false; readonly step: 'delete'; readonly key: string; readonly result: EvaluationResult }
  | { readonly works: true; readonly step: 'delete'; readonly key: string; readonly result: EvaluationResult };

export function jobOutcome(s: S3DeleteSnapshot): JobOutcome {
  const trust = jobCanAssume(s);
  if (!trust.allowed) return { works: false, step: 'assume', trust };
  let last: { key: string; result: EvaluationResult } | undefined;
  for (const key of expiredKeys(s)) {
    const result = decideJobDelete(s, key);
    if (result.decision !== 'Allowed') return { works: false, step: 'delete', key, result };
    last = { key, result };
  }
  return { works: true, step: 'delete', ...last! };
}

// ---------------------------------------------------------------- others

/** Retained data as ARN patterns: every key under the protected prefixes, today's and tomorrow's. */
export function retainedPatterns(s: S3DeleteSnapshot): string[] {
  return PROTECTED_PREFIXES.map((p) => `${bucketArn(s)}/${p}*`);
}

/**
 * Can `caller` ever delete retained data? A proof over every key under the protected prefixes, at any time,
 * over any network path, with TLS or without; for a role nobody listed, with any unique ID and any tags.
 */
export function othersDeleteProof(s: S3DeleteSnapshot, caller: Caller): CheckResult {
  const context = freeing(buildRequestContext(roleContextInput(s, caller, 'any-session', 's3:DeleteObject', `${bucketArn(s)}/*`)), [
    ...TIME_KEYS,
    'aws:SecureTransport',
  ]);
  return checkAccessNotGranted({
    principalArn: sessionArn(caller.roleArn, 'any-session'),
    identity: caller.identity,
    permissionsBoundary: caller.permissionsBoundary,
    scps: s.scps,
    resourcePolicies: bucketAttachment(s, s.bucketPolicy),
    context,
    resourceAccount: s.account,
    access: [{ actions: EXPIRED_DELETES, resources: retainedPatterns(s) }],
  });
}

/** Someone outside the account, who holds s3:* in their own account. */
const OUTSIDER_ACCOUNT = '210987654321';

/**
 * Can anyone outside the account do anything to the bucket or its objects? Cross-account, both the caller's
 * policies and the bucket policy must allow ("Cross-account policy evaluation logic"); the outsider holds s3:*,
 * so the bucket policy decides. Any organization, tags, network, time, TLS and request headers.
 */
export function outsiderProof(s: S3DeleteSnapshot): CheckResult {
  const outsider: Caller = {
    label: `a principal of another account (e.g. ${OUTSIDER_ACCOUNT})`,
    roleArn: `arn:${s.partition}:iam::${OUTSIDER_ACCOUNT}:role/outsider`,
    identity: [s3All('OutsiderS3FullAccess')],
  };
  const input = roleContextInput(s, outsider, 'outsider', 's3:GetObject', `${bucketArn(s)}/*`);
  const context = freeing(
    buildRequestContext({
      ...input,
      caller: { ...input.caller, principalOrgId: undefined },
      request: { ...input.request, serviceKeysNotSent: [] },
    }),
    [...TIME_KEYS, 'aws:SecureTransport'],
  );
  return checkAccessNotGranted({
    principalArn: sessionArn(outsider.roleArn, 'outsider'),
    identity: outsider.identity,
    resourcePolicies: bucketAttachment(s, s.bucketPolicy),
    context,
    resourceAccount: s.account,
    // Literal actions and keys first, so a finding names a request people recognise.
    access: [
      {
        actions: ['s3:*', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
        resources: [bucketArn(s), `${bucketArn(s)}/*`, ...PROTECTED_PREFIXES.map((x) => `${bucketArn(s)}/${x}any-object`)],
      },
    ],
  });
}

// ---------------------------------------------------------------- the job's least privilege

const statement = (sid: string, effect: 'Allow' | 'Deny', rest: Record<string, unknown>) => ({ Sid: sid, Effect: effect, ...rest });

/**
 * What the armed lab already lets the cleanup role do, plus the one thing it needs: deleting under expired/.
 * Built from the stack's own definition (not read live), so a learner's edits never move the yardstick.
 */
export function referenceAccess(s: S3DeleteSnapshot) {
  const bucket = bucketArn(s);
  const steward = stewardArnOf(s.partition, s.account, s.stackName);
  const deletes = EXPIRED_DELETES;
  // The bucket policy done right: retained data for the steward only, expired/ for the steward and the job.
  const bucketPolicy: NamedPolicy = {
    name: `${s.bucket} (reference)`,
    kind: 'bucket policy',
    document: {
      Version: '2012-10-17',
      Statement: [
        statement(PROTECT_SID, 'Deny', {
          Principal: { AWS: '*' },
          Action: deletes,
          NotResource: `${bucket}/${EXPIRED_PREFIX}*`,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': steward } },
        }),
        statement('ExpiredDataForCleanupOnly', 'Deny', {
          Principal: { AWS: '*' },
          Action: deletes,
          Resource: `${bucket}/${EXPIRED_PREFIX}*`,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': [steward, s.cleanup.roleArn] } },
        }),
      ],
    },
  };
  const identity = [s3All('CleanupJobS3Access (as deployed)')];
  // permissions-boundary: the deployed boundary (read and write objects, list the bucket) plus the deletes on expired/.
  const permissionsBoundary: NamedPolicy | undefined =
    s.variant === 'permissions-boundary'
      ? {
          name: 'cleanup boundary (as deployed, plus the deletes on expired/)',
          kind: 'permissions boundary',
          document: {
            Version: '2012-10-17',
            Statement: [
              statement('ReadWriteObjects', 'Allow', { Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucket}/*` }),
              statement('ListBucket', 'Allow', { Action: 's3:ListBucket', Resource: bucket }),
              statement('DeleteExpired', 'Allow', { Action: deletes, Resource: `${bucket}/${EXPIRED_PREFIX}*` }),
            ],
          },
        }
      : undefined;
  // scp: the guardrail as deployed denies the job's deletes under expired/; with those allowed it adds nothing to
  // the bucket policy above for this role, so the reference has no SCP (SCPs only ever narrow).
  return { identity, permissionsBoundary, resourcePolicies: bucketAttachment(s, bucketPolicy) };
}

/** The questions "nothing more than needed" asks, each a region of requests: S3 object actions, bucket actions, everything else. */
export function leastPrivilegeScopes(s: S3DeleteSnapshot) {
  const p = s.partition;
  const bucket = bucketArn(s);
  const other = `arn:${p}:s3:::another-bucket`;
  const objectActions = [...DESTRUCTIVE_ACTIONS['s3-object'].destroy, ...DESTRUCTIVE_ACTIONS['s3-object'].expose];
  // The literal ARNs name nothing the patterns do not already cover: the proofs try them first as witnesses,
  // so a finding reads "on <bucket>/exports/any-object" rather than on an arbitrary string.
  return [
    {
      label: 'to destroy or expose objects',
      scope: {
        actions: objectActions,
        resources: [
          `arn:${p}:s3:::*/*`,
          ...PROTECTED_PREFIXES.map((x) => `${bucket}/${x}any-object`),
          `${other}/${EXPIRED_PREFIX}any-object`,
          `${other}/any-object`,
          `${bucket}/${EXPIRED_PREFIX}any-object`,
        ],
      },
    },
    {
      label: 'to destroy or expose buckets',
      scope: {
        actions: destructiveActions('s3-bucket'),
        resources: [`arn:${p}:s3:::*`, bucket, other],
        exceptResources: [`arn:${p}:s3:::*/*`],
      },
    },
    {
      label: 'outside S3',
      scope: {
        actions: ['*', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:PassRole', 'kms:Decrypt', 'ec2:RunInstances'],
        exceptActions: ['s3:*'],
        resources: ['*', `arn:${p}:iam::${s.account}:role/any-role`],
      },
    },
  ];
}

/**
 * Does the cleanup role, as it is live, get anything the reference does not? One proof per scope, at any
 * time and over any network path; its own role ID, tags, Region and TLS as AWS states them.
 */
export function newAccessProofs(s: S3DeleteSnapshot): { label: string; result: CheckResult }[] {
  const caller = cleanupCaller(s);
  const context = freeing(
    buildRequestContext(roleContextInput(s, caller, CLEANUP_SESSION, 's3:DeleteObject', `${bucketArn(s)}/*`)),
    TIME_KEYS,
  );
  const reference = referenceAccess(s);
  return leastPrivilegeScopes(s).map(({ label, scope }) => ({
    label,
    result: checkNoNewAccess({
      principalArn: sessionArn(caller.roleArn, CLEANUP_SESSION),
      context,
      resourceAccount: s.account,
      reference,
      candidate: {
        identity: caller.identity,
        permissionsBoundary: caller.permissionsBoundary,
        scps: s.scps,
        resourcePolicies: bucketAttachment(s, s.bucketPolicy),
      },
      scope,
    }),
  }));
}

/**
 * scp variant: the guardrail SCP is still attached, and on its own (no bucket policy) still keeps any other
 * role with s3:* from deleting retained data. Undefined when it stands; otherwise the sentence saying why not.
 */
export function guardrailProof(s: S3DeleteSnapshot): string | undefined {
  const attached = s.scps?.some((l) => l.policies.some((p) => p.name === s.labScpName));
  if (!attached) return `Service control policy ${s.labScpName} is no longer attached to account ${s.account} or any of its parents.`;
  const other = othersWithBroadS3(s)[0];
  const proof = othersDeleteProof({ ...s, bucketPolicy: undefined }, other);
  if (proof.result === 'PASS') return undefined;
  return `Service control policy ${s.labScpName} no longer keeps ${other.label.replace(/^A/, 'a')} from deleting retained data: ${describeFinding(proof)}.`;
}

/** "s3:DeleteObject on arn:...:bucket/exports/x, allowed by inline policy CleanupJobS3Access statement [0]". */
export function describeFinding(result: CheckResult): string {
  const f = result.findings[0];
  if (!f) return 'nothing';
  // The grants themselves (identity or resource policy), not the ceilings they pass (boundary, SCPs).
  const by = [...new Set(f.allowedBy.filter((r) => r.policyType === 'identity' || r.policyType === 'resource').map(describeStatement))];
  const where = f.witness.resourceArn === '*' ? 'any resource' : f.witness.resourceArn;
  return `${f.witness.action} on ${where}${by.length ? `, allowed by ${by.join(' and ')}` : ' (not proved otherwise)'}`;
}

export { describeDecision };
export { accessDeniedMessage } from '../../lib/live-policies/access-denied';
