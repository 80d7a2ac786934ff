/**
 * Documented shapes of AWS's responses (IAM, S3, CloudFormation and
 * Organizations API references) for this scenario's lab in a real account:
 * aws-documented-shapes.test.ts grades them, and the grader-policy test
 * (test/class/grader-policy.test.ts) records the calls grading makes on them
 * for the scp variant, which moto cannot run.
 */
import type { ScenarioContext } from '../../../lib/scenario/types';
import { makeContext } from '../../../lib/ops/context';
import { AWS_TARGET, stubbedClients, type Respond } from '../../../test/support/stub-clients';
import type { DocumentedShapes } from '../../../test/support/documented-shapes';
import scenario from '..';
import { SEED_KEYS, scpDocument, scpNameFor } from '../lab';

export const ACCOUNT = '111122223333';
export const STACK = 's3-delete-access-denied';
export const BUCKET = `${STACK}-data-${ACCOUNT}`;
export const B = `arn:aws:s3:::${BUCKET}`;
export const ROLE_ARN = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const CLEANUP = `${STACK}-cleanup-job`;
const REPORTING = `${STACK}-reporting`;
const STEWARD = ROLE_ARN(`${STACK}-data-steward`);
const DELETES = ['s3:DeleteObject', 's3:DeleteObjectVersion'];
const enc = (doc: object) => encodeURIComponent(JSON.stringify(doc));
export const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const s3All = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
export const ACCOUNT_TRUST = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
const fullAccess = JSON.stringify(doc({ Effect: 'Allow', Action: '*', Resource: '*' }));

