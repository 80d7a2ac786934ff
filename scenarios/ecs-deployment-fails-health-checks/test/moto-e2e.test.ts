/**
 * End to end on the kit's moto, every variant: the deployed lab is broken
 * (the fault is there in live state, the checker says not fixed, status
 * derives ELB's reason), `reset` re-arms after a learner fixed it and left a
 * mess, and `destroy` leaves the region's listing as it was before the lab.
 * Valid remedies and shortcuts are the blind suite's (learner-behaviour.test.ts).
 * One moto; the four labs are deployed, reset and destroyed in parallel.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client, ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { checkScenario } from '../../../lib/ops/check';
import { deployScenario } from '../../../lib/ops/deploy';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { labContext, useMoto } from '../../../test/support/lab';
import { expectDestroyLeavesRegionAsBefore, expectResetRearms } from '../../../test/support/lifecycle';
import { failing } from '../../../test/support/report';
import scenario from '..';
import { gatherHealthCheck, HealthCheckSnapshot } from '../gather';

type Variant = 'health-path' | 'container-port' | 'security-group' | 'subnet-acl';
const VARIANTS: Variant[] = ['health-path', 'container-port', 'security-group', 'subnet-acl'];

const moto = useMoto();
const labs = new Map<Variant, ScenarioContext>();

beforeAll(async () => {
  await Promise.all(
    VARIANTS.map(async (variant) => {
      const ctx = labContext(scenario, moto.endpoint, { learner: `e2e-${variant}`, variant });
      labs.set(variant, ctx);
      await deployScenario(scenario, ctx);
    }),
  );
}, 20 * 60_000);

afterAll(() => {
  for (const ctx of labs.values()) ctx.clients.destroy();
});

const env = (td: HealthCheckSnapshot['release'], name: string) =>
  td?.containerDefinitions?.[0]?.environment?.find((e) => e.name === name)?.value;

/** Runs `fn` for every variant at once; a failure names its variant. */
async function eachVariant(fn: (variant: Variant, ctx: ScenarioContext) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(VARIANTS.map((v) => fn(v, labs.get(v)!)));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${VARIANTS[i]}: ${(r.reason as Error).message}`] : []));
  expect(failed).toEqual([]);
}

// What each variant's armed lab must show, written from the causes, not from arm.ts.
const ARMED: Record<Variant, { failing: string[]; summary: RegExp; fault: (s: HealthCheckSnapshot) => void }> = {
  'health-path': {
    failing: ['health-check-targets-app-health-endpoint', 'release-tasks-pass-health-checks'],
    summary:
      /^3 of 3 new tasks of \S+-orders:2 unhealthy in \S+: Target\.ResponseCodeMismatch \(Health checks failed with these codes: \[404\]\)$/,
    fault: (s) => {
      expect(s.targetGroup?.HealthCheckPath).toBe('/health');
      expect(env(s.release, 'HEALTH_PATH')).toBe('/healthz');
    },
  },
  'container-port': {
    failing: ['load-balancer-traffic-reaches-app-port', 'release-tasks-pass-health-checks'],
    summary: /^3 of 3 new tasks of \S+-orders:2 unhealthy in \S+: Target\.FailedHealthChecks \(Health checks failed\)$/,
    fault: (s) => {
      expect(env(s.release, 'PORT')).toBe('9090');
      expect(s.service.loadBalancers?.[0]?.containerPort).toBe(8080);
    },
  },
  'security-group': {
    failing: ['release-tasks-pass-health-checks'],
    summary: /^3 of 3 new tasks of \S+-orders:2 unhealthy in \S+: Target\.Timeout \(Request timed out\)$/,
    fault: (s) => {
      const lbSg = s.loadBalancer!.SecurityGroups![0];
      const taskSgs = s.service.networkConfiguration!.awsvpcConfiguration!.securityGroups!;
      expect(taskSgs).toHaveLength(1);
      const rules = s.securityGroups.find((g) => g.GroupId === taskSgs[0])!.IpPermissions ?? [];
      // The load balancer's group is admitted, but not on the port the app listens on.
      expect(rules.some((r) => r.UserIdGroupPairs?.some((p) => p.GroupId === lbSg))).toBe(true);
      expect(rules.some((r) => (r.FromPort ?? 0) <= 8080 && 8080 <= (r.ToPort ?? -1))).toBe(false);
    },
  },
  'subnet-acl': {
    failing: ['release-tasks-pass-health-checks'],
    summary: /^1 of 3 new tasks of \S+-orders:2 unhealthy in \S+: Target\.Timeout \(Request timed out\)$/,
    fault: (s) => {
      const subnets = s.service.networkConfiguration!.awsvpcConfiguration!.subnets!;
      expect(subnets).toHaveLength(3);
      const onDefault = subnets.map((id) => s.acls.find((a) => a.Associations?.some((x) => x.SubnetId === id))?.IsDefault);
      expect(onDefault.filter((d) => d === false)).toHaveLength(1);
    },
  },
};

test('every variant is armed: the fault is in live state, the checker says not fixed, status derives the reason', async () => {
  await eachVariant(async (variant, ctx) => {
    const s = await gatherHealthCheck(ctx);
    ARMED[variant].fault(s);
    expect(env(s.release, 'APP_VERSION')).toBe('1.5.0');
    const report = await checkScenario(scenario, ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report).sort()).toEqual([...ARMED[variant].failing].sort());
    const symptom = await scenario.symptom(ctx);
    expect(symptom.source).toBe('derived');
    expect(symptom.summary).toMatch(ARMED[variant].summary);
    expect((await scenario.verifyArmed(ctx)).armed).toBe(true);
  });
});

/** The variant's cause fixed with the SDK, as the brief allows. */
async function fix(variant: Variant, ctx: ScenarioContext, s: HealthCheckSnapshot): Promise<void> {
  const elb = ctx.clients.client(ElasticLoadBalancingV2Client);
  const lbSg = s.loadBalancer!.SecurityGroups![0];
  const cluster = s.clusterName;
  const service = s.service.serviceName!;
  switch (variant) {
    case 'health-path':
      await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: s.targetGroup!.TargetGroupArn, HealthCheckPath: '/healthz' }));
      return;
    case 'container-port': {
      const td = (await ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.release!.taskDefinitionArn })))
        .taskDefinition!;
      const app = { ...td.containerDefinitions![0] };
      app.environment = app.environment!.filter((e) => e.name !== 'PORT');
      const out = await ctx.clients.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: td.family,
          containerDefinitions: [app],
          cpu: td.cpu,
          memory: td.memory,
          networkMode: td.networkMode,
          requiresCompatibilities: td.requiresCompatibilities,
          executionRoleArn: td.executionRoleArn,
        }),
      );
      await ctx.clients.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: out.taskDefinition!.taskDefinitionArn }));
      return;
    }
    case 'security-group':
      await ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: s.service.networkConfiguration!.awsvpcConfiguration!.securityGroups![0],
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: lbSg }] }],
        }),
      );
      return;
    case 'subnet-acl': {
      const third = s.restrictedSubnetId!;
      const acl = s.acls.find((a) => a.Associations?.some((x) => x.SubnetId === third))!;
      const edge = s.loadBalancer!.AvailabilityZones!.map((z) => s.subnets.find((x) => x.SubnetId === z.SubnetId)!.CidrBlock!);
      for (const [i, cidr] of edge.entries()) {
        await ctx.clients.ec2.send(
          new CreateNetworkAclEntryCommand({
            NetworkAclId: acl.NetworkAclId,
            RuleNumber: 50 + i,
            Egress: true,
            Protocol: '6',
            RuleAction: 'allow',
            CidrBlock: cidr,
            PortRange: { From: 1024, To: 65535 },
          }),
        );
      }
      return;
    }
  }
}

/** A learner's leftovers on top of a fix: an open security group, a network ACL of their own on a subnet, a scaled service. */
async function mess(ctx: ScenarioContext, s: HealthCheckSnapshot): Promise<void> {
  const sg = await ctx.clients.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `${ctx.stackName}-debug`, Description: 'debugging', VpcId: s.vpcId }),
  );
  await ctx.clients.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: sg.GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  const acl = await ctx.clients.ec2.send(new CreateNetworkAclCommand({ VpcId: s.vpcId }));
  const firstSubnet = s.service.networkConfiguration!.awsvpcConfiguration!.subnets![0];
  const current = (
    await ctx.clients.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [firstSubnet] }] }))
  ).NetworkAcls![0];
  const association = current.Associations!.find((a) => a.SubnetId === firstSubnet)!.NetworkAclAssociationId;
  await ctx.clients.ec2.send(
    new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: acl.NetworkAcl!.NetworkAclId }),
  );
  await ctx.clients.ecs.send(
    new UpdateServiceCommand({
      cluster: s.clusterName,
      service: s.service.serviceName,
      desiredCount: 6,
      networkConfiguration: {
        awsvpcConfiguration: { ...s.service.networkConfiguration!.awsvpcConfiguration!, securityGroups: [sg.GroupId!] },
      },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
    }),
  );
}

test('reset re-arms every variant after the learner fixed it and left a mess', async () => {
  await eachVariant(async (variant, ctx) => {
    const s = await gatherHealthCheck(ctx);
    await fix(variant, ctx, s);
    // The change mattered: the lab was fixed before reset.
    expect((await checkScenario(scenario, ctx)).verdict).toBe('fixed');
    await mess(ctx, await gatherHealthCheck(ctx));
    await expectResetRearms(scenario, ctx);
    const after = await gatherHealthCheck(ctx);
    ARMED[variant].fault(after);
    expect(after.service.desiredCount).toBe(3);
    expect(after.service.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
  });
});

test('destroy leaves the region listing as it was before each lab', async () => {
  await eachVariant(async (_variant, ctx) => {
    await expectDestroyLeavesRegionAsBefore(scenario, ctx);
  });
});
