/**
 * Lifecycle on moto: whatever a learner did to the orders service lab,
 * `reset` re-arms it (the variant's criteria fail again) and `destroy` leaves
 * the region's listing as it was before the lab. One moto, two labs (their
 * sequences run one after the other): subnet-acl (the lab arm.ts changes most: a network ACL of its
 * own on the third subnet) and security-group (the release's own security
 * group). Random learner sequences drawn from a seeded catalogue of SDK calls
 * (task-definition revisions, UpdateService, the target group and listener,
 * security groups, network ACLs, the execution role, the stack), each
 * followed by an in-process reset, then one sequence followed by destroy.
 * The catalogue reads the lab as a learner would (stack resources, Describe
 * calls), so it works on either variant.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  NetworkAcl,
  ReplaceNetworkAclAssociationCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import {
  AddTagsCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { listStackResources, physicalIdByLogicalPrefix, physicalIdsOfType } from '../../../lib/engines/cfn/stack-state';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { ignoring } from '../../../lib/toolkit/aws-errors';
import { awsCli, useLab, useMoto } from '../../../test/support/lab';
import {
  SharedModel,
  deleteStackAction,
  labAction,
  roleActions,
  securityGroupActions,
  sharedInitial,
} from '../../../test/support/learner-actions';
import {
  LifecycleModelOptions,
  expectEverySequenceResets,
  expectSequenceThenDestroyLeavesRegionAsBefore,
  lifecycleSeed,
} from '../../../test/support/lifecycle';
import scenario from '..';

const moto = useMoto();
const labs = {
  'subnet-acl': useLab(scenario, { variant: 'subnet-acl', learner: 'lc-acl', moto }),
  'security-group': useLab(scenario, { variant: 'security-group', learner: 'lc-sg', moto }),
};

/** The lab as a learner finds it with list-stack-resources and Describe calls. */
async function labFacts(ctx: ScenarioContext) {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const byPrefix = (prefix: string, type: string) => physicalIdByLogicalPrefix(resources, prefix, type)!;
  const cluster = physicalIdsOfType(resources, 'AWS::ECS::Cluster')[0];
  const service = physicalIdsOfType(resources, 'AWS::ECS::Service')[0];
  const svc = (await ctx.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services![0];
  const appSubnets = [1, 2, 3].map((i) => byPrefix(`LabVpcappSubnet${i}Subnet`, 'AWS::EC2::Subnet'));
  const edgeSubnets = [1, 2, 3].map((i) => byPrefix(`LabVpcedgeSubnet${i}Subnet`, 'AWS::EC2::Subnet'));
  return {
    vpcId: physicalIdsOfType(resources, 'AWS::EC2::VPC')[0],
    cluster,
    service,
    svc,
    targetGroupArn: physicalIdsOfType(resources, 'AWS::ElasticLoadBalancingV2::TargetGroup')[0],
    loadBalancerArn: physicalIdsOfType(resources, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0],
    lbSg: byPrefix('LoadBalancerSg', 'AWS::EC2::SecurityGroup'),
    appSg: byPrefix('AppSg', 'AWS::EC2::SecurityGroup'),
    /** The group on the tasks now (the release's own group in the security-group variant). */
    taskSg: svc.networkConfiguration!.awsvpcConfiguration!.securityGroups![0],
    appSubnets,
    edgeSubnets,
    executionRole: physicalIdsOfType(resources, 'AWS::IAM::Role')[0],
    firstRevision: physicalIdsOfType(resources, 'AWS::ECS::TaskDefinition')[0],
  };
}

const elb = (ctx: ScenarioContext) => ctx.clients.client(ElasticLoadBalancingV2Client);

async function updateService(ctx: ScenarioContext, input: Omit<UpdateServiceCommandInput, 'cluster' | 'service'>): Promise<void> {
  const f = await labFacts(ctx);
  await ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: f.cluster, service: f.service, ...input }));
}

/** A new revision of what the service runs, with the app container's environment edited; its family:revision. */
async function registerRevision(ctx: ScenarioContext, env: Record<string, string | undefined>, cpu?: string): Promise<string> {
  const f = await labFacts(ctx);
  const td = (await ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: f.svc.taskDefinition }))).taskDefinition!;
  const [app, ...rest] = td.containerDefinitions!;
  const environment = (app.environment ?? []).filter((e) => !(e.name! in env));
  for (const [name, value] of Object.entries(env)) if (value !== undefined) environment.push({ name, value });
  const out = await ctx.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: td.family,
      containerDefinitions: [{ ...app, environment }, ...rest],
      executionRoleArn: td.executionRoleArn,
      taskRoleArn: td.taskRoleArn,
      networkMode: td.networkMode,
      requiresCompatibilities: td.requiresCompatibilities,
      cpu: cpu ?? td.cpu,
      memory: cpu ? String(Number(cpu) * 2) : td.memory,
    }),
  );
  return `${out.taskDefinition!.family}:${out.taskDefinition!.revision}`;
}

