/**
 * The region listing's RDS, Secrets Manager and Parameter Store listers,
 * against documented shapes of the API references' responses (RDS
 * DescribeDBInstances with Marker, Secrets Manager ListSecrets with
 * NextToken and DeletedDate, Systems Manager DescribeParameters with
 * NextToken), served to real SDK clients: every page is read, what is being
 * deleted counts as gone, a refusal leaves the type unlisted, and the
 * services a lab declares are covered.
 */
import { AWS_TARGET, stubbedClients } from '../../test/support/stub-clients';
import { diffListings, listRegion, listingTypesFor } from './region-listing';

const ACCOUNT = '111122223333';
const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${name}-AbCdEf`;
const TYPES = ['rds:db-instance', 'secretsmanager:secret', 'ssm:parameter'];

/** Two pages per service; `extra` adds to the second page (what a lab left). */
function region(extra: { db?: string; secret?: string; parameter?: string } = {}, refuse?: string) {
  return stubbedClients(AWS_TARGET, (command, input) => {
    if (command === refuse)
      throw Object.assign(new Error('User is not authorized to perform this action'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      });
    switch (command) {
      case 'DescribeDBInstancesCommand':
        return input.Marker
          ? {
              DBInstances: [
                { DBInstanceIdentifier: 'old-db', DBInstanceStatus: 'deleting' },
                ...(extra.db ? [{ DBInstanceIdentifier: extra.db, DBInstanceStatus: 'available' }] : []),
              ],
            }
          : { DBInstances: [{ DBInstanceIdentifier: 'reports-db', DBInstanceStatus: 'available' }], Marker: 'p2' };
      case 'ListSecretsCommand':
        return input.NextToken
          ? {
              SecretList: [
                { ARN: secretArn('scheduled'), Name: 'scheduled', DeletedDate: new Date('2026-12-01T10:00:00Z') },
                ...(extra.secret ? [{ ARN: secretArn(extra.secret), Name: extra.secret }] : []),
              ],
            }
          : { SecretList: [{ ARN: secretArn('team/api-key'), Name: 'team/api-key' }], NextToken: 't2' };
      case 'DescribeParametersCommand':
        return input.NextToken
          ? { Parameters: extra.parameter ? [{ Name: extra.parameter, Type: 'SecureString', Version: 1 }] : [] }
          : { Parameters: [{ Name: '/team/endpoint', Type: 'String', Version: 3 }], NextToken: 't2' };
      default:
        throw new Error(`no documented answer for ${command}`);
    }
  });
}

test('the services a secrets lab declares are covered by listers', () => {
  const { types, uncovered } = listingTypesFor(['cloudformation', 'rds', 'lambda', 'secretsmanager', 'ssm', 'iam']);
  expect(uncovered).toEqual([]);
  expect(types).toEqual(expect.arrayContaining(TYPES));
  // Stack resource types lead to the same listers.
  expect(listingTypesFor([], ['AWS::RDS::DBInstance', 'AWS::SecretsManager::Secret', 'AWS::SSM::Parameter']).types).toEqual(
    expect.arrayContaining(TYPES),
  );
});

test('every page is listed; a DB instance being deleted and a secret scheduled for deletion count as gone', async () => {
  const clients = region();
  try {
    const listing = await listRegion(clients, TYPES);
    expect(listing.unlisted).toEqual({});
    expect(Object.fromEntries(TYPES.map((t) => [t, listing.resources[t].map((r) => r.line)]))).toEqual({
      'rds:db-instance': ['RDS DB instance reports-db'],
      'secretsmanager:secret': ['Secrets Manager secret team/api-key'],
      'ssm:parameter': ['Parameter Store parameter /team/endpoint'],
    });
  } finally {
    clients.destroy();
  }
});

test('what a lab left shows as added, by the ID CloudFormation reports', async () => {
  const [before, after] = [region(), region({ db: 'lab-orders-db', secret: 'lab/orders-db', parameter: '/lab/db-password' })];
  try {
    const [b, a] = [await listRegion(before, TYPES), await listRegion(after, TYPES)];
    expect(diffListings(b, a).added).toEqual([
      'Parameter Store parameter /lab/db-password',
      'RDS DB instance lab-orders-db',
      'Secrets Manager secret lab/orders-db',
    ]);
    expect(a.resources['secretsmanager:secret'].find((r) => r.name === 'lab/orders-db')?.id).toBe(secretArn('lab/orders-db'));
  } finally {
    before.destroy();
    after.destroy();
  }
});

test('a refused listing is unlisted with the error, never an empty list', async () => {
  const clients = region({}, 'ListSecretsCommand');
  try {
    const listing = await listRegion(clients, TYPES);
    expect(listing.resources['secretsmanager:secret']).toBeUndefined();
    expect(listing.unlisted['secretsmanager:secret']).toMatch(/^AccessDeniedException: /);
    expect(listing.resources['rds:db-instance']).toHaveLength(1);
  } finally {
    clients.destroy();
  }
});

test('an IAM policy deleted between ListPolicies and ListPolicyVersions (another lab destroyed at once) is gone, not a failed listing', async () => {
  const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
  const clients = stubbedClients(AWS_TARGET, (command, input) => {
    if (command === 'ListPoliciesCommand')
      return { Policies: ['team-read', 'lab-b-learner'].map((n) => ({ PolicyName: n, Arn: policyArn(n) })) };
    if (command === 'ListPolicyVersionsCommand') {
      // IAM's answer for a policy that no longer exists (IAM API Reference, ListPolicyVersions errors: NoSuchEntity, 404).
      if (input.PolicyArn === policyArn('lab-b-learner'))
        throw Object.assign(new Error(`Policy ${input.PolicyArn} was not found.`), {
          name: 'NoSuchEntityException',
          $metadata: { httpStatusCode: 404 },
        });
      return { Versions: [{ VersionId: 'v1', IsDefaultVersion: true }] };
    }
    throw new Error(`no documented answer for ${command}`);
  });
  try {
    const listing = await listRegion(clients, ['iam:policy']);
    expect(listing.unlisted).toEqual({});
    expect(listing.resources['iam:policy'].map((r) => r.line)).toEqual([
      `IAM policy ${policyArn('team-read')}`,
      `version v1 of IAM policy ${policyArn('team-read')}`,
    ]);
  } finally {
    clients.destroy();
  }
});
