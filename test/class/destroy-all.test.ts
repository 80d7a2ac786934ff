/**
 * `destroy --all [--learner NAME]` on a real moto: labs are found by their
 * tags, each goes with what the learner created inside it (here: the S3
 * gateway endpoint of a fix), another learner's labs stay until asked, and
 * afterwards nothing breakfix or the learners created is left.
 */
import { CreateStackCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { TAG_MANAGED, TAG_SCENARIO } from '../../lib/scenario/naming';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { AwsClients } from '../../lib/targets/clients';
import { LAB_RESOURCE_TYPES } from '../../lib/ops/destroy-all';
import type { ScenarioContext } from '../../lib/scenario/types';
import { SCENARIOS } from '../support/catalog';
import { startTestMoto, TestMoto } from '../support/moto';
import { isolateBreakfixHome } from '../support/lab';
import { cleanEnv, expectOneErrorLine, runMain } from '../cli/harness';
import { deployFor, fixFargate } from './helpers';

const S3_LAB = SCENARIOS.find((s) => s.id === 's3-delete-access-denied')!;

let moto: TestMoto;
let clients: AwsClients;
let ana: ScenarioContext;
let endpointId: string;
let baseline: Inventory;

/** Everything a lab or a learner could have left, in the account/region, by kind. */
type Inventory = Record<string, string[]>;
async function inventory(): Promise<Inventory> {
  const ec2 = clients.ec2;
  const nonDefaultVpcs = ((await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).filter((v) => !v.IsDefault).map((v) => v.VpcId!);
  return {
    stacks: ((await clients.cloudformation.send(new ListStacksCommand({}))).StackSummaries ?? [])
      .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
      .map((s) => s.StackName!),
    vpcs: nonDefaultVpcs,
    subnets: ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [])
      .filter((s) => nonDefaultVpcs.includes(s.VpcId!))
      .map((s) => s.SubnetId!),
    routeTables: ((await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? [])
      .filter((r) => nonDefaultVpcs.includes(r.VpcId!))
      .map((r) => r.RouteTableId!),
    securityGroups: ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [])
      .filter((g) => nonDefaultVpcs.includes(g.VpcId!))
      .map((g) => g.GroupId!),
    vpcEndpoints: ((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [])
      .filter((e) => !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase()))
      .map((e) => e.VpcEndpointId!),
    natGateways: ((await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [])
      .filter((n) => n.State !== 'deleted')
      .map((n) => n.NatGatewayId!),
    internetGateways: ((await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways ?? [])
      .filter((g) => g.Attachments?.some((a) => nonDefaultVpcs.includes(a.VpcId!)))
      .map((g) => g.InternetGatewayId!),
    ecrRepositories: ((await clients.ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []).map((r) => r.repositoryName!),
    // Deleted clusters stay listed as INACTIVE for a while, on AWS as on moto.
    ecsClusters: await activeClusters(),
    iamRoles: ((await clients.iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName!),
    iamPolicies: ((await clients.iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map((p) => p.PolicyName!),
    buckets: ((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!),
    logGroups: ((await clients.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName!),
    tables: (await clients.dynamodb.send(new ListTablesCommand({}))).TableNames ?? [],
    // Per service: moto's unfiltered GetResources fails on some resource types.
    tagged: (
      await Promise.all(
        LAB_RESOURCE_TYPES.map((t) =>
          clients.tagging.send(
            new GetResourcesCommand({ TagFilters: [{ Key: 'breakfix:managed', Values: ['true'] }], ResourceTypeFilters: [t] }),
          ),
        ),
      )
    ).flatMap((o) => (o.ResourceTagMappingList ?? []).map((r) => r.ResourceARN!)),
  };
}

async function activeClusters(): Promise<string[]> {
  const arns = (await clients.ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  if (arns.length === 0) return [];
  return ((await clients.ecs.send(new DescribeClustersCommand({ clusters: arns }))).clusters ?? [])
    .filter((c) => c.status === 'ACTIVE')
    .map((c) => c.clusterArn!);
}

/** What `now` holds beyond `before`. */
function added(before: Inventory, now: Inventory): Inventory {
  return Object.fromEntries(
    Object.entries(now)
      .map(([k, v]) => [k, v.filter((x) => !before[k].includes(x))])
      .filter(([, v]) => v.length > 0),
  );
}

const at = () => ['--endpoint', moto.endpoint];

beforeAll(async () => {
  isolateBreakfixHome();
  moto = await startTestMoto();
  clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });
  baseline = await inventory();
  ana = await deployFor('ana', moto.endpoint);
  await deployFor('ana', moto.endpoint, S3_LAB);
  await deployFor('ben', moto.endpoint);
  endpointId = await fixFargate(ana);
  // Three deploys: minutes on a busy machine, as in test/support/lab's setup hooks.
}, 10 * 60_000);

afterAll(async () => {
  clients?.destroy();
  ana?.clients.destroy();
  await moto?.stop();
});

test('usage: --all takes no ID, and destroy needs one or the other', async () => {
  const both = await runMain(['destroy', 'fargate-cannot-pull-image', '--all', ...at()], { env: cleanEnv() });
  expect(both.code).toBe(2);
  expectOneErrorLine(both.stderr, { matches: /takes no scenario ID/ });
  const none = await runMain(['destroy', ...at()], { env: cleanEnv() });
  expect(none.code).toBe(2);
  expectOneErrorLine(none.stderr, { matches: /needs a scenario ID, or --all/ });
  const badLearner = await runMain(['destroy', '--all', '--learner', 'Ana', ...at()], { env: cleanEnv() });
  expect(badLearner.code).toBe(2);
});

test('on real AWS it is guarded by the sandbox allow-list (exit 3)', async () => {
  const r = await runMain(['destroy', '--all', '--target', 'aws', '--region', 'us-east-1'], { env: cleanEnv() });
  expect(r.code).toBe(3);
  expectOneErrorLine(r.stderr, { matches: /Refusing to touch real AWS/ });
});

test("--learner ana removes ana's labs and her own endpoint, and leaves ben's", async () => {
  const r = await runMain(['destroy', '--all', '--learner', 'ana', ...at(), '--json'], { env: cleanEnv() });
  expect(r.stderr).not.toMatch(/^error:/m);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.destroyed.map((d: { stackName: string }) => d.stackName)).toEqual([
    'ana-fargate-cannot-pull-image',
    'ana-s3-delete-access-denied',
  ]);
  expect(out.failed).toEqual([]);
  expect(out.leftovers).toEqual([]);
  const fargate = out.destroyed.find((d: { stackName: string }) => d.stackName === 'ana-fargate-cannot-pull-image');
  expect(fargate.removed).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`VPC endpoint ${endpointId} .*created outside the stack`)),
      'CloudFormation stack ana-fargate-cannot-pull-image',
    ]),
  );
  const left = added(baseline, await inventory());
  expect(left.stacks).toEqual(['ben-fargate-cannot-pull-image']);
  expect(
    Object.values(left)
      .flat()
      .filter((x) => /(^|[/:-])ana-/.test(x)),
  ).toEqual([]);
  expect(left.vpcEndpoints ?? []).not.toContain(endpointId);
});

test('--all removes the rest; afterwards nothing is left, and a second run finds nothing', async () => {
  const r = await runMain(['destroy', '--all', ...at()], { env: cleanEnv() });
  expect(r.code).toBe(0);
  // It lists what it will remove before removing anything, then splits each report by who created what.
  expect(r.stdout.split('\n').slice(0, 2)).toEqual([
    'Will remove 1 lab(s):',
    '  - ben-fargate-cannot-pull-image (scenario fargate-cannot-pull-image, learner ben, CREATE_COMPLETE)',
  ]);
  expect(r.stdout).toMatch(
    /^Destroyed ben-fargate-cannot-pull-image \(learner ben\)\.\n {2}Removed with the stack:\n {4}- CloudFormation stack ben-fargate-cannot-pull-image$/m,
  );
  expect(added(baseline, await inventory())).toEqual({});
  const again = await runMain(['destroy', '--all', ...at()], { env: cleanEnv() });
  expect(again.code).toBe(0);
  expect(again.stdout).toBe('No breakfix labs found on moto; nothing to remove.');
});

test("a lab tagged as breakfix's but of a scenario this breakfix does not know is listed and left alone unless --include-unknown", async () => {
  const template = JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });
  await clients.cloudformation.send(
    new CreateStackCommand({
      StackName: 'zed-not-a-breakfix-scenario',
      TemplateBody: template,
      Tags: [
        { Key: TAG_MANAGED, Value: 'true' },
        { Key: TAG_SCENARIO, Value: 'not-a-breakfix-scenario' },
      ],
    }),
  );
  const kept = await runMain(['destroy', '--all', ...at()], { env: cleanEnv() });
  expect(kept.code).toBe(0);
  expect(kept.stdout).toBe(
    [
      'Leaving 1 lab(s) of scenarios this breakfix does not know (--include-unknown removes them).',
      'No breakfix labs found on moto; nothing to remove.',
      'Left alone: zed-not-a-breakfix-scenario: scenario not-a-breakfix-scenario is not one this breakfix knows; pass --include-unknown to remove it anyway',
    ].join('\n'),
  );
  expect((await inventory()).stacks).toContain('zed-not-a-breakfix-scenario');
  const removed = await runMain(['destroy', '--all', '--include-unknown', ...at(), '--json'], { env: cleanEnv() });
  expect(removed.code).toBe(0);
  expect(JSON.parse(removed.stdout)).toMatchObject({ destroyed: [{ stackName: 'zed-not-a-breakfix-scenario' }], skipped: [], failed: [] });
  expect(added(baseline, await inventory())).toEqual({});
});