/** The network ACL on a subnet now (the restricted one on the third app subnet in subnet-acl, else the VPC's default). */
async function aclOf(ctx: ScenarioContext, subnetId: string): Promise<NetworkAcl> {
  const out = await ctx.clients.ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  return out.NetworkAcls![0];
}

async function defaultAcl(ctx: ScenarioContext, vpcId: string): Promise<NetworkAcl> {
  const out = await ctx.clients.ec2.send(
    new DescribeNetworkAclsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'default', Values: ['true'] },
      ],
    }),
  );
  return out.NetworkAcls![0];
}

async function reassociate(ctx: ScenarioContext, subnetId: string, aclId: string): Promise<void> {
  const current = await aclOf(ctx, subnetId);
  if (current.NetworkAclId === aclId) return;
  const association = current.Associations!.find((a) => a.SubnetId === subnetId)!.NetworkAclAssociationId;
  await ctx.clients.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: aclId }));
}

/** What the sequence did so far, to keep each action one AWS would accept. */
interface Model extends SharedModel {
  releaseDeregistered: boolean;
  learnerAcl: boolean;
  learnerTargetGroup: boolean;
  openRuleOnTaskSg: boolean;
  replyRule: boolean;
}
const initial = (): Model => ({
  ...sharedInitial(),
  releaseDeregistered: false,
  learnerAcl: false,
  learnerTargetGroup: false,
  openRuleOnTaskSg: false,
  replyRule: false,
});

async function deregisterRelease(m: Model, ctx: ScenarioContext): Promise<void> {
  const f = await labFacts(ctx);
  await ctx.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: f.svc.taskDefinition }));
  m.releaseDeregistered = true;
}

/** A target group of the learner's behind a listener rule, and the service moved onto it (CloudFormation knows neither). */
async function learnerTargetGroup(m: Model, ctx: ScenarioContext): Promise<void> {
  const f = await labFacts(ctx);
  const tg = await elb(ctx).send(
    new CreateTargetGroupCommand({
      Name: `${ctx.stackName.slice(0, 20).replace(/-+$/, '')}-v2`,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: f.vpcId,
      TargetType: 'ip',
      HealthCheckPath: '/health',
    }),
  );
  const tgArn = tg.TargetGroups![0].TargetGroupArn!;
  const listeners = await elb(ctx).send(new DescribeListenersCommand({ LoadBalancerArn: f.loadBalancerArn }));
  await elb(ctx).send(
    new CreateRuleCommand({
      ListenerArn: listeners.Listeners![0].ListenerArn,
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', Values: ['/v2/*'] }],
      Actions: [{ Type: 'forward', TargetGroupArn: tgArn }],
    }),
  );
  await updateService(ctx, { loadBalancers: [{ targetGroupArn: tgArn, containerName: 'app', containerPort: 8080 }] });
  m.learnerTargetGroup = true;
}

/** A network ACL of the learner's (VPC traffic both ways), on every app subnet. */
async function learnerAcl(m: Model, ctx: ScenarioContext): Promise<void> {
  const f = await labFacts(ctx);
  const acl = await ctx.clients.ec2.send(
    new CreateNetworkAclCommand({
      VpcId: f.vpcId,
      TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'Name', Value: `${ctx.stackName}-learner` }] }],
    }),
  );
  const id = acl.NetworkAcl!.NetworkAclId!;
  for (const Egress of [false, true])
    await ctx.clients.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: id,
        RuleNumber: 100,
        Egress,
        Protocol: '-1',
        RuleAction: 'allow',
        CidrBlock: '10.43.0.0/16',
      }),
    );
  for (const subnet of f.appSubnets) await reassociate(ctx, subnet, id);
  m.learnerAcl = true;
}

const action = labAction<Model>;

