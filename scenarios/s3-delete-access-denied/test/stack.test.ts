import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import scenario from '..';
import { S3DeleteStack } from '../stack';
import { CLEANUP_POLICY_NAME, EXPIRED_PREFIX, PROTECT_SID, REPORTING_POLICY_NAME } from '../lab';

function build(variant: string, learner?: string): { stack: S3DeleteStack; t: Template } {
  const app = new App();
  const stackName = learner ? `${learner}-${scenario.id}` : scenario.id;
  const stack = scenario.buildStack(app, { stackName, scenarioId: scenario.id, learner, variant, targetKind: 'moto' });
  expect(stack).toBeInstanceOf(S3DeleteStack);
  return { stack: stack as S3DeleteStack, t: Template.fromStack(stack) };
}

/** The bucket policy's statements, by Sid. */
function statements(t: Template): Record<string, Record<string, unknown>> {
  const [policy] = Object.values(t.findResources('AWS::S3::BucketPolicy')) as {
    Properties: { PolicyDocument: { Statement: { Sid: string }[] } };
  }[];
  return Object.fromEntries(policy.Properties.PolicyDocument.Statement.map((s) => [s.Sid, s]));
}

describe.each(['bucket-policy', 'permissions-boundary', 'scp'])('variant %s', (variant) => {
  test('a private, encrypted data bucket named after the stack and account, removed with the stack', () => {
    const { t } = build(variant);
    t.resourceCountIs('AWS::S3::Bucket', 1);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: {
        BucketName: { 'Fn::Join': ['-', [`${scenario.id}-data`, { Ref: 'AWS::AccountId' }]] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      },
    });
  });

  test('a cleanup role and a reporting role, each with s3:* on * inline, assumable in the account', () => {
    const { t } = build(variant);
    for (const [name, policy] of [
      [`${scenario.id}-cleanup-job`, CLEANUP_POLICY_NAME],
      [`${scenario.id}-reporting`, REPORTING_POLICY_NAME],
    ]) {
      t.hasResourceProperties('AWS::IAM::Role', {
        RoleName: name,
        Policies: [{ PolicyName: policy, PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
      });
    }
  });

  test('the bucket policy denies deleting retained data to everyone but the data steward', () => {
    const { t } = build(variant);
    expect(statements(t)[PROTECT_SID]).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      Condition: { ArnNotLike: { 'aws:PrincipalArn': expect.anything() } },
    });
  });
});

test('bucket-policy: the fault is the Deny on every object, expired/ included', () => {
  const { t } = build('bucket-policy');
  const protect = statements(t)[PROTECT_SID];
  expect(protect).toHaveProperty('Resource');
  expect(protect).not.toHaveProperty('NotResource');
  expect(Object.keys(statements(t))).toEqual([PROTECT_SID]);
  t.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
});

test('permissions-boundary: the bucket policy is right, and the boundary allows only reads, writes and listing', () => {
  const { t } = build('permissions-boundary');
  const s = statements(t);
  expect(s[PROTECT_SID]).toHaveProperty('NotResource');
  expect(s.ExpiredDataForCleanupOnly).toMatchObject({ Effect: 'Deny' });
  t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    ManagedPolicyName: `${scenario.id}-cleanup-boundary`,
    PolicyDocument: {
      Statement: [
        Match.objectLike({ Sid: 'ReadWriteObjects', Action: ['s3:GetObject', 's3:PutObject'] }),
        Match.objectLike({ Sid: 'ListBucket', Action: 's3:ListBucket' }),
      ],
    },
  });
  t.hasResourceProperties('AWS::IAM::Role', { RoleName: `${scenario.id}-cleanup-job`, PermissionsBoundary: Match.anyValue() });
  expect(JSON.stringify(s.ExpiredDataForCleanupOnly)).toContain(`${EXPIRED_PREFIX}*`);
});

test('scp: the stack is the right bucket policy with no boundary; the guardrail SCP is created after deploy', () => {
  const { t } = build('scp');
  expect(statements(t)[PROTECT_SID]).toHaveProperty('NotResource');
  t.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  const roles = t.findResources('AWS::IAM::Role', { Properties: { RoleName: `${scenario.id}-cleanup-job` } });
  expect(Object.values(roles)[0]).not.toHaveProperty('Properties.PermissionsBoundary');
});

test('a learner prefix reaches every physical name', () => {
  const { t } = build('permissions-boundary', 'ada');
  t.hasResourceProperties('AWS::S3::Bucket', { BucketName: { 'Fn::Join': ['-', [`ada-${scenario.id}-data`, { Ref: 'AWS::AccountId' }]] } });
  t.hasResourceProperties('AWS::IAM::Role', { RoleName: `ada-${scenario.id}-cleanup-job` });
  t.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: `ada-${scenario.id}-cleanup-boundary` });
});
