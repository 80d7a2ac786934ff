/**
 * Destroy plans before it deletes, and a step that fails is named. AWS's
 * answers come from documented shapes (EC2 DescribeVpcEndpoints,
 * DeleteVpcEndpoints, CloudFormation DescribeStacks), served to real SDK
 * clients: no emulator needed, so these run in milliseconds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyScenario } from '../ops/destroy';
import { makeContext } from '../ops/context';
import type { ScenarioDefinition } from '../scenario/types';
import { AWS_TARGET, stubbedClients } from '../../test/support/stub-clients';
import { readLabRecord, writeLabRecord } from '../targets/lab-record';
import { sweepPlannedNetwork } from './listing-sweeper';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

const scenario = { id: 'plan-lab', meta: { services: ['vpc'] } } as unknown as ScenarioDefinition;
const ACCOUNT = '123456789012';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/plan-lab/1`;
const refused = (name: string) =>
  Object.assign(new Error(`You are not authorized to perform this operation.`), { name, $metadata: { httpStatusCode: 403 } });
const endpoint = (id: string) => ({ VpcEndpointId: id, ServiceName: 'com.amazonaws.eu-west-1.s3', VpcId: 'vpc-gone', State: 'available' });

beforeEach(() => {
  process.env.BREAKFIX_HOME = mkdtempSync(join(tmpdir(), 'breakfix-plan-'));
  // The lab's record: before the lab the region had no endpoint.
  writeLabRecord(AWS_TARGET, ACCOUNT, {
    scenario: scenario.id,
    stackName: 'plan-lab',
    variant: 'v',
    baseline: { types: ['ec2:vpc-endpoint'], resources: { 'ec2:vpc-endpoint': [] }, unlisted: {} },
  });
});

/** Every command the clients were sent, by name, and a world where the stack and one learner endpoint exist. */
function world(overrides: Record<string, (input: any) => unknown>) {
  const sent: string[] = [];
  const clients = stubbedClients(AWS_TARGET, (command, input) => {
    sent.push(command);
    if (overrides[command]) return overrides[command](input);
    switch (command) {
      case 'GetCallerIdentityCommand':
        return { Account: ACCOUNT };
      case 'DescribeStacksCommand':
        return {
          Stacks: [{ StackName: 'plan-lab', StackId: STACK_ID, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Tags: [] }],
        };
      case 'ListStackResourcesCommand':
        return { StackResourceSummaries: [] };
      case 'DescribeVpcEndpointsCommand':
        return { VpcEndpoints: [endpoint('vpce-learner')] };
      case 'DescribeSecurityGroupsCommand':
        return { SecurityGroups: [] };
      case 'ListRolesCommand':
        return { Roles: [], IsTruncated: false };
      case 'ListPoliciesCommand':
        return { Policies: [], IsTruncated: false };
      case 'ListInstanceProfilesCommand':
        return { InstanceProfiles: [], IsTruncated: false };
      default:
        throw new Error(`unexpected ${command}`);
    }
  });
  return { sent, ctx: makeContext({ scenario, target: AWS_TARGET, variant: 'v', clients }) };
}