const catalogue = () => [
  // ---- task-definition revisions and the service
  action(
    'register-task-definition the release with HEALTH_PATH and PORT dropped, update-service onto it by family:revision',
    async (_m, ctx) => {
      await updateService(ctx, { taskDefinition: await registerRevision(ctx, { HEALTH_PATH: undefined, PORT: undefined }) });
    },
  ),
  action('register-task-definition a revision with cpu 512 / memory 1024 (not deployed)', async (_m, ctx) => {
    await registerRevision(ctx, {}, '512');
  }),
  action('deregister-task-definition the revision the service runs (the release)', deregisterRelease, (m) => !m.releaseDeregistered),
  action('update-service --task-definition the first revision (back to 1.4.2)', async (_m, ctx) => {
    await updateService(ctx, { taskDefinition: (await labFacts(ctx)).firstRevision });
  }),
  action('update-service --desired-count 0', async (_m, ctx) => updateService(ctx, { desiredCount: 0 })),
  action('update-service --desired-count 6 --force-new-deployment', async (_m, ctx) => {
    await updateService(ctx, { desiredCount: 6, forceNewDeployment: true });
  }),
  action('update-service --force-new-deployment (aws CLI)', async (_m, ctx) => {
    const f = await labFacts(ctx);
    await awsCli(ctx.target.endpoint!, ['ecs', 'update-service', '--cluster', f.cluster, '--service', f.service, '--force-new-deployment']);
  }),
  action('update-service with the circuit breaker off and minimumHealthyPercent 0', async (_m, ctx) => {
    await updateService(ctx, {
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        minimumHealthyPercent: 0,
        maximumPercent: 200,
      },
    });
  }),
  action('update-service --network-configuration: two subnets only, public IP on', async (_m, ctx) => {
    const f = await labFacts(ctx);
    const net = f.svc.networkConfiguration!.awsvpcConfiguration!;
    await updateService(ctx, {
      networkConfiguration: { awsvpcConfiguration: { ...net, subnets: f.appSubnets.slice(0, 2), assignPublicIp: 'ENABLED' } },
    });
  }),
  action('ecs tag-resource on the service and elbv2 add-tags on the target group', async (_m, ctx) => {
    const f = await labFacts(ctx);
    await ctx.clients.ecs.send(new TagResourceCommand({ resourceArn: f.svc.serviceArn, tags: [{ key: 'owner', value: 'learner' }] }));
    await elb(ctx).send(new AddTagsCommand({ ResourceArns: [f.targetGroupArn], Tags: [{ Key: 'owner', Value: 'learner' }] }));
  }),
  // ---- the target group and the listener
  action('modify-target-group --health-check-path / --matcher HttpCode=200-499', async (_m, ctx) => {
    const f = await labFacts(ctx);
    await elb(ctx).send(
      new ModifyTargetGroupCommand({ TargetGroupArn: f.targetGroupArn, HealthCheckPath: '/', Matcher: { HttpCode: '200-499' } }),
    );
  }),
  action('modify-target-group --health-check-port 9090 --health-check-interval-seconds 30 (aws CLI)', async (_m, ctx) => {
    const f = await labFacts(ctx);
    await awsCli(ctx.target.endpoint!, [
      'elbv2',
      'modify-target-group',
      '--target-group-arn',
      f.targetGroupArn,
      '--health-check-port',
      '9090',
      '--health-check-interval-seconds',
      '30',
    ]);
  }),
  action(
    "create-target-group in the lab VPC, create-rule /v2/* on the lab's listener, update-service --load-balancers onto it",
    learnerTargetGroup,
    (m) => !m.learnerTargetGroup,
  ),
  // ---- security groups
  action("authorize-security-group-ingress on the tasks' group from the load balancer's group on 8080", async (_m, ctx) => {
    const f = await labFacts(ctx);
    // The app group (subnet-acl) already has that rule: AWS answers InvalidPermission.Duplicate, and the learner moves on.
    await ignoring(
      ['InvalidPermission.Duplicate'],
      ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: f.taskSg,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: f.lbSg }] }],
        }),
      ),
    );
  }),
  action(
    "authorize-security-group-ingress 0.0.0.0/0 on 8080 on the tasks' group (aws CLI)",
    async (m, ctx) => {
      const f = await labFacts(ctx);
      await awsCli(ctx.target.endpoint!, [
        'ec2',
        'authorize-security-group-ingress',
        '--group-id',
        f.taskSg,
        '--protocol',
        'tcp',
        '--port',
        '8080',
        '--cidr',
        '0.0.0.0/0',
      ]);
      m.openRuleOnTaskSg = true;
    },
    (m) => !m.openRuleOnTaskSg,
  ),
  action(
    "revoke-security-group-ingress the load balancer's rule from the app security group (a stack resource's rule)",
    async (_m, ctx) => {
      const f = await labFacts(ctx);
      const rule = [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: f.lbSg }] }];
      // Idempotent for the model: revoking a rule that is no longer there is a learner's no-op, not a new state.
      await ignoring(
        ['InvalidPermission.NotFound'],
        ctx.clients.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: f.appSg, IpPermissions: rule })),
      );
    },
  ),
  ...securityGroupActions<Model>(async (ctx) => {
    const f = await labFacts(ctx);
    return { vpcId: f.vpcId, labSg: f.taskSg };
  }),
  // ---- network ACLs
  action(
    "create-network-acl-entry egress TCP 1024-65535 to the VPC on the third app subnet's ACL",
    async (m, ctx) => {
      const f = await labFacts(ctx);
      const acl = await aclOf(ctx, f.appSubnets[2]);
      await ctx.clients.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: acl.NetworkAclId,
          RuleNumber: 120,
          Egress: true,
          Protocol: '6',
          RuleAction: 'allow',
          CidrBlock: '10.43.0.0/16',
          PortRange: { From: 1024, To: 65535 },
        }),
      );
      m.replyRule = true;
    },
    (m) => !m.replyRule && !m.learnerAcl,
  ),
  action("delete-network-acl-entry every numbered egress rule of the third app subnet's ACL", async (_m, ctx) => {
    const f = await labFacts(ctx);
    const acl = await aclOf(ctx, f.appSubnets[2]);
    for (const e of (acl.Entries ?? []).filter((x) => x.Egress && x.RuleNumber! < 32767))
      await ctx.clients.ec2.send(
        new DeleteNetworkAclEntryCommand({ NetworkAclId: acl.NetworkAclId, RuleNumber: e.RuleNumber, Egress: true }),
      );
  }),
  action('replace-network-acl-association: the third app subnet onto the VPC default ACL', async (_m, ctx) => {
    const f = await labFacts(ctx);
    await reassociate(ctx, f.appSubnets[2], (await defaultAcl(ctx, f.vpcId)).NetworkAclId!);
  }),
  action('create-network-acl <learner>, entries both ways, every app subnet associated with it', learnerAcl, (m) => !m.learnerAcl),
  action("create-network-acl-entry deny-all rule 1 inbound on the VPC's default ACL (aws CLI)", async (_m, ctx) => {
    const f = await labFacts(ctx);
    const acl = await defaultAcl(ctx, f.vpcId);
    if (acl.Entries?.some((e) => !e.Egress && e.RuleNumber === 1)) return;
    await awsCli(ctx.target.endpoint!, [
      'ec2',
      'create-network-acl-entry',
      '--network-acl-id',
      acl.NetworkAclId!,
      '--ingress',
      '--rule-number',
      '1',
      '--protocol',
      '-1',
      '--cidr-block',
      '0.0.0.0/0',
      '--rule-action',
      'deny',
    ]);
  }),
  // ---- the execution role and the stack
  ...roleActions<Model>('execution role', async (ctx) => (await labFacts(ctx)).executionRole),
  deleteStackAction<Model>(),
];

