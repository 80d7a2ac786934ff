/**
 * patch_iam_role_managed_policy_arns_cfn: ManagedPolicyArns of a
 * CloudFormation AWS::IAM::Role are attached (and AWS managed policies exist
 * when named), kept in step on update, and detached when the stack deletes
 * the role.
 */
import {
  AttachRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  clientConfig,
  cloneTemplate,
  deleteStack,
  Flavour,
  FLAVOURS,
  rejection,
  stackOnBothFlavours,
  Template,
  updateStack,
} from './cfn-harness';

const STACK = 'fidelity-iam-managed-arns';
const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess';

const TEMPLATE: Template = {
  Resources: {
    ExecRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        ManagedPolicyArns: [EXECUTION_POLICY],
      },
    },
  },
};

const attached = async (iam: IAMClient, roleName: string) =>
  ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort();

describe('AWS::IAM::Role ManagedPolicyArns via CloudFormation', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ iam: new IAMClient(clientConfig(endpoint)) }));
  const roleName = (flavour: Flavour) => ids[flavour].ExecRole;

  test('stock moto attaches nothing and does not know the AWS managed policy (patch still needed)', async () => {
    const { iam } = clients.stock;
    expect(await attached(iam, roleName('stock'))).toEqual([]);
    expect((await rejection(iam.send(new GetPolicyCommand({ PolicyArn: EXECUTION_POLICY })))).name).toBe('NoSuchEntityException');
  });

  test('patched moto attaches the policy, whose default version is the AWS document', async () => {
    const { iam } = clients.patched;
    expect(await attached(iam, roleName('patched'))).toEqual([EXECUTION_POLICY]);
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: EXECUTION_POLICY }));
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: EXECUTION_POLICY, VersionId: policy.Policy!.DefaultVersionId! }),
    );
    const doc = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
    expect(doc.Statement[0].Action).toEqual(
      expect.arrayContaining(['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents']),
    );
  });

  test('patched moto lets AttachRolePolicy name an AWS managed policy not yet used', async () => {
    const { iam } = clients.patched;
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName('patched'), PolicyArn: READ_ONLY }));
    expect(await attached(iam, roleName('patched'))).toEqual([READ_ONLY, EXECUTION_POLICY].sort());
  });

  test('a stack update attaches added ARNs and detaches removed ones, leaving outside attachments alone', async () => {
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.ExecRole.Properties!.ManagedPolicyArns = ['arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess'];
    for (const flavour of FLAVOURS) expect(await updateStack(clients[flavour].cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
    expect(await attached(clients.stock.iam, roleName('stock'))).toEqual([]);
    expect(await attached(clients.patched.iam, roleName('patched'))).toEqual(
      [READ_ONLY, 'arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess'].sort(),
    );
  });

  test('deleting the stack detaches the ARNs it attached, so the role goes with it', async () => {
    const { cfn, iam } = clients.patched;
    // The learner-style attachment made above would block DeleteRole on AWS too; take it off first.
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName('patched'), PolicyArn: READ_ONLY }));
    await deleteStack(cfn, STACK);
    expect((await rejection(iam.send(new GetRoleCommand({ RoleName: roleName('patched') })))).name).toBe('NoSuchEntityException');
  });
});
