/**
 * Everything a lab's stack creates goes with the stack: for every scenario
 * (every variant the embedded emulator runs), the region's listing after
 * CreateStack + DeleteStack equals the listing before, except what the
 * template itself retains (DeletionPolicy Retain). Covers the deletion
 * patches together, among them patch_ec2_vpc_endpoint_route_tables (deleted
 * endpoints leave the listing), patch_iam_managed_policy_cfn (the policy goes
 * with its stack), patch_ec2_route_table_cfn_delete,
 * patch_ec2_internet_gateway_cfn_delete, patch_ecs_cfn_delete and
 * patch_ec2_vpc_endpoint_cfn.
 *
 * AWS sources: "Delete a stack" (CloudFormation User Guide: every resource
 * without a Retain policy is deleted), "DeletionPolicy attribute"
 * (CloudFormation User Guide), "DeleteVpcEndpoints" (Amazon EC2 API
 * Reference).
 */
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeInternetGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeClustersCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import {
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App } from 'aws-cdk-lib';
import { addScenarioStack } from '../../lib/app/build-app';
import { SCENARIOS } from '../support/catalog';
import { clientConfig, useMoto, waitForStack } from './cfn-harness';

type Listing = Record<string, string[]>;

interface Clients {
  cfn: CloudFormationClient;
  ec2: EC2Client;
  ecs: ECSClient;
  ecr: ECRClient;
  iam: IAMClient;
  logs: CloudWatchLogsClient;
  ddb: DynamoDBClient;
  s3: S3Client;
  lambda: LambdaClient;
  ssm: SSMClient;
}

function clientsFor(endpoint: string): Clients {
  const config = clientConfig(endpoint);
  return {
    cfn: new CloudFormationClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    iam: new IAMClient(config),
    logs: new CloudWatchLogsClient(config),
    ddb: new DynamoDBClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    lambda: new LambdaClient(config),
    ssm: new SSMClient(config),
  };
}