test('a listing refused while planning fails destroy before anything is deleted, and says so', async () => {
  const { sent, ctx } = world({ DescribeVpcEndpointsCommand: () => Promise.reject(refused('UnauthorizedOperation')) });
  await expect(destroyScenario(scenario, ctx)).rejects.toMatchObject({
    code: 'plan-failed',
    message: expect.stringMatching(
      /^Could not plan the removal of plan-lab, so nothing was deleted: listing ec2:vpc-endpoint failed \(UnauthorizedOperation/,
    ),
  });
  expect(sent.filter((c) => /^(Delete|Revoke|Detach|Disassociate|Release|Update|Modify)/.test(c))).toEqual([]);
  expect(readLabRecord(AWS_TARGET, ACCOUNT, 'plan-lab')).toBeDefined();
});

test('with the stack gone, a planned endpoint whose delete is refused is named as remaining, with why; the record stays', async () => {
  const { ctx } = world({
    DescribeStacksCommand: () => ({ Stacks: [] }),
    DeleteVpcEndpointsCommand: () => Promise.reject(refused('UnauthorizedOperation')),
  });
  await expect(destroyScenario(scenario, ctx)).rejects.toMatchObject({
    code: 'leftovers',
    message: expect.stringContaining('VPC endpoint vpce-learner (com.amazonaws.eu-west-1.s3, VPC vpc-gone) (UnauthorizedOperation'),
  });
  expect(readLabRecord(AWS_TARGET, ACCOUNT, 'plan-lab')).toBeDefined();
});

test('the sweep deletes in dependency order, counts not-found as done, and reports a delete AWS lists as Unsuccessful', async () => {
  const calls: string[] = [];
  const clients = stubbedClients(AWS_TARGET, (command, input) => {
    calls.push(`${command} ${JSON.stringify(input)}`);
    if (command === 'DescribeSecurityGroupsCommand') return { SecurityGroups: [] };
    if (command === 'DeleteSecurityGroupCommand')
      return Promise.reject(Object.assign(new Error('The security group does not exist'), { name: 'InvalidGroup.NotFound' }));
    if (command === 'DeleteVpcEndpointsCommand')
      return input.VpcEndpointIds[0] === 'vpce-stuck'
        ? { Unsuccessful: [{ ResourceId: 'vpce-stuck', Error: { Code: 'DependencyViolation', Message: 'in use' } }] }
        : { Unsuccessful: [] };
    throw new Error(`unexpected ${command}`);
  });
  const out = await sweepPlannedNetwork(clients.ec2, [
    { type: 'ec2:security-group', resource: { line: 'security group sg-1 learner (VPC vpc-1)', id: 'sg-1', vpc: 'vpc-1' } },
    { type: 'ec2:vpc-endpoint', resource: { line: 'VPC endpoint vpce-ok', id: 'vpce-ok' } },
    { type: 'ec2:vpc-endpoint', resource: { line: 'VPC endpoint vpce-stuck', id: 'vpce-stuck' } },
  ]);
  expect(out).toEqual({
    removed: ['VPC endpoint vpce-ok (created outside the stack)', 'security group sg-1 learner (VPC vpc-1) (created outside the stack)'],
    failed: ['VPC endpoint vpce-stuck (Error: DependencyViolation: in use)'],
  });
  // Endpoints before groups: an endpoint's group cannot go while the endpoint holds it.
  expect(calls.findIndex((c) => c.startsWith('DeleteVpcEndpoints'))).toBeLessThan(
    calls.findIndex((c) => c.startsWith('DeleteSecurityGroup')),
  );
});

test("a learner's target group is deleted by its ARN, before the networking it sat in; without an ELB client it is reported, not skipped", async () => {
  const tgArn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/lab-v2/0123456789abcdef';
  const calls: string[] = [];
  const clients = stubbedClients(AWS_TARGET, (command, input) => {
    calls.push(`${command} ${JSON.stringify(input)}`);
    if (command === 'DeleteTargetGroupCommand' || command === 'DeleteVpcCommand') return {};
    throw new Error(`unexpected ${command}`);
  });
  const planned = [
    { type: 'ec2:vpc', resource: { line: 'VPC vpc-1', id: 'vpc-1' } },
    { type: 'elbv2:target-group', resource: { line: 'target group lab-v2 (VPC vpc-1)', id: tgArn, name: 'lab-v2' } },
  ];
  const out = await sweepPlannedNetwork(clients.ec2, planned, clients.client(ElasticLoadBalancingV2Client));
  expect(out).toEqual({
    removed: ['target group lab-v2 (VPC vpc-1) (created outside the stack)', 'VPC vpc-1 (created outside the stack)'],
    failed: [],
  });
  expect(calls[0]).toBe(`DeleteTargetGroupCommand ${JSON.stringify({ TargetGroupArn: tgArn })}`);
  const without = await sweepPlannedNetwork(clients.ec2, planned.slice(1));
  expect(without.failed).toEqual(['target group lab-v2 (VPC vpc-1) (Error: no Elastic Load Balancing client to delete it with)']);
});