const protect = (extra: object) => ({ Sid: 'ProtectRetainedData', Effect: 'Deny', Principal: { AWS: '*' }, Action: DELETES, ...extra });
export const ARMED_BUCKET_POLICY = doc(protect({ Resource: `${B}/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }));
/** The bucket policy the stack deploys in the permissions-boundary and scp variants. */
export const SPLIT_BUCKET_POLICY = doc(
  protect({ NotResource: `${B}/expired/*`, Condition: { ArnNotLike: { 'aws:PrincipalArn': STEWARD } } }),
  {
    Sid: 'ExpiredDataForCleanupOnly',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: DELETES,
    Resource: `${B}/expired/*`,
    Condition: { ArnNotLike: { 'aws:PrincipalArn': [STEWARD, ROLE_ARN(CLEANUP)] } },
  },
);

/** The account's state, as the documented responses report it; each test edits a fresh copy. */
export interface World {
  bucketPolicy?: object;
  trust: object;
  /** scp variant: the lab's guardrail content, and whether it is attached to the account. */
  scp?: { content: string; attached: boolean };
  /** A customer managed policy a learner made and attached to the cleanup role (live-policy reads follow it). */
  learnerPolicy?: object;
}

const LEARNER_POLICY_NAME = 'cleanup-expired-deletes';
const LEARNER_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${LEARNER_POLICY_NAME}`;
const MANAGEMENT_ACCOUNT = '999988887777';
const ORG = 'o-a1b2c3d4e5';
/** Organizations policy summaries (ListPoliciesForTarget, and DescribePolicy's PolicySummary). */
const FULL_ACCESS_SCP = {
  Id: 'p-FullAWSAccess',
  Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
  Name: 'FullAWSAccess',
  Description: 'Allows access to every operation',
  Type: 'SERVICE_CONTROL_POLICY',
  AwsManaged: true,
};
const LAB_SCP = {
  Id: 'p-labguard1',
  Arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:policy/${ORG}/service_control_policy/p-labguard1`,
  Name: scpNameFor(STACK),
  Description: '',
  Type: 'SERVICE_CONTROL_POLICY',
  AwsManaged: false,
};

const READ_ONLY = /^(Get|List|Describe|Head)/;

/** Answers each call as AWS documents it for `world`; every command is pushed on `calls`, and any write on `writes` (and refused). */
export function documentedResponder(world: World, calls: string[] = [], writes: string[] = []): Respond {
  const roles: Record<string, { id: string; trust: object; inline: Record<string, object> }> = {
    [CLEANUP]: { id: 'AROACLEANUPEXAMPLE01', trust: world.trust, inline: { CleanupJobS3Access: s3All } },
    [REPORTING]: { id: 'AROAREPORTINGEXAMPL1', trust: ACCOUNT_TRUST, inline: { ReportingS3Access: s3All } },
  };
  const respond: Respond = async (command: string, i: any): Promise<unknown> => {
    calls.push(command);
    if (!READ_ONLY.test(command.replace(/Command$/, ''))) {
      writes.push(command);
      throw new Error(`status and check must only read, but sent ${command}`);
    }
    switch (command) {
      case 'ListStackResourcesCommand':
        return {
          StackResourceSummaries: [
            { LogicalResourceId: 'DataBucketE3889A50', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: BUCKET },
            { LogicalResourceId: 'CleanupJobRole7E1A1C2B', ResourceType: 'AWS::IAM::Role', PhysicalResourceId: CLEANUP },
            { LogicalResourceId: 'ReportingRoleB2C3D4E5', ResourceType: 'AWS::IAM::Role', PhysicalResourceId: REPORTING },
            { LogicalResourceId: 'DataBucketPolicy5A2B9C1D', ResourceType: 'AWS::S3::BucketPolicy', PhysicalResourceId: BUCKET },
          ],
        };
      case 'GetAccountAuthorizationDetailsCommand':
        // IAM API Reference, GetAccountAuthorizationDetails: RoleDetailList and Policies with URL-encoded
        // documents; with the LocalManagedPolicy filter, Policies holds customer managed policies only.
        if (JSON.stringify(i.Filter) !== JSON.stringify(['Role', 'LocalManagedPolicy']))
          throw new Error(
            `GetAccountAuthorizationDetails was asked for ${JSON.stringify(i.Filter)}, not roles and customer managed policies`,
          );
        return {
          RoleDetailList: Object.entries(roles).map(([name, r]) => ({
            RoleName: name,
            RoleId: r.id,
            Arn: ROLE_ARN(name),
            Path: '/',
            CreateDate: new Date('2026-12-01T09:00:00Z'),
            AssumeRolePolicyDocument: enc(r.trust),
            RolePolicyList: Object.entries(r.inline).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: enc(doc) })),
            AttachedManagedPolicies:
              name === CLEANUP && world.learnerPolicy ? [{ PolicyName: LEARNER_POLICY_NAME, PolicyArn: LEARNER_POLICY_ARN }] : [],
            InstanceProfileList: [],
            Tags: [{ Key: 'breakfix:scenario', Value: STACK }],
          })),
          Policies: world.learnerPolicy
            ? [
                {
                  PolicyName: LEARNER_POLICY_NAME,
                  PolicyId: 'ANPALEARNERPOLICY001',
                  Arn: LEARNER_POLICY_ARN,
                  Path: '/',
                  DefaultVersionId: 'v1',
                  AttachmentCount: 1,
                  PermissionsBoundaryUsageCount: 0,
                  IsAttachable: true,
                  CreateDate: new Date('2026-12-01T10:30:00Z'),
                  UpdateDate: new Date('2026-12-01T10:30:00Z'),
                  PolicyVersionList: [
                    {
                      Document: enc(world.learnerPolicy),
                      VersionId: 'v1',
                      IsDefaultVersion: true,
                      CreateDate: new Date('2026-12-01T10:30:00Z'),
                    },
                  ],
                },
              ]
            : [],
          UserDetailList: [],
          GroupDetailList: [],
          IsTruncated: false,
        };
      case 'GetBucketPolicyCommand':
        if (!world.bucketPolicy)
          throw Object.assign(new Error('The bucket policy does not exist'), {
            name: 'NoSuchBucketPolicy',
            $metadata: { httpStatusCode: 404 },
          });
        return { Policy: JSON.stringify(world.bucketPolicy) };
      case 'GetPublicAccessBlockCommand':
        return {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        };
      case 'GetBucketAclCommand':
        return {
          Owner: { ID: 'c0ffee0123456789example' },
          Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'c0ffee0123456789example' }, Permission: 'FULL_CONTROL' }],
        };
      case 'ListObjectsV2Command':
        return { Contents: SEED_KEYS.map((Key) => ({ Key, Size: 40 })), IsTruncated: false, KeyCount: SEED_KEYS.length };
      case 'GetBucketLifecycleConfigurationCommand':
        throw Object.assign(new Error('The lifecycle configuration does not exist'), {
          name: 'NoSuchLifecycleConfiguration',
          $metadata: { httpStatusCode: 404 },
        });
      case 'DescribeOrganizationCommand':
        return {
          Organization: {
            Id: ORG,
            Arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:organization/${ORG}`,
            FeatureSet: 'ALL',
            MasterAccountArn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:account/${ORG}/${MANAGEMENT_ACCOUNT}`,
            MasterAccountId: MANAGEMENT_ACCOUNT,
            MasterAccountEmail: 'management@example.com',
          },
        };
      case 'ListParentsCommand':
        return i.ChildId === ACCOUNT
          ? { Parents: [{ Id: 'ou-a1b2-11111111', Type: 'ORGANIZATIONAL_UNIT' }] }
          : { Parents: [{ Id: 'r-a1b2', Type: 'ROOT' }] };
      case 'ListPoliciesForTargetCommand':
        return { Policies: i.TargetId === ACCOUNT && world.scp?.attached ? [FULL_ACCESS_SCP, LAB_SCP] : [FULL_ACCESS_SCP] };
      case 'DescribePolicyCommand':
        return {
          Policy: {
            PolicySummary: i.PolicyId === LAB_SCP.Id ? LAB_SCP : FULL_ACCESS_SCP,
            Content: i.PolicyId === LAB_SCP.Id ? world.scp!.content : fullAccess,
          },
        };
      default:
        throw new Error(`the documented world has no response for ${command}`);
    }
  };
  return respond;
}

export function documentedContext(variant: string, world: World): { ctx: ScenarioContext; calls: string[]; writes: string[] } {
  const calls: string[] = [];
  const writes: string[] = [];
  const clients = stubbedClients(AWS_TARGET, documentedResponder(world, calls, writes));
  return { ctx: makeContext({ scenario, target: AWS_TARGET, variant, clients }), calls, writes };
}

/** The scp variant's guardrail as the lab attaches it, with the bucket policy that variant deploys. */
export const scpWorld = (content = scpDocument(BUCKET), attached = true): World => ({
  bucketPolicy: SPLIT_BUCKET_POLICY,
  trust: ACCOUNT_TRUST,
  scp: { content, attached },
});

/**
 * For the grader-policy test (test/support/documented-shapes.ts): the scp
 * variant armed, with the guardrail detached (the fix's reads), and with a
 * learner's managed policy on the cleanup role (the live-policy reads).
 */
export const documentedShapes: DocumentedShapes = {
  scp: [
    { name: 'armed', respond: documentedResponder(scpWorld()) },
    { name: 'guardrail detached', respond: documentedResponder(scpWorld(undefined, false)) },
    {
      name: 'learner policy on the cleanup role',
      respond: documentedResponder({
        ...scpWorld(),
        learnerPolicy: doc({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `${B}/expired/*` }),
      }),
    },
  ],
};