/** A fixed start for the destroy case: a learner ACL on every app subnet, a learner target group behind a listener rule, the release deregistered. */
async function tangled(m: Model, ctx: ScenarioContext): Promise<void> {
  await learnerAcl(m, ctx);
  await learnerTargetGroup(m, ctx);
  await deregisterRelease(m, ctx);
}

function options(variant: keyof typeof labs, seed: number): LifecycleModelOptions<Model> {
  return { scenario, ctx: () => labs[variant].ctx, catalogue, initial, seed, runs: 3, maxActions: 8 };
}

/**
 * Runs the labs' properties one after the other: a reset deploys through the CDK toolkit, which points
 * process.env at the target for the deploy (lib/ops/toolkit.ts), so two deploys in one process at once
 * race (one lab's deploy once went to the real CloudFormation endpoint). Every failure is reported.
 */
async function both(runs: (() => Promise<void>)[]): Promise<void> {
  const failed: string[] = [];
  for (const [i, run] of runs.entries())
    await run().catch((e: Error) => failed.push(`${['subnet-acl', 'security-group'][i]}: ${e.message}`));
  expect(failed).toEqual([]);
}

describe('model-based: random learner sequences, two variants', () => {
  const seed = lifecycleSeed(1313);
  test(
    'after every sequence of the catalogue, reset re-arms (subnet-acl and security-group)',
    () =>
      both([
        () => expectEverySequenceResets(options('subnet-acl', seed)),
        () => expectEverySequenceResets(options('security-group', seed + 7)),
      ]),
    20 * 60_000,
  );
  test(
    'after a learner ACL, a learner target group, a deregistered release and one more sequence, destroy leaves the region as it was',
    () =>
      both([
        () => expectSequenceThenDestroyLeavesRegionAsBefore({ ...options('subnet-acl', seed), prefix: tangled }),
        () => expectSequenceThenDestroyLeavesRegionAsBefore({ ...options('security-group', seed + 7), prefix: tangled }),
      ]),
    20 * 60_000,
  );
});
