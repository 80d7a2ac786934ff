/**
 * Lifecycle on moto: whatever a learner did to the ECS app lab, `reset`
 * re-arms it and `destroy` leaves the region's listing as it was before the
 * lab. One moto, one lab, reset in-process between cases. The cases are the
 * stuck labs outside graders found: a table resource policy that outlived the
 * table (R3: the rebuilt lab did not arm), a DynamoDB gateway endpoint left
 * in the deleted VPC (R4), and set-default-policy-version on the default
 * version of a learner's policy (issue 11).
 */
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand } from '@aws-sdk/client-iam';
import { DescribeTableCommand, PutResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { listStackResources, physicalIdsOfType } from '../../../lib/engines/cfn/stack-state';
import { awsCli, useLab } from '../../../test/support/lab';
import { expectDestroyLeavesRegionAsBefore, expectResetRearms } from '../../../test/support/lifecycle';
import scenario from '..';

const lab = useLab(scenario);

async function labResources() {
  const resources = await listStackResources(lab.ctx.clients.cloudformation, lab.ctx.stackName);
  const [table] = physicalIdsOfType(resources, 'AWS::DynamoDB::Table');
  const [vpcId] = physicalIdsOfType(resources, 'AWS::EC2::VPC');
  return {
    table,
    vpcId,
    routeTableIds: physicalIdsOfType(resources, 'AWS::EC2::RouteTable'),
    roles: physicalIdsOfType(resources, 'AWS::IAM::Role'),
  };
}

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function dynamodbGatewayEndpoint(): Promise<void> {
  const r = await labResources();
  await lab.ctx.clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: r.vpcId,
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.us-east-1.dynamodb',
      RouteTableIds: r.routeTableIds,
    }),
  );
}

describe('reset re-arms after', () => {
  test('a table resource policy granting every role dynamodb:* (R3), and a DynamoDB gateway endpoint (R4)', async () => {
    const r = await labResources();
    const arn = (await lab.ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: r.table }))).Table!.TableArn!;
    await lab.ctx.clients.dynamodb.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'dynamodb:*', Resource: arn }]),
      }),
    );
    await dynamodbGatewayEndpoint();
    await expectResetRearms(scenario, lab.ctx);
  });

  test('a learner policy with a second version, set-default-policy-version on the default one (aws CLI), attached to every lab role', async () => {
    const r = await labResources();
    const iam = lab.ctx.clients.iam;
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: `${lab.ctx.stackName}-orders-read`,
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }]),
      }),
    );
    const arn = created.Policy!.Arn!;
    await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }]) }),
    );
    await awsCli(lab.endpoint, ['iam', 'set-default-policy-version', '--policy-arn', arn, '--version-id', 'v1']);
    for (const role of r.roles) await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
    await expectResetRearms(scenario, lab.ctx);
  });
});

describe('destroy', () => {
  test('after a DynamoDB gateway endpoint, destroy leaves the region as it was (R4)', async () => {
    await dynamodbGatewayEndpoint();
    await expectDestroyLeavesRegionAsBefore(scenario, lab.ctx);
  });
});
