/**
 * patch_iam_role_inline_policies_cfn: inline Policies of a CloudFormation
 * AWS::IAM::Role come back from GetRolePolicy as URL-encoded JSON, and stack
 * updates apply Policies and AssumeRolePolicyDocument.
 */
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { clientConfig, cloneTemplate, Flavour, FLAVOURS, stackOnBothFlavours, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-iam-inline';

const READ_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::fidelity-bucket', 'arn:aws:s3:::fidelity-bucket/*'],
    },
  ],
};
const WRITE_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::fidelity-bucket/*' }],
};
const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

const TEMPLATE: Template = {
  Resources: {
    AppRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: trust('ecs.amazonaws.com'),
        Policies: [{ PolicyName: 'read-bucket', PolicyDocument: READ_POLICY }],
      },
    },
  },
};

describe('AWS::IAM::Role inline Policies via CloudFormation', () => {
  const { clients, ids } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ iam: new IAMClient(clientConfig(endpoint)) }));
  const roleName = (flavour: Flavour) => ids[flavour].AppRole;

  test('stock moto returns a Python repr, not URL-encoded JSON (patch still needed)', async () => {
    const out = await clients.stock.iam.send(new GetRolePolicyCommand({ RoleName: roleName('stock'), PolicyName: 'read-bucket' }));
    const doc = out.PolicyDocument!;
    expect(doc.startsWith('%7B')).toBe(false);
    expect(doc).toContain("'Version': '2012-10-17'");
    expect(() => JSON.parse(decodeURIComponent(doc))).toThrow(SyntaxError);
  });

  test('patched moto returns the URL-encoded JSON document GetRolePolicy returns on AWS', async () => {
    const out = await clients.patched.iam.send(new GetRolePolicyCommand({ RoleName: roleName('patched'), PolicyName: 'read-bucket' }));
    const doc = out.PolicyDocument!;
    expect(doc.startsWith('%7B')).toBe(true); // "{" URL-encoded
    expect(JSON.parse(decodeURIComponent(doc))).toEqual(READ_POLICY);
  });

  test('a stack update replaces the inline policies and the trust policy', async () => {
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.AppRole.Properties = {
      AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com'),
      Policies: [{ PolicyName: 'write-bucket', PolicyDocument: WRITE_POLICY }],
    };
    const names = {} as Record<Flavour, string[]>;
    const trusts = {} as Record<Flavour, unknown>;
    for (const flavour of FLAVOURS) {
      const { cfn, iam } = clients[flavour];
      expect(await updateStack(cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
      names[flavour] = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName(flavour) }))).PolicyNames ?? [];
      const role = await iam.send(new GetRoleCommand({ RoleName: roleName(flavour) }));
      trusts[flavour] = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!));
    }
    expect(names.stock).toEqual(['read-bucket']);
    expect(trusts.stock).toEqual(trust('ecs.amazonaws.com'));

    expect(names.patched).toEqual(['write-bucket']);
    expect(trusts.patched).toEqual(trust('ecs-tasks.amazonaws.com'));
    const out = await clients.patched.iam.send(new GetRolePolicyCommand({ RoleName: roleName('patched'), PolicyName: 'write-bucket' }));
    expect(JSON.parse(decodeURIComponent(out.PolicyDocument!))).toEqual(WRITE_POLICY);
  });
});
