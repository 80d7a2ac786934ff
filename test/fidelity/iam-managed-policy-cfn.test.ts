/**
 * patch_iam_managed_policy_cfn: AWS::IAM::ManagedPolicy follows its stack:
 * a new PolicyDocument becomes the default version, Roles are attached and
 * detached in step, and DeleteStack detaches and deletes the policy.
 *
 * AWS sources: "AWS::IAM::ManagedPolicy" (CloudFormation Template Reference),
 * "CreatePolicyVersion" and "DeletePolicy" (IAM API Reference).
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  clientConfig,
  cloneTemplate,
  deleteStack,
  Flavour,
  FLAVOURS,
  physicalIds,
  stackOnBothFlavours,
  Template,
  updateStack,
} from './cfn-harness';

const STACK = 'fidelity-iam-managed-policy';
const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const allow = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

const TEMPLATE: Template = {
  Resources: {
    First: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } },
    Second: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } },
    Reader: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { ManagedPolicyName: 'fidelity-reader', PolicyDocument: allow('s3:GetObject'), Roles: [{ Ref: 'First' }] },
    },
  },
};

const UPDATED = cloneTemplate(TEMPLATE);
UPDATED.Resources.Reader.Properties!.PolicyDocument = allow('s3:ListBucket');
UPDATED.Resources.Reader.Properties!.Roles = [{ Ref: 'Second' }];

async function attachedTo(iam: IAMClient, role: string): Promise<string[]> {
  return ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies ?? []).map((p) => p.PolicyName!);
}

describe('AWS::IAM::ManagedPolicy via CloudFormation', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ iam: new IAMClient(clientConfig(endpoint)) }));
  const after = {} as Record<
    Flavour,
    {
      physicalAfterUpdate: string;
      deleteError?: string;
      document: unknown;
      first: string[];
      second: string[];
      localPoliciesAfterDelete: string[];
    }
  >;

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      const { iam, cfn } = clients[flavour];
      expect(await attachedTo(iam, ids[flavour].First)).toEqual(['fidelity-reader']);
      const arn = ids[flavour].Reader;
      expect(await updateStack(cfn, STACK, UPDATED)).toBe('UPDATE_COMPLETE');
      const physicalAfterUpdate = (await physicalIds(cfn, STACK)).Reader;
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId! }));
      const document = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
      const first = await attachedTo(iam, ids[flavour].First);
      const second = await attachedTo(iam, ids[flavour].Second);
      let deleteError: string | undefined;
      try {
        await deleteStack(cfn, STACK);
      } catch (err) {
        deleteError = (err as Error).name;
      }
      const local = (await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
      after[flavour] = {
        physicalAfterUpdate,
        document,
        first,
        second,
        deleteError,
        localPoliciesAfterDelete: local.map((p) => p.PolicyName!),
      };
    }
  });

  test('stock moto ignores the update, drops the policy from the stack, and DeleteStack fails leaving it behind (patch still needed)', () => {
    expect(after.stock).toEqual({
      // The update drops the policy from the stack's resources, and the role it stays attached to blocks the delete.
      physicalAfterUpdate: undefined,
      deleteError: 'DeleteConflict',
      document: allow('s3:GetObject'),
      first: ['fidelity-reader'],
      second: [],
      localPoliciesAfterDelete: ['fidelity-reader'],
    });
  });

  test('patched moto makes the new document the default version and moves the attachment', () => {
    expect(after.patched.physicalAfterUpdate).toBe(ids.patched.Reader);
    expect(after.patched.document).toEqual(allow('s3:ListBucket'));
    expect(after.patched.first).toEqual([]);
    expect(after.patched.second).toEqual(['fidelity-reader']);
  });

  test('patched moto deletes the policy with its stack', () => {
    expect(after.patched.deleteError).toBeUndefined();
    expect(after.patched.localPoliciesAfterDelete).toEqual([]);
  });
});