/** What the region holds, by type, as a learner's `aws ... describe/list` would show it. */
async function listing(c: Clients): Promise<Listing> {
  const sorted = (xs: (string | undefined)[]) => xs.filter((x): x is string => !!x).sort();
  const rts = (await c.ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? [];
  const roles = (await c.iam.send(new ListRolesCommand({}))).Roles ?? [];
  const clusters = (await c.ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  const active = clusters.length
    ? ((await c.ecs.send(new DescribeClustersCommand({ clusters }))).clusters ?? []).filter((k) => k.status === 'ACTIVE')
    : [];
  const services: string[] = [];
  for (const k of active) services.push(...((await c.ecs.send(new ListServicesCommand({ cluster: k.clusterArn }))).serviceArns ?? []));
  const inline: string[] = [];
  const attached: string[] = [];
  for (const r of roles) {
    inline.push(
      ...((await c.iam.send(new ListRolePoliciesCommand({ RoleName: r.RoleName }))).PolicyNames ?? []).map((p) => `${r.RoleName}/${p}`),
    );
    attached.push(
      ...((await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: r.RoleName }))).AttachedPolicies ?? []).map(
        (p) => `${r.RoleName}/${p.PolicyArn}`,
      ),
    );
  }
  return {
    vpcs: sorted(((await c.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((v) => v.VpcId)),
    subnets: sorted(((await c.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => s.SubnetId)),
    routeTables: sorted(rts.map((t) => t.RouteTableId)),
    routes: sorted(
      rts.flatMap((t) =>
        (t.Routes ?? []).map((r) => `${t.RouteTableId} ${r.DestinationCidrBlock ?? r.DestinationPrefixListId} ${r.GatewayId ?? ''}`),
      ),
    ),
    securityGroups: sorted(((await c.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((g) => g.GroupId)),
    vpcEndpoints: sorted(
      ((await c.ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? []).map((e) => `${e.VpcEndpointId} ${e.State}`),
    ),
    internetGateways: sorted(
      ((await c.ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways ?? []).map((g) => g.InternetGatewayId),
    ),
    networkInterfaces: sorted(
      ((await c.ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId),
    ),
    ecsClusters: sorted(active.map((k) => k.clusterArn)),
    ecsServices: sorted(services),
    taskDefinitions: sorted((await c.ecs.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE' }))).taskDefinitionArns ?? []),
    ecrRepositories: sorted(((await c.ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []).map((r) => r.repositoryName)),
    roles: sorted(roles.map((r) => r.RoleName)),
    inlinePolicies: sorted(inline),
    attachedPolicies: sorted(attached),
    customerPolicies: sorted(((await c.iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map((p) => p.Arn)),
    logGroups: sorted(((await c.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName)),
    tables: sorted((await c.ddb.send(new ListTablesCommand({}))).TableNames ?? []),
    buckets: sorted(((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name)),
    functions: sorted(((await c.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName)),
    parameters: sorted(((await c.ssm.send(new DescribeParametersCommand({}))).Parameters ?? []).map((p) => p.Name)),
  };
}

/** Per type, what `after` holds that `before` did not. */
function leftovers(before: Listing, after: Listing): Listing {
  const out: Listing = {};
  for (const [type, items] of Object.entries(after)) {
    const extra = items.filter((i) => !before[type].includes(i));
    if (extra.length) out[type] = extra;
  }
  return out;
}

interface Case {
  readonly id: string;
  readonly variant: string;
  readonly template: { Resources: Record<string, { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> }> };
}

/** Every scenario and every variant the embedded emulator runs, synthesized for it. */
const CASES: Case[] = SCENARIOS.flatMap((scenario) =>
  scenario.meta.variants
    .filter((v) => !v.targets || v.targets.includes('moto'))
    .map((v) => {
      const app = new App();
      const stack = addScenarioStack(app, { scenario, targetKind: 'moto', variant: v.id, region: 'us-east-1' });
      const template = app.synth().getStackByName(stack.stackName).template as Case['template'];
      return { id: scenario.id, variant: v.id, template };
    }),
);

/** Table names the template keeps on purpose (DeletionPolicy Retain). */
function retained(template: Case['template']): Listing {
  const tables = Object.values(template.Resources)
    .filter((r) => r.DeletionPolicy === 'Retain' && r.Type === 'AWS::DynamoDB::Table')
    .map((r) => String(r.Properties?.TableName));
  return tables.length ? { tables } : {};
}

async function createThenDelete(c: Clients, name: string, template: Case['template']): Promise<{ status: string; deleteError?: string }> {
  await c.cfn.send(
    new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
  );
  const status = await waitForStack(c.cfn, name);
  try {
    await c.cfn.send(new DeleteStackCommand({ StackName: name }));
    return { status };
  } catch (err) {
    return { status, deleteError: (err as Error).name };
  }
}

test('the cases cover every scenario', () => {
  expect(new Set(CASES.map((c) => c.id))).toEqual(new Set(SCENARIOS.map((s) => s.id)));
});

describe('patched moto', () => {
  const c = useMoto({}, clientsFor);

  test.each(CASES.map((k) => [k.id, k.variant, k] as const))(
    '%s (%s): after DeleteStack the region lists what it listed before, plus only what the template retains',
    async (id, variant, k) => {
      const before = await listing(c);
      const outcome = await createThenDelete(c, `${id}-${variant}`.slice(0, 120), k.template);
      expect(outcome).toEqual({ status: 'CREATE_COMPLETE' });
      expect(leftovers(before, await listing(c))).toEqual(retained(k.template));
    },
  );
});

describe('stock moto', () => {
  const c = useMoto({ stock: true }, clientsFor);

  test('leaves the VPC endpoints of the fargate lab listed after its stack is deleted (patches still needed)', async () => {
    const k = CASES.find((x) => x.id === 'fargate-cannot-pull-image')!;
    const before = await listing(c);
    await createThenDelete(c, 'stock-fargate', k.template);
    expect(leftovers(before, await listing(c)).vpcEndpoints?.length ?? 0).toBeGreaterThan(0);
  });

  test('leaves the permissions-boundary policy behind after its stack is deleted (patch still needed)', async () => {
    const k = CASES.find((x) => x.variant === 'permissions-boundary')!;
    const before = await listing(c);
    await createThenDelete(c, 'stock-boundary', k.template);
    expect(leftovers(before, await listing(c)).customerPolicies?.length ?? 0).toBe(1);
  });
});
