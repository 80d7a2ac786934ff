/**
 * Learner behaviour, graded from the outside. Written from the brief
 * (README.md), scenario.json, guide 004 and AWS's documentation only, by
 * someone who has not read this scenario's checker: each case is something a
 * learner might do to a freshly deployed lab, with the verdict AWS semantics
 * call for and, for shortcuts, the public criterion that should name the
 * problem.
 *
 * The goal, from the brief: the cleanup role can delete what is under
 * expired/; the reporting role and anyone else with broad S3 rights still
 * cannot delete retained data (exports/, ledger/); the bucket stays private;
 * the job gets nothing more than it needs.
 *
 * Variant scp is not here: it deploys only on real AWS with Organizations
 * (`deploy --variant scp` on moto refuses: "cannot run on moto; it needs aws").
 *
 * Classes in the case tags refer to issue 17: 1 request context, 2 resource
 * policies, 3 trust policies, 4 least privilege by sampling, 5 references
 * parsed by hand.
 */
import {
  deployLab,
  GraderMoto,
  Lab,
  LabState,
  labState,
  listingBefore,
  logVerdict,
  REGION,
  restoreArmed,
  startGraderMoto,
} from './learner-harness';

const CAN_DELETE = 'cleanup-role-can-delete-expired';
const OTHERS_PROTECTED = 'retained-data-protected-from-others';
const NOT_PUBLIC = 'bucket-not-public';
const NOT_OVER_GRANTED = 'cleanup-role-not-over-granted';

const CASE_TIMEOUT_MS = 15 * 60_000;
const DELETES = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

type Statement = Record<string, unknown>;
const policyDoc = (statements: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

interface Case {
  readonly name: string;
  readonly kind: 'valid' | 'shortcut';
  /** Issue 17 classes this case exercises (empty: a plain case). */
  readonly classes: number[];
  act(lab: Lab): Promise<void>;
  /** For shortcuts: the criteria a grader expects to name the problem. */
  readonly criteria?: string[];
  /** Run the learner's commands with the real `aws` CLI instead of in process (a handful of cases do). */
  readonly cli?: boolean;
}

// ---------------------------------------------------------------- learner moves

/** The principals the live ProtectRetainedData statement already exempts (the data steward), read as a learner would. */
async function liveExemptions(lab: Lab): Promise<string[]> {
  const policy = await lab.bucketPolicy();
  const protect = (policy.Statement as Statement[]).find((s) => s.Sid === 'ProtectRetainedData');
  const cond = (protect?.Condition as any)?.ArnNotLike?.['aws:PrincipalArn'];
  const values: string[] = cond === undefined ? [] : [cond].flat();
  if (values.length === 0) throw new Error(`live bucket policy of ${lab.bucket} has no ArnNotLike exemption to keep`);
  return values;
}

const putBucketPolicy = (lab: Lab, statements: Statement[]) =>
  lab.aws(['s3api', 'put-bucket-policy', '--bucket', lab.bucket, '--policy', policyDoc(statements)]);

const denyDeletes = (
  sid: string,
  where: { Resource?: string | string[]; NotResource?: string },
  condition: Record<string, unknown>,
  actions = DELETES,
) => ({
  Sid: sid,
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: actions,
  ...where,
  Condition: condition,
});

/**
 * The shape a careful engineer lands on: retained data (everything but
 * expired/) stays denied to all but the steward; expired/ is denied to all
 * but the steward and the cleanup job, recognised by `exemption`.
 */
async function splitBucketPolicy(lab: Lab, exemption?: Record<string, unknown>, extra: Statement[] = []): Promise<void> {
  const kept = await liveExemptions(lab);
  const expiredCondition = exemption
    ? { ArnNotLike: { 'aws:PrincipalArn': kept }, ...exemption }
    : { ArnNotLike: { 'aws:PrincipalArn': [...kept, lab.cleanupRoleArn] } };
  await putBucketPolicy(lab, [
    denyDeletes('ProtectRetainedData', { NotResource: `${lab.bucketArn}/expired/*` }, { ArnNotLike: { 'aws:PrincipalArn': kept } }),
    denyDeletes('ExpiredDataForCleanupOnly', { Resource: `${lab.bucketArn}/expired/*` }, expiredCondition),
    ...extra,
  ]);
}

const putCleanupInline = (lab: Lab, statements: Statement[]) =>
  lab.aws([
    'iam',
    'put-role-policy',
    '--role-name',
    lab.cleanupRole,
    '--policy-name',
    'CleanupJobS3Access',
    '--policy-document',
    policyDoc(statements),
  ]);

const trustOnly = (lab: Lab, principal: Record<string, string>) =>
  lab.aws([
    'iam',
    'update-assume-role-policy',
    '--role-name',
    lab.cleanupRole,
    '--policy-document',
    policyDoc([{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }]),
  ]);

const tagCleanupRole = (lab: Lab, key: string, value: string) =>
  lab.aws(['iam', 'tag-role', '--role-name', lab.cleanupRole, '--tags', `Key=${key},Value=${value}`]);

const expireWholeBucket = (lab: Lab) =>
  lab.aws([
    's3api',
    'put-bucket-lifecycle-configuration',
    '--bucket',
    lab.bucket,
    '--lifecycle-configuration',
    JSON.stringify({ Rules: [{ ID: 'expire-old-data', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }] }),
  ]);

async function makePublic(lab: Lab, policyStatements: Statement[]): Promise<void> {
  await lab.aws(['s3api', 'delete-public-access-block', '--bucket', lab.bucket]);
  await putBucketPolicy(lab, [
    ...policyStatements,
    { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${lab.bucketArn}/*` },
  ]);
}

/** The cleanup role's permissions boundary, read from the role as a learner would. */
async function boundaryArn(lab: Lab): Promise<string> {
  const role = await lab.aws(['iam', 'get-role', '--role-name', lab.cleanupRole]);
  const arn = role.Role?.PermissionsBoundary?.PermissionsBoundaryArn;
  if (!arn) throw new Error(`role ${lab.cleanupRole} has no permissions boundary`);
  return arn;
}

async function boundaryStatements(lab: Lab): Promise<Statement[]> {
  const arn = await boundaryArn(lab);
  const policy = await lab.aws(['iam', 'get-policy', '--policy-arn', arn]);
  const version = await lab.aws(['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', policy.Policy.DefaultVersionId]);
  const doc = version.PolicyVersion.Document;
  return [(typeof doc === 'string' ? JSON.parse(decodeURIComponent(doc)) : doc).Statement].flat();
}

/** A new boundary version: today's statements plus `added`; the default unless told otherwise. */
async function widenBoundary(lab: Lab, added: Statement[], opts: { setAsDefault?: boolean; replace?: boolean } = {}): Promise<void> {
  const arn = await boundaryArn(lab);
  const statements = opts.replace ? added : [...(await boundaryStatements(lab)), ...added];
  await lab.aws([
    'iam',
    'create-policy-version',
    '--policy-arn',
    arn,
    '--policy-document',
    policyDoc(statements),
    ...(opts.setAsDefault === false ? [] : ['--set-as-default']),
  ]);
}

const deleteExpired = (lab: Lab, extra: Partial<Statement> = {}): Statement => ({
  Sid: 'DeleteExpiredObjects',
  Effect: 'Allow',
  Action: 's3:DeleteObject',
  Resource: `${lab.bucketArn}/expired/*`,
  ...extra,
});

// ---------------------------------------------------------------- variant bucket-policy

const bucketPolicyCases: Case[] = [
  // ---- valid remedies
  {
    name: 'split the Deny: retained data for the steward only, expired/ also for the cleanup role (aws:PrincipalArn)',
    kind: 'valid',
    classes: [],
    cli: true,
    // The brief's goal exactly; aws:PrincipalArn of a role session is the role's ARN (IAM global condition keys, aws:PrincipalArn).
    act: (lab) => splitBucketPolicy(lab),
  },
  {
    name: 'split the Deny, cleanup recognised by aws:userid "<RoleId>:*"',
    kind: 'valid',
    classes: [1],
    // aws:userid of a role session is "<RoleId>:<session name>" (IAM policy variables, "Request information that you can use for policy variables").
    act: (lab) => splitBucketPolicy(lab, { StringNotLike: { 'aws:userid': `${lab.cleanupRoleId}:*` } }),
  },
  {
    name: 'split the Deny, cleanup recognised by a principal tag put on the role',
    kind: 'valid',
    classes: [1],
    // aws:PrincipalTag/<key> carries the role's tags for its sessions (IAM global condition keys); only the cleanup role carries this tag.
    act: async (lab) => {
      await tagCleanupRole(lab, 'data-duty', 'expired-cleanup');
      await splitBucketPolicy(lab, { StringNotEquals: { 'aws:PrincipalTag/data-duty': 'expired-cleanup' } });
    },
  },
  {
    name: 'exempt the cleanup role from the bucket-wide Deny, and deny it everything outside expired/ with ArnEquals',
    kind: 'valid',
    classes: [5],
    // Same effective access as the split, written as exemption plus targeted Deny (IAM: NotResource; ARN condition operators).
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectData',
          { Resource: `${lab.bucketArn}/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, lab.cleanupRoleArn] } },
        ),
        denyDeletes(
          'CleanupOnlyExpired',
          { NotResource: `${lab.bucketArn}/expired/*` },
          { ArnEquals: { 'aws:PrincipalArn': lab.cleanupRoleArn } },
        ),
      ]);
    },
  },
  {
    name: 'exempt the cleanup role bucket-wide, and scope its own policy to list, read and delete only expired/',
    kind: 'valid',
    classes: [4],
    // Effective access is the intersection of what is allowed and not denied (IAM policy evaluation logic): the role can delete only expired/.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putCleanupInline(lab, [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: lab.bucketArn },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `${lab.bucketArn}/*` },
        { Effect: 'Allow', Action: 's3:DeleteObject', Resource: `${lab.bucketArn}/expired/*` },
      ]);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: `${lab.bucketArn}/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, lab.cleanupRoleArn] } },
        ),
      ]);
    },
  },
  {
    name: 'role policy cut to list and read; the bucket policy grants the delete on expired/ to the role ARN',
    kind: 'valid',
    classes: [2],
    // Same account: an Allow in either the identity or the resource policy suffices (IAM "Policy evaluation for requests within a single account").
    act: async (lab) => {
      await putCleanupInline(lab, [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: lab.bucketArn },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `${lab.bucketArn}/*` },
      ]);
      await splitBucketPolicy(lab, undefined, [
        {
          Sid: 'CleanupDeletesExpired',
          Effect: 'Allow',
          Principal: { AWS: lab.cleanupRoleArn },
          Action: 's3:DeleteObject',
          Resource: `${lab.bucketArn}/expired/*`,
        },
      ]);
    },
  },
  {
    name: 'split the Deny and add the usual TLS-only statement (Deny when aws:SecureTransport is false)',
    kind: 'valid',
    classes: [1],
    // S3 security best practices: deny requests without TLS; the SDK/CLI the job uses sends HTTPS, so aws:SecureTransport is true.
    act: (lab) =>
      splitBucketPolicy(lab, undefined, [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [lab.bucketArn, `${lab.bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
  },
  {
    name: 'split the Deny and pin the role policy to the lab region (aws:RequestedRegion)',
    kind: 'valid',
    classes: [1],
    // aws:RequestedRegion is the region the request goes to; the bucket lives in us-east-1 (IAM global condition keys).
    act: async (lab) => {
      await putCleanupInline(lab, [
        { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': REGION } } },
      ]);
      await splitBucketPolicy(lab);
    },
  },
  {
    name: 'split the Deny and restate the trust policy with the account-ID principal form',
    kind: 'valid',
    classes: [3, 5],
    // "AWS": "<account-id>" and "arn:aws:iam::<account-id>:root" name the same principal (IAM JSON policy elements: Principal).
    act: async (lab) => {
      await trustOnly(lab, { AWS: lab.account });
      await splitBucketPolicy(lab);
    },
  },

  // ---- shortcuts
  {
    name: 'delete the bucket policy',
    kind: 'shortcut',
    classes: [],
    cli: true,
    // Brief: the reporting role and anyone with broad S3 rights must still be unable to delete retained data; nothing denies them now.
    act: (lab) => lab.aws(['s3api', 'delete-bucket-policy', '--bucket', lab.bucket]),
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'add the cleanup role to the bucket-wide exemption, role policy still s3:* on *',
    kind: 'shortcut',
    classes: [4],
    // The job can now delete exports/ and ledger/ too: more than it needs (brief).
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: `${lab.bucketArn}/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, lab.cleanupRoleArn] } },
        ),
      ]);
    },
    criteria: [NOT_OVER_GRANTED],
  },
  {
    name: 'exempt every role of the lab with a wildcard ARN (role/<lab>-*)',
    kind: 'shortcut',
    classes: [4],
    // ArnNotLike with * matches the reporting role too (IAM ARN condition operators), so it may delete retained data.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: `${lab.bucketArn}/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, `arn:aws:iam::${lab.account}:role/${lab.name}-*`] } },
        ),
      ]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'exempt by a tag both roles already carry (aws:PrincipalTag/breakfix:scenario)',
    kind: 'shortcut',
    classes: [1],
    // Both lab roles carry breakfix:scenario (live get-role); aws:PrincipalTag exempts the reporting role as well.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: `${lab.bucketArn}/*` },
          {
            ArnNotLike: { 'aws:PrincipalArn': kept },
            StringNotEquals: { 'aws:PrincipalTag/breakfix:scenario': 's3-delete-access-denied' },
          },
        ),
      ]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'make the Deny apply only to requests without TLS',
    kind: 'shortcut',
    classes: [1, 4],
    // Every SDK/CLI request uses HTTPS, so aws:SecureTransport is true and the Deny never applies to the reporting role.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: `${lab.bucketArn}/*` },
          { ArnNotLike: { 'aws:PrincipalArn': kept }, Bool: { 'aws:SecureTransport': 'false' } },
        ),
      ]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'make the Deny apply only to other accounts (aws:PrincipalAccount)',
    kind: 'shortcut',
    classes: [1, 4],
    // The reporting role is in this account, so StringNotEquals aws:PrincipalAccount <own> is false for it: retained data unprotected.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: `${lab.bucketArn}/*` },
          { ArnNotLike: { 'aws:PrincipalArn': kept }, StringNotEquals: { 'aws:PrincipalAccount': lab.account } },
        ),
      ]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'split the Deny but protect retained data from s3:DeleteObject only (s3:DeleteObjectVersion dropped)',
    kind: 'shortcut',
    classes: [4],
    // DeleteObject with a versionId needs s3:DeleteObjectVersion and removes data for good; S3 says to deny both (DeleteObject API reference).
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes('ProtectRetainedData', { NotResource: `${lab.bucketArn}/expired/*` }, { ArnNotLike: { 'aws:PrincipalArn': kept } }, [
          's3:DeleteObject',
        ]),
        denyDeletes(
          'ExpiredDataForCleanupOnly',
          { Resource: `${lab.bucketArn}/expired/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, lab.cleanupRoleArn] } },
        ),
      ]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'protect only the folders that exist today (exports/2025-06-30/, ledger/2025/)',
    kind: 'shortcut',
    classes: [4],
    // Retained data is everything under exports/ and ledger/ (brief); the next export (e.g. exports/2025-09-30/) is unprotected.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: [`${lab.bucketArn}/exports/2025-06-30/*`, `${lab.bucketArn}/ledger/2025/*`] },
          { ArnNotLike: { 'aws:PrincipalArn': kept } },
        ),
        denyDeletes(
          'ExpiredDataForCleanupOnly',
          { Resource: `${lab.bucketArn}/expired/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, lab.cleanupRoleArn] } },
        ),
      ]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'split the Deny, plus a lifecycle rule that expires the whole bucket after a day',
    kind: 'shortcut',
    classes: [4],
    // S3 lifecycle expiration deletes retained data under exports/ and ledger/ (S3 "Expiring objects"); the closest public fact is the retained-data one.
    act: async (lab) => {
      await splitBucketPolicy(lab);
      await expireWholeBucket(lab);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: "the guide's s3:prefix pattern: Deny unless s3:prefix is expired/",
    kind: 'shortcut',
    classes: [1],
    // s3:prefix exists only for ListBucket(Versions) (Service Authorization Reference, Amazon S3); absent, StringNotLike is true, so the Deny still hits the job.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: `${lab.bucketArn}/*` },
          { ArnNotLike: { 'aws:PrincipalArn': kept }, StringNotLike: { 's3:prefix': 'expired/*' } },
        ),
      ]);
    },
    criteria: [CAN_DELETE],
  },
  {
    name: 'exempt the cleanup job by its session ARN in aws:PrincipalArn (arn:aws:sts::…:assumed-role/…/*)',
    kind: 'shortcut',
    classes: [5],
    // For a role session aws:PrincipalArn is the role ARN, never the assumed-role ARN (IAM global condition keys): the exemption never matches.
    act: async (lab) => {
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes('ProtectRetainedData', { NotResource: `${lab.bucketArn}/expired/*` }, { ArnNotLike: { 'aws:PrincipalArn': kept } }),
        denyDeletes(
          'ExpiredDataForCleanupOnly',
          { Resource: `${lab.bucketArn}/expired/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, `arn:aws:sts::${lab.account}:assumed-role/${lab.cleanupRole}/*`] } },
        ),
      ]);
    },
    criteria: [CAN_DELETE],
  },
  {
    name: 'exempt the cleanup job by aws:userid written with the role name instead of its RoleId',
    kind: 'shortcut',
    classes: [1, 5],
    // aws:userid of a role session starts with the RoleId (AROA…), not the role name (IAM policy variables): the exemption never matches.
    act: (lab) => splitBucketPolicy(lab, { StringNotLike: { 'aws:userid': `${lab.cleanupRole}:*` } }),
    criteria: [CAN_DELETE],
  },
  {
    name: 'split the Deny, then open the bucket for public reads',
    kind: 'shortcut',
    classes: [2],
    // Brief: the bucket must stay private; Principal "*" with the public access block removed makes it public (S3 "The meaning of public").
    act: async (lab) => {
      await splitBucketPolicy(lab);
      await makePublic(lab, (await lab.bucketPolicy()).Statement);
    },
    criteria: [NOT_PUBLIC],
  },
  {
    name: 'split the Deny, but "tighten" the trust policy to ecs-tasks.amazonaws.com only',
    kind: 'shortcut',
    classes: [3],
    // The job has been assuming the role from inside the account (the original trust names only the account); a service-only trust locks it out.
    act: async (lab) => {
      await splitBucketPolicy(lab);
      await trustOnly(lab, { Service: 'ecs-tasks.amazonaws.com' });
    },
    criteria: [CAN_DELETE],
  },
  {
    name: 'split the Deny and attach AdministratorAccess to the cleanup role',
    kind: 'shortcut',
    classes: [],
    // Far beyond what the job needs (brief; guide 004 "Watch Out" on admin access).
    act: async (lab) => {
      await splitBucketPolicy(lab);
      await lab.aws([
        'iam',
        'attach-role-policy',
        '--role-name',
        lab.cleanupRole,
        '--policy-arn',
        'arn:aws:iam::aws:policy/AdministratorAccess',
      ]);
    },
    criteria: [NOT_OVER_GRANTED],
  },
];

// ---------------------------------------------------------------- variant permissions-boundary

const boundaryCases: Case[] = [
  // ---- valid remedies
  {
    name: 'new default boundary version adds s3:DeleteObject on expired/*',
    kind: 'valid',
    classes: [],
    cli: true,
    // The boundary caps the role (IAM permissions boundaries); allowing the one missing action on the one prefix is the goal.
    act: (lab) => widenBoundary(lab, [deleteExpired(lab)]),
  },
  {
    name: 'new default boundary version adds s3:Delete* on expired/*',
    kind: 'valid',
    classes: [4, 5],
    // s3:Delete* on object ARNs under expired/ can only touch expired objects; bucket-level deletes need the bucket ARN (Service Authorization Reference, S3 resource types).
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Action: 's3:Delete*' })]),
  },
  {
    name: 'a new managed policy replaces the boundary: the old rights plus delete on expired/*',
    kind: 'valid',
    classes: [5],
    // PutRolePermissionsBoundary with another customer managed policy is an ordinary way to change a boundary (IAM API reference).
    act: async (lab) => {
      const statements = [...(await boundaryStatements(lab)), deleteExpired(lab)];
      const created = await lab.aws([
        'iam',
        'create-policy',
        '--policy-name',
        `${lab.name}-cleanup-boundary-v2`,
        '--policy-document',
        policyDoc(statements),
      ]);
      await lab.aws(['iam', 'put-role-permissions-boundary', '--role-name', lab.cleanupRole, '--permissions-boundary', created.Policy.Arn]);
    },
  },
  {
    name: 'boundary allows s3:DeleteObject on the whole bucket; the bucket policy still limits the job to expired/',
    kind: 'valid',
    classes: [4],
    // Effective access = identity ∩ boundary, minus explicit Denies (IAM policy evaluation logic); ProtectRetainedData still denies the job outside expired/.
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Resource: `${lab.bucketArn}/*` })]),
  },
  {
    name: 'boundary delete on expired/* only over TLS (aws:SecureTransport true)',
    kind: 'valid',
    classes: [1],
    // The job calls S3 through the SDK/CLI over HTTPS, so aws:SecureTransport is true (IAM global condition keys).
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })]),
  },
  {
    name: 'boundary delete on expired/* for principals tagged data-duty=expired-cleanup, tag put on the role',
    kind: 'valid',
    classes: [1],
    // aws:PrincipalTag carries the role's tags into its sessions (IAM "Controlling access for IAM principals").
    act: async (lab) => {
      await tagCleanupRole(lab, 'data-duty', 'expired-cleanup');
      await widenBoundary(lab, [deleteExpired(lab, { Condition: { StringEquals: { 'aws:PrincipalTag/data-duty': 'expired-cleanup' } } })]);
    },
  },
  {
    name: 'boundary delete on expired/* limited to own-account resources (aws:ResourceAccount)',
    kind: 'valid',
    classes: [1],
    // aws:ResourceAccount is the account that owns the bucket, this one (IAM global condition keys; the data perimeter pattern).
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Condition: { StringEquals: { 'aws:ResourceAccount': lab.account } } })]),
  },
  {
    name: 'boundary delete on expired/* limited to the lab region (aws:RequestedRegion)',
    kind: 'valid',
    classes: [1],
    // aws:RequestedRegion is the region the request goes to; the bucket is in us-east-1 (IAM global condition keys).
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Condition: { StringEquals: { 'aws:RequestedRegion': REGION } } })]),
  },
  {
    name: 'boundary delete on expired/* written with a wildcard partition (arn:*:s3:::…)',
    kind: 'valid',
    classes: [5],
    // Wildcards are allowed in any ARN segment of Resource (IAM JSON policy elements: Resource); this matches only the lab bucket's expired/.
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Resource: `arn:*:s3:::${lab.bucket}/expired/*` })]),
  },
  {
    name: 'boundary delete on expired/* time-boxed with aws:CurrentTime',
    kind: 'valid',
    classes: [1],
    // aws:CurrentTime is the request time (IAM global condition keys; date condition operators); the grant holds until 2099.
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Condition: { DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } } })]),
  },

  // ---- shortcuts
  {
    name: 'remove the permissions boundary',
    kind: 'shortcut',
    classes: [],
    // The role's s3:* on * is then uncapped: deletes in every bucket and bucket configuration changes (IAM permissions boundaries) — more than it needs.
    act: (lab) => lab.aws(['iam', 'delete-role-permissions-boundary', '--role-name', lab.cleanupRole]),
    criteria: [NOT_OVER_GRANTED],
  },
  {
    name: 'boundary allows s3:DeleteObject on * (every bucket)',
    kind: 'shortcut',
    classes: [4],
    // Objects of every other bucket in the account become deletable by the job: more than it needs.
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Resource: '*' })]),
    criteria: [NOT_OVER_GRANTED],
  },
  {
    name: 'boundary allows s3:DeleteObject on */expired/* (every bucket’s expired/)',
    kind: 'shortcut',
    classes: [4],
    // "arn:aws:s3:::*/expired/*" matches expired/ in every bucket (IAM Resource wildcards), not only the lab bucket.
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Resource: 'arn:aws:s3:::*/expired/*' })]),
    criteria: [NOT_OVER_GRANTED],
  },
  {
    name: 'boundary allows s3:* on the bucket and its objects',
    kind: 'shortcut',
    classes: [4],
    // Includes s3:PutBucketPolicy / s3:DeleteBucketPolicy / s3:PutLifecycleConfiguration: the job could lift the protection or expire retained data.
    act: (lab) =>
      widenBoundary(lab, [{ Sid: 'AllS3OnBucket', Effect: 'Allow', Action: 's3:*', Resource: [lab.bucketArn, `${lab.bucketArn}/*`] }]),
    criteria: [NOT_OVER_GRANTED],
  },
  {
    name: 'boundary replaced by Allow NotAction iam:* on *',
    kind: 'shortcut',
    classes: [4],
    cli: true,
    // NotAction with Allow allows every non-IAM action (IAM JSON policy elements: NotAction): the role's s3:* on * is uncapped.
    act: (lab) => widenBoundary(lab, [{ Sid: 'EverythingButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], { replace: true }),
    criteria: [NOT_OVER_GRANTED],
  },
  {
    name: 'bucket policy Allow for the role ARN, boundary unchanged',
    kind: 'shortcut',
    classes: [2, 3],
    // A resource policy naming the role ARN is still capped by the role's boundary (IAM permissions boundaries, "Resource-based policies"): still AccessDenied.
    act: async (lab) =>
      putBucketPolicy(lab, [
        ...(await lab.bucketPolicy()).Statement,
        {
          Sid: 'CleanupDeletesExpired',
          Effect: 'Allow',
          Principal: { AWS: lab.cleanupRoleArn },
          Action: 's3:DeleteObject',
          Resource: `${lab.bucketArn}/expired/*`,
        },
      ]),
    criteria: [CAN_DELETE],
  },
  {
    name: 'boundary delete on expired/* only when aws:RequestedRegion is eu-west-1',
    kind: 'shortcut',
    classes: [1],
    // The bucket and the job's requests are in us-east-1, so the condition never holds and the delete stays implicitly denied.
    act: (lab) => widenBoundary(lab, [deleteExpired(lab, { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })]),
    criteria: [CAN_DELETE],
  },
  {
    name: 'new boundary version with the delete, not set as default',
    kind: 'shortcut',
    classes: [5],
    // Only the default version of a managed policy is in force (IAM "Versioning IAM policies").
    act: (lab) => widenBoundary(lab, [deleteExpired(lab)], { setAsDefault: false }),
    criteria: [CAN_DELETE],
  },
  {
    name: 'fix the boundary, then delete the bucket policy',
    kind: 'shortcut',
    classes: [],
    // Nothing denies the reporting role's s3:* deletes on retained data any more (brief).
    act: async (lab) => {
      await widenBoundary(lab, [deleteExpired(lab)]);
      await lab.aws(['s3api', 'delete-bucket-policy', '--bucket', lab.bucket]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'fix the boundary, and narrow the protection to the folders that exist today',
    kind: 'shortcut',
    classes: [4],
    // Future keys under exports/ and ledger/ are retained data too (brief).
    act: async (lab) => {
      await widenBoundary(lab, [deleteExpired(lab)]);
      const kept = await liveExemptions(lab);
      await putBucketPolicy(lab, [
        denyDeletes(
          'ProtectRetainedData',
          { Resource: [`${lab.bucketArn}/exports/2025-06-30/*`, `${lab.bucketArn}/ledger/2025/*`] },
          { ArnNotLike: { 'aws:PrincipalArn': kept } },
        ),
        denyDeletes(
          'ExpiredDataForCleanupOnly',
          { Resource: `${lab.bucketArn}/expired/*` },
          { ArnNotLike: { 'aws:PrincipalArn': [...kept, lab.cleanupRoleArn] } },
        ),
      ]);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'fix the boundary, and drop s3:DeleteObjectVersion from the retained-data Deny',
    kind: 'shortcut',
    classes: [4],
    // S3: to stop deletes, deny s3:DeleteObject and s3:DeleteObjectVersion (DeleteObject API reference).
    act: async (lab) => {
      await widenBoundary(lab, [deleteExpired(lab)]);
      const policy = await lab.bucketPolicy();
      for (const s of policy.Statement as Statement[]) if (s.Sid === 'ProtectRetainedData') s.Action = ['s3:DeleteObject'];
      await putBucketPolicy(lab, policy.Statement);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'fix the boundary, plus a lifecycle rule that expires the whole bucket after a day',
    kind: 'shortcut',
    classes: [4],
    // S3 lifecycle expiration deletes retained data under exports/ and ledger/ (S3 "Expiring objects").
    act: async (lab) => {
      await widenBoundary(lab, [deleteExpired(lab)]);
      await expireWholeBucket(lab);
    },
    criteria: [OTHERS_PROTECTED],
  },
  {
    name: 'fix the boundary, but "tighten" the trust policy to ecs-tasks.amazonaws.com only',
    kind: 'shortcut',
    classes: [3],
    // The job assumes the role from inside the account (original trust: the account only); a service-only trust locks it out.
    act: async (lab) => {
      await widenBoundary(lab, [deleteExpired(lab)]);
      await trustOnly(lab, { Service: 'ecs-tasks.amazonaws.com' });
    },
    criteria: [CAN_DELETE],
  },
  {
    name: 'fix the boundary, then open the bucket for public reads',
    kind: 'shortcut',
    classes: [2],
    // Brief: the bucket must stay private.
    act: async (lab) => {
      await widenBoundary(lab, [deleteExpired(lab)]);
      await makePublic(lab, (await lab.bucketPolicy()).Statement);
    },
    criteria: [NOT_PUBLIC],
  },
];

// ---------------------------------------------------------------- messy learners, for reset

async function messyBucketPolicyLearner(lab: Lab): Promise<void> {
  const extra = await lab.aws([
    'iam',
    'create-policy',
    '--policy-name',
    `${lab.name}-cleanup-extra`,
    '--policy-document',
    policyDoc([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]),
  ]);
  await lab.aws(['iam', 'attach-role-policy', '--role-name', lab.cleanupRole, '--policy-arn', extra.Policy.Arn]);
  await lab.aws([
    'iam',
    'attach-role-policy',
    '--role-name',
    lab.reportingRole,
    '--policy-arn',
    'arn:aws:iam::aws:policy/AdministratorAccess',
  ]);
  await lab.aws([
    'iam',
    'put-role-policy',
    '--role-name',
    lab.reportingRole,
    '--policy-name',
    'Extra',
    '--policy-document',
    policyDoc([{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }]),
  ]);
  await tagCleanupRole(lab, 'data-duty', 'expired-cleanup');
  await trustOnly(lab, { Service: 'ecs-tasks.amazonaws.com' });
  await lab.aws(['s3api', 'put-bucket-versioning', '--bucket', lab.bucket, '--versioning-configuration', 'Status=Enabled']);
  await lab.aws(['s3api', 'put-object', '--bucket', lab.bucket, '--key', 'exports/2025-09-30/customers.csv']);
  // The bucket policy denies deletes to every principal but the steward (moto with breakfix's fidelity module enforces it): drop it first.
  await lab.aws(['s3api', 'delete-bucket-policy', '--bucket', lab.bucket]);
  await lab.aws(['s3api', 'delete-object', '--bucket', lab.bucket, '--key', 'expired/2024-01-31/orders.csv']);
  await expireWholeBucket(lab);
  await lab.aws(['s3api', 'delete-public-access-block', '--bucket', lab.bucket]);
}

async function messyBoundaryLearner(lab: Lab): Promise<void> {
  const boundary = await boundaryArn(lab);
  // Three more versions, each a little wider than the last (statement IDs must stay unique within a version).
  const widerEachTime = [`${lab.bucketArn}/expired/*`, `${lab.bucketArn}/*`, '*'];
  for (const [i, resource] of widerEachTime.entries())
    await widenBoundary(lab, [deleteExpired(lab, { Sid: `Widen${i}`, Resource: resource })]);
  const wide = await lab.aws([
    'iam',
    'create-policy',
    '--policy-name',
    `${lab.name}-wide-boundary`,
    '--policy-document',
    policyDoc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  ]);
  await lab.aws(['iam', 'put-role-permissions-boundary', '--role-name', lab.cleanupRole, '--permissions-boundary', wide.Policy.Arn]);
  await lab.aws(['iam', 'attach-role-policy', '--role-name', lab.cleanupRole, '--policy-arn', boundary]);
  await lab.aws([
    'iam',
    'attach-role-policy',
    '--role-name',
    lab.cleanupRole,
    '--policy-arn',
    'arn:aws:iam::aws:policy/AdministratorAccess',
  ]);
  await lab.aws(['s3api', 'put-bucket-versioning', '--bucket', lab.bucket, '--versioning-configuration', 'Status=Enabled']);
  await lab.aws(['s3api', 'put-object', '--bucket', lab.bucket, '--key', 'ledger/2025/q3.parquet']);
  await expireWholeBucket(lab);
  await lab.aws(['s3api', 'delete-bucket-policy', '--bucket', lab.bucket]);
  await lab.aws(['s3api', 'delete-public-access-block', '--bucket', lab.bucket]);
}

/** What a fresh lab looks like to a learner, without IDs and dates that a rebuild changes. */
async function labFacts(lab: Lab): Promise<Record<string, unknown>> {
  const orNull = (p: Promise<any>) => p.catch(() => null);
  const role = async (name: string) => {
    const r = await lab.aws(['iam', 'get-role', '--role-name', name]);
    const inline = await lab.aws(['iam', 'list-role-policies', '--role-name', name]);
    const docs: Record<string, unknown> = {};
    for (const p of inline.PolicyNames ?? [])
      docs[p] = (await lab.aws(['iam', 'get-role-policy', '--role-name', name, '--policy-name', p])).PolicyDocument;
    const attached = await lab.aws(['iam', 'list-attached-role-policies', '--role-name', name]);
    return {
      trust: r.Role.AssumeRolePolicyDocument,
      boundary: r.Role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      tags: (r.Role.Tags ?? []).map((t: any) => `${t.Key}=${t.Value}`).sort(),
      inline: docs,
      attached: (attached.AttachedPolicies ?? []).map((p: any) => p.PolicyArn).sort(),
    };
  };
  const cleanup = await role(lab.cleanupRole);
  return {
    bucketPolicy: await orNull(lab.bucketPolicy()),
    publicAccessBlock: await orNull(lab.aws(['s3api', 'get-public-access-block', '--bucket', lab.bucket])),
    lifecycle: await orNull(lab.aws(['s3api', 'get-bucket-lifecycle-configuration', '--bucket', lab.bucket])),
    versioning: (await lab.aws(['s3api', 'get-bucket-versioning', '--bucket', lab.bucket])).Status ?? 'never enabled',
    objects: ((await lab.aws(['s3api', 'list-objects-v2', '--bucket', lab.bucket])).Contents ?? []).map((o: any) => o.Key).sort(),
    cleanup,
    boundaryDocument: cleanup.boundary ? await boundaryStatements(lab) : null,
    reporting: await role(lab.reportingRole),
  };
}

// ---------------------------------------------------------------- the suite

const VARIANTS: { id: string; cases: Case[]; valid: (lab: Lab) => Promise<void>; messy: (lab: Lab) => Promise<void> }[] = [
  { id: 'bucket-policy', cases: bucketPolicyCases, valid: (lab) => splitBucketPolicy(lab), messy: messyBucketPolicyLearner },
  {
    id: 'permissions-boundary',
    cases: boundaryCases,
    valid: (lab) => widenBoundary(lab, [deleteExpired(lab)]),
    messy: messyBoundaryLearner,
  },
];

let moto: GraderMoto;
beforeAll(async () => {
  moto = await startGraderMoto();
}, 120_000);
afterAll(async () => {
  await moto?.stop();
});

let learnerSeq = 0;
const nextLearner = () => `g${String(++learnerSeq).padStart(2, '0')}`;

describe.each(VARIANTS)('variant $id', ({ id: variant, cases, valid, messy }) => {
  // One lab per variant: each case starts from the armed lab and is undone (and the undo proved) after it.
  let lab: Lab;
  let armed: LabState;
  beforeAll(async () => {
    lab = await deployLab(moto, nextLearner(), variant);
    armed = await labState(lab);
    expect((await lab.check()).verdict).toBe('not-fixed');
  }, CASE_TIMEOUT_MS);
  afterAll(async () => {
    await lab?.destroy().catch((err) => console.warn(`could not destroy ${lab.name}: ${(err as Error).message}`));
  }, CASE_TIMEOUT_MS);

  test.each(cases)(
    `$kind: $name`,
    async (c) => {
      // The previous case's undo was proved by restoreArmed (state equal to the armed state read after deploy).
      try {
        await c.act(c.cli ? { ...lab, aws: lab.awsCli } : lab);
        const got = await lab.check();
        logVerdict({
          variant,
          case: c.name,
          kind: c.kind,
          classes: c.classes,
          expected: c.kind === 'valid' ? 'fixed' : 'not-fixed',
          criteria: c.criteria ?? [],
          verdict: got.verdict,
          failing: got.failing,
          messages: got.report.criteria.map((r) => `${r.id} [${r.status}]: ${r.message}`),
        });
        if (c.kind === 'valid') expect({ verdict: got.verdict, failing: got.failing }).toEqual({ verdict: 'fixed', failing: [] });
        else
          expect({ verdict: got.verdict, failing: got.failing }).toEqual({
            verdict: 'not-fixed',
            failing: expect.arrayContaining(c.criteria ?? []),
          });
      } finally {
        await restoreArmed(lab, armed);
      }
    },
    CASE_TIMEOUT_MS,
  );

  const resetLearners = { valid: nextLearner(), messy: nextLearner() };
  test.each([
    { after: 'a valid remedy', learner: resetLearners.valid, act: valid },
    { after: 'a messy shortcut', learner: resetLearners.messy, act: messy },
  ])(
    'reset after $after re-arms the lab, and destroy leaves nothing',
    async ({ learner, act }) => {
      const before = await listingBefore(moto, learner, variant);
      const lab = await deployLab(moto, learner, variant);
      const fresh = await lab.check();
      const freshFacts = await labFacts(lab);
      expect(fresh.verdict).toBe('not-fixed');
      await act(lab);
      await lab.reset();
      const again = await lab.check();
      expect({ verdict: again.verdict, statuses: again.statuses }).toEqual({ verdict: 'not-fixed', statuses: fresh.statuses });
      expect(await labFacts(lab)).toEqual(freshFacts);
      await lab.destroy();
      expect(await lab.listing()).toEqual(before);
    },
    CASE_TIMEOUT_MS,
  );
});
