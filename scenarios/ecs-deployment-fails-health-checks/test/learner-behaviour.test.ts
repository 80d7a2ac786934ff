/**
 * Learner behaviour, graded blind: valid remedies a senior engineer might pick
 * and shortcuts that must not pass, for every variant, written from the brief
 * (README.md), scenario.json, guide 004 and AWS documentation only. One moto,
 * one lab per variant (deployed in parallel), restored between cases by
 * undoing the case's changes (learner-harness.ts); each case first proves the
 * lab armed again (the checker says not-fixed).
 *
 * Doc references used below:
 *  [TG-HC]   ELB User Guide, "Health checks for Application Load Balancer target groups"
 *            (HealthCheckPath, HealthCheckPort traffic-port, Matcher 200-499 for HTTP).
 *  [TG-RC]   same page, "Health check reason codes" (Target.ResponseCodeMismatch, Target.Timeout).
 *  [ECS-LB]  ECS Developer Guide, "Use load balancing to distribute Amazon ECS service traffic"
 *            (containerName/containerPort of the service's load balancer, awsvpc target type ip).
 *  [ECS-CB]  ECS Developer Guide, "How the Amazon ECS deployment circuit breaker detects failures".
 *  [ECS-DC]  ECS API Reference, DeploymentConfiguration (minimumHealthyPercent, maximumPercent).
 *  [ECS-TD]  ECS Developer Guide, "Amazon ECS task definition parameters" (image by digest
 *            `repository@sha256:digest`, portMappings, environment) and UpdateService's taskDefinition
 *            ("family:revision or full ARN"; family alone = latest ACTIVE revision).
 *  [ECS-NET] ECS Developer Guide, "Amazon ECS task networking options for Fargate" (assignPublicIp).
 *  [SG-LB]   ELB User Guide, "Security groups for your Application Load Balancer" (recommended rules:
 *            instance/target security group allows the load balancer's security group on the
 *            listener/health-check port).
 *  [NACL]    VPC User Guide, "Control subnet traffic with network access control lists"
 *            (stateless; ephemeral ports 1024-65535 for replies; rules evaluated lowest number first).
 *  [ECS-FND] ECS API Reference, UpdateService `forceNewDeployment` ("start a new deployment with no
 *            service definition changes"; with a new taskDefinition a deployment starts anyway).
 *  [ECS-REG] ECS API Reference, RegisterTaskDefinition (each call registers the family's next
 *            revision); AWS CLI `register-task-definition --cli-input-json file://...`.
 *  [NACL-RE] EC2 API Reference, ReplaceNetworkAclEntry ("Replaces an entry (rule) in a network ACL",
 *            same rule number and direction) and ReplaceNetworkAclAssociation.
 *  [SG-REF]  VPC User Guide, "Security group rules": a rule's source may be another security group
 *            (traffic from network interfaces that group is on), and a rule's description is free text.
 *  [CFN-UPD] CloudFormation User Guide, "Update behaviors of stack resources": an update changes only the
 *            resources whose template changed (TargetGroup HealthCheckPath: no interruption;
 *            TaskDefinition ContainerDefinitions: replacement, and the Service that refers to it is
 *            updated to the new revision; a new SecurityGroupIngress resource adds one rule).
 */
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  DeleteNetworkAclEntryCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceNetworkAclEntryCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import type { CfnService } from 'aws-cdk-lib/aws-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as h from './learner-harness';
import { describeService, elbv2, findNames, type LabNames, restore, snapshot, type Snapshot, vpcAcls } from './learner-harness';

jest.setTimeout(15 * 60_000);

type VariantId = 'health-path' | 'container-port' | 'security-group' | 'subnet-acl';
const VARIANTS: VariantId[] = ['health-path', 'container-port', 'security-group', 'subnet-acl'];

interface Lab {
  readonly variant: VariantId;
  readonly ctx: h.ScenarioContext;
  readonly n: LabNames;
  readonly armed: Snapshot;
  /** The release (1.5.0) revision the lab was armed with. */
  readonly release: string;
}

// ---------- learner actions ----------

async function releaseContainer(l: Lab): Promise<{ td: any; app: ContainerDefinition }> {
  const td = (await l.ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: l.release }))).taskDefinition!;
  return { td, app: td.containerDefinitions![0] };
}

/** Registers a new revision of the release with the container changed; returns its ARN. */
async function registerRelease(l: Lab, change: (c: ContainerDefinition) => void): Promise<string> {
  const { td, app } = await releaseContainer(l);
  const c: ContainerDefinition = JSON.parse(JSON.stringify(app));
  change(c);
  const out = await l.ctx.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: td.family,
      taskRoleArn: td.taskRoleArn,
      executionRoleArn: td.executionRoleArn,
      networkMode: td.networkMode,
      requiresCompatibilities: td.requiresCompatibilities,
      cpu: td.cpu,
      memory: td.memory,
      containerDefinitions: [c],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

function setEnv(c: ContainerDefinition, name: string, value: string | undefined): void {
  c.environment = (c.environment ?? []).filter((e) => e.name !== name);
  if (value !== undefined) c.environment.push({ name, value });
}

const envOf = (c: ContainerDefinition, name: string): string | undefined => c.environment?.find((e) => e.name === name)?.value;

async function updateService(
  l: Lab,
  input: Omit<ConstructorParameters<typeof UpdateServiceCommand>[0], 'cluster' | 'service'>,
): Promise<void> {
  await l.ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: l.n.cluster, service: l.n.service, ...input }));
}

async function deployRevision(l: Lab, ref: string): Promise<void> {
  await updateService(l, { taskDefinition: ref });
}

async function modifyTg(l: Lab, input: Omit<ConstructorParameters<typeof ModifyTargetGroupCommand>[0], 'TargetGroupArn'>): Promise<void> {
  await elbv2(l.ctx).send(new ModifyTargetGroupCommand({ TargetGroupArn: l.n.targetGroupArn, ...input }));
}

async function allowFromLbSg(l: Lab, port = 8080, toPort = port): Promise<void> {
  await l.ctx.clients.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: l.n.appSg,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: toPort, UserIdGroupPairs: [{ GroupId: l.n.lbSg }] }],
    }),
  );
}

async function allowCidr(l: Lab, cidr: string, port = 8080): Promise<void> {
  await l.ctx.clients.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: l.n.appSg,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] }],
    }),
  );
}

async function cidrsOf(l: Lab, subnets: string[]): Promise<string[]> {
  const out = await l.ctx.clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnets }));
  return out.Subnets!.map((s) => s.CidrBlock!);
}

/** The app subnets whose ACL is not the VPC's default ACL (the restricted one(s)). */
async function restrictedAcl(l: Lab): Promise<{ aclId: string; subnet: string; entries: any[] } | undefined> {
  const acls = await vpcAcls(l.ctx, l.n);
  for (const a of acls) {
    if (a.IsDefault) continue;
    const s = (a.Associations ?? []).map((x) => x.SubnetId!).find((id) => l.n.appSubnets.includes(id));
    if (s) return { aclId: a.NetworkAclId!, subnet: s, entries: a.Entries ?? [] };
  }
  return undefined;
}

/** Adds NACL rules admitting the load balancer's subnets to the app port, and replies back to them (stateless [NACL]). */
async function naclAdmitLb(l: Lab, ruleBase: number, cidrs?: string[]): Promise<void> {
  const r = await restrictedAcl(l);
  if (!r) throw new Error('no restricted app-subnet ACL found');
  const from = cidrs ?? (await cidrsOf(l, l.n.edgeSubnets));
  let i = 0;
  for (const cidr of from) {
    await l.ctx.clients.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: r.aclId,
        RuleNumber: ruleBase + i,
        Egress: false,
        Protocol: '6',
        RuleAction: 'allow',
        CidrBlock: cidr,
        PortRange: { From: 8080, To: 8080 },
      }),
    );
    await l.ctx.clients.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: r.aclId,
        RuleNumber: ruleBase + i,
        Egress: true,
        Protocol: '6',
        RuleAction: 'allow',
        CidrBlock: cidr,
        PortRange: { From: 1024, To: 65535 },
      }),
    );
    i++;
  }
}

/** The variant's cause, fixed the way the brief's "health check has to keep meaning the app is healthy" allows. */
async function canonicalFix(l: Lab): Promise<void> {
  switch (l.variant) {
    case 'health-path': {
      // The target group checks what the release serves [TG-HC].
      const { app } = await releaseContainer(l);
      await modifyTg(l, { HealthCheckPath: envOf(app, 'HEALTH_PATH') ?? '/health' });
      return;
    }
    case 'container-port': {
      // The release listens where the service and target group send traffic: drop the port change [ECS-TD].
      await deployRevision(l, await registerRelease(l, (c) => portBack(c)));
      return;
    }
    case 'security-group':
      await allowFromLbSg(l); // [SG-LB]
      return;
    case 'subnet-acl':
      await naclAdmitLb(l, 90); // [NACL]
      return;
  }
}

/** Puts a release container back on the documented default port 8080 (no PORT override, port mapping 8080). */
function portBack(c: ContainerDefinition): void {
  setEnv(c, 'PORT', undefined);
  c.portMappings = [{ containerPort: 8080, protocol: 'tcp' }];
}

/** The aws CLI against the lab, as a learner with `eval "$(breakfix env)"` would run it. */
function cli(l: Lab, args: string[]): Promise<any> {
  return h.awsCli(l.ctx.target.endpoint!, args);
}

async function vpcCidr(l: Lab): Promise<string> {
  return (await l.ctx.clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [l.n.vpcId] }))).Vpcs![0].CidrBlock!;
}

/** A stack resource's physical ID by its logical ID's prefix (what `aws cloudformation list-stack-resources` shows). */
async function stackResource(l: Lab, logicalPrefix: string): Promise<string> {
  const res = (await l.ctx.clients.cloudformation.send(new ListStackResourcesCommand({ StackName: l.n.stack }))).StackResourceSummaries!;
  return res.find((r) => r.LogicalResourceId!.startsWith(logicalPrefix))!.PhysicalResourceId!;
}

/**
 * The release's task definition as `register-task-definition --cli-input-json` takes it, changed by the
 * learner and written to a file, the way the solution's CLI path does it [ECS-REG].
 */
async function releaseInputFile(l: Lab, change: (c: ContainerDefinition) => void): Promise<string> {
  const { td, app } = await releaseContainer(l);
  const c: ContainerDefinition = JSON.parse(JSON.stringify(app));
  change(c);
  const input = {
    family: td.family,
    executionRoleArn: td.executionRoleArn,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
    containerDefinitions: [c],
    ...(td.taskRoleArn ? { taskRoleArn: td.taskRoleArn } : {}),
  };
  const file = join(mkdtempSync(join(tmpdir(), 'ecs-release-')), 'release.json');
  writeFileSync(file, JSON.stringify(input));
  return `file://${file}`;
}

/** The release's own port (its PORT variable, else its mapping), where the app of 1.5.0 listens. */
async function releasePort(l: Lab): Promise<{ port: number; name: string }> {
  const { app } = await releaseContainer(l);
  return { port: Number(envOf(app, 'PORT') ?? app.portMappings?.[0]?.containerPort ?? 8080), name: app.name! };
}

async function egressEntry(l: Lab, aclId: string, rule: number, cidr: string, from: number, to: number, action = 'allow'): Promise<void> {
  await l.ctx.clients.ec2.send(
    new CreateNetworkAclEntryCommand({
      NetworkAclId: aclId,
      RuleNumber: rule,
      Egress: true,
      Protocol: '6',
      RuleAction: action as 'allow' | 'deny',
      CidrBlock: cidr,
      PortRange: { From: from, To: to },
    }),
  );
}

// ---------- cases ----------

interface Case {
  readonly name: string;
  readonly variants?: VariantId[];
  readonly expected: 'fixed' | 'not-fixed';
  /** Criterion IDs that must be among the failing ones (shortcuts); empty = any failing criterion. */
  readonly criteria?: string[];
  readonly act: (l: Lab) => Promise<void>;
  /** Undoes what restore() cannot undo by itself (a redeployed stack), before restore runs. */
  readonly undo?: (l: Lab) => Promise<void>;
}

const RELEASE = 'service-runs-the-release';
const HC_ENDPOINT = 'health-check-targets-app-health-endpoint';
const MATCHER = 'health-check-matcher-accepts-only-success';
const CB = 'circuit-breaker-rolls-back';
const CAPACITY = 'deployment-keeps-healthy-capacity';
const PUBLIC_IP = 'tasks-have-no-public-ip';
const SG_ONLY_LB = 'task-security-groups-admit-only-load-balancer';
const ACL_KEEPS_OUT = 'restricted-subnet-acl-keeps-outside-out';
const REGISTERS = 'service-registers-with-load-balancer';
const EVERY_SUBNET = 'service-places-tasks-in-every-app-subnet';

const CASES: Case[] = [
  // ---- valid remedies ----
  { name: 'V1 the canonical fix for the cause', expected: 'fixed', act: canonicalFix }, // brief: "Get 1.5.0 running ... healthy"
  {
    name: 'V2 health-path: a corrected revision (HEALTH_PATH back to the default /health), deployed as family:revision',
    variants: ['health-path'],
    expected: 'fixed',
    // brief: the app's health endpoint is /health unless HEALTH_PATH says otherwise; [ECS-TD] family:revision
    act: async (l) => {
      const arn = await registerRelease(l, (c) => setEnv(c, 'HEALTH_PATH', undefined));
      await deployRevision(l, arn.split('/').pop()!);
    },
  },
  {
    name: 'V3 health-path: HEALTH_PATH=/health set explicitly, deployed by full ARN with the aws CLI',
    variants: ['health-path'],
    expected: 'fixed',
    // [ECS-TD] environment; UpdateService accepts the full ARN
    act: async (l) => {
      const arn = await registerRelease(l, (c) => setEnv(c, 'HEALTH_PATH', '/health'));
      await h.awsCli(l.ctx.target.endpoint!, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--task-definition',
        arn,
      ]);
    },
  },
  {
    name: 'V4 health-path: target group path changed with the aws CLI, matcher narrowed to 200-299',
    variants: ['health-path'],
    expected: 'fixed',
    // [TG-HC] Matcher 200-299 is success codes only; brief: health check keeps meaning "healthy"
    act: async (l) => {
      const { app } = await releaseContainer(l);
      await h.awsCli(l.ctx.target.endpoint!, [
        'elbv2',
        'modify-target-group',
        '--target-group-arn',
        l.n.targetGroupArn,
        '--health-check-path',
        envOf(app, 'HEALTH_PATH') ?? '/health',
        '--matcher',
        'HttpCode=200-299',
      ]);
    },
  },
  {
    name: 'V5 canonical fix plus an explicit health-check port 8080 instead of traffic-port',
    variants: ['health-path', 'security-group', 'subnet-acl'],
    expected: 'fixed',
    // [TG-HC] HealthCheckPort may be a number; 8080 is where the app listens
    act: async (l) => {
      await canonicalFix(l);
      await modifyTg(l, { HealthCheckPort: '8080' });
    },
  },
  {
    name: 'V6 corrected revision whose image is pinned by digest (repo@sha256:...), deployed by family name only',
    expected: 'fixed',
    // [ECS-TD] image "repository@digest"; UpdateService with the family alone takes the latest ACTIVE revision
    act: async (l) => {
      const arn = await registerRelease(l, (c) => {
        c.image = `${c.image!.replace(/:[^:/@]+$/, '')}@sha256:${'a1'.repeat(32)}`;
        if (l.variant === 'health-path') setEnv(c, 'HEALTH_PATH', undefined);
        if (l.variant === 'container-port') portBack(c);
      });
      expect(arn).toMatch(/:\d+$/);
      if (l.variant === 'security-group' || l.variant === 'subnet-acl') await canonicalFix(l);
      await deployRevision(l, l.n.family);
    },
  },
  {
    name: 'V7 health-check thresholds and interval tuned with the fix (still the health endpoint, success codes only)',
    expected: 'fixed',
    // [TG-HC] interval/timeout/threshold are free; the health check still means "healthy"
    act: async (l) => {
      await canonicalFix(l);
      await modifyTg(l, {
        HealthCheckIntervalSeconds: 15,
        HealthCheckTimeoutSeconds: 6,
        HealthyThresholdCount: 3,
        UnhealthyThresholdCount: 3,
      });
    },
  },
  {
    name: 'V8 container-port: keep the release on its new port and move the service mapping + target group with it',
    variants: ['container-port'],
    expected: 'fixed',
    // [ECS-LB] the service's containerPort selects the mapping; [TG-HC] traffic-port; [SG-LB] task SG admits the LB SG on that port
    act: async (l) => {
      const { app } = await releaseContainer(l);
      const port = Number(envOf(app, 'PORT') ?? app.portMappings?.[0]?.containerPort ?? 8080);
      const arn = await registerRelease(l, (c) => {
        setEnv(c, 'PORT', String(port));
        c.portMappings = [{ containerPort: port, protocol: 'tcp' }];
      });
      await allowFromLbSg(l, port);
      await updateService(l, {
        taskDefinition: arn,
        loadBalancers: [{ targetGroupArn: l.n.targetGroupArn, containerName: app.name, containerPort: port }],
      });
      await modifyTg(l, { HealthCheckPort: 'traffic-port' });
    },
  },
  {
    name: 'V9 container-port: corrected revision by family:revision via the aws CLI',
    variants: ['container-port'],
    expected: 'fixed',
    // [ECS-TD]
    act: async (l) => {
      const arn = await registerRelease(l, portBack);
      await h.awsCli(l.ctx.target.endpoint!, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--task-definition',
        arn.split('/').pop()!,
      ]);
    },
  },
  {
    name: 'V10 security-group: the rule added with the aws CLI using --source-group',
    variants: ['security-group'],
    expected: 'fixed',
    // [SG-LB]
    act: async (l) => {
      await h.awsCli(l.ctx.target.endpoint!, [
        'ec2',
        'authorize-security-group-ingress',
        '--group-id',
        l.n.appSg,
        '--protocol',
        'tcp',
        '--port',
        '8080',
        '--source-group',
        l.n.lbSg,
      ]);
    },
  },
  {
    name: 'V11 security-group: a new task security group admitting only the LB SG, swapped in on the service',
    variants: ['security-group'],
    expected: 'fixed',
    // [ECS-NET] awsvpcConfiguration.securityGroups; [SG-LB]
    act: async (l) => {
      const sg = await l.ctx.clients.ec2.send(
        new CreateSecurityGroupCommand({ GroupName: `${l.n.stack}-orders-tasks-v2`, Description: 'orders tasks', VpcId: l.n.vpcId }),
      );
      await l.ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: sg.GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: l.n.lbSg }] }],
        }),
      );
      const svc = await describeService(l.ctx, l.n);
      const net = svc.networkConfiguration!.awsvpcConfiguration!;
      await updateService(l, { networkConfiguration: { awsvpcConfiguration: { ...net, securityGroups: [sg.GroupId!] } } });
    },
  },
  {
    name: 'V12 security-group: a second security group on the tasks admitting the LB SG (rules are the union)',
    variants: ['security-group'],
    expected: 'fixed',
    // VPC User Guide, security groups: rules of all associated groups are aggregated
    act: async (l) => {
      const sg = await l.ctx.clients.ec2.send(
        new CreateSecurityGroupCommand({ GroupName: `${l.n.stack}-orders-from-lb`, Description: 'from lb', VpcId: l.n.vpcId }),
      );
      await l.ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: sg.GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: l.n.lbSg }] }],
        }),
      );
      const svc = await describeService(l.ctx, l.n);
      const net = svc.networkConfiguration!.awsvpcConfiguration!;
      await updateService(l, {
        networkConfiguration: { awsvpcConfiguration: { ...net, securityGroups: [...net.securityGroups!, sg.GroupId!] } },
      });
    },
  },
  {
    name: 'V13 subnet-acl: ACL rules admitting the whole VPC CIDR on 8080 and replies on ephemeral ports',
    variants: ['subnet-acl'],
    expected: 'fixed',
    // [NACL] the LB sits in the VPC; the brief protects "outside the VPC" (criterion title), VPC-internal is fine
    act: async (l) => {
      const { Vpcs }: any = await l.ctx.clients.ec2.send(new (require('@aws-sdk/client-ec2').DescribeVpcsCommand)({ VpcIds: [l.n.vpcId] }));
      await naclAdmitLb(l, 80, [Vpcs[0].CidrBlock]);
    },
  },
  {
    name: 'V14 subnet-acl: the fix with the aws CLI (create-network-acl-entry per LB subnet)',
    variants: ['subnet-acl'],
    expected: 'fixed',
    // [NACL]
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      const cidrs = await cidrsOf(l, l.n.edgeSubnets);
      for (const [i, cidr] of cidrs.entries()) {
        const e = l.ctx.target.endpoint!;
        await h.awsCli(e, [
          'ec2',
          'create-network-acl-entry',
          '--network-acl-id',
          r.aclId,
          '--ingress',
          '--rule-number',
          String(70 + i),
          '--protocol',
          'tcp',
          '--port-range',
          'From=8080,To=8080',
          '--cidr-block',
          cidr,
          '--rule-action',
          'allow',
        ]);
        await h.awsCli(e, [
          'ec2',
          'create-network-acl-entry',
          '--network-acl-id',
          r.aclId,
          '--egress',
          '--rule-number',
          String(70 + i),
          '--protocol',
          'tcp',
          '--port-range',
          'From=1024,To=65535',
          '--cidr-block',
          cidr,
          '--rule-action',
          'allow',
        ]);
      }
    },
  },
  {
    name: 'V15 subnet-acl: the restricted subnet moved to a new ACL with the same protections plus the LB rules',
    variants: ['subnet-acl'],
    expected: 'fixed',
    // [NACL] a subnet is associated with exactly one ACL; ReplaceNetworkAclAssociation
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      const acl = await l.ctx.clients.ec2.send(new CreateNetworkAclCommand({ VpcId: l.n.vpcId }));
      const id = acl.NetworkAcl!.NetworkAclId!;
      await h.recreateAclEntries(l.ctx, id, r.entries);
      const cidrs = await cidrsOf(l, l.n.edgeSubnets);
      for (const [i, cidr] of cidrs.entries()) {
        await l.ctx.clients.ec2.send(
          new CreateNetworkAclEntryCommand({
            NetworkAclId: id,
            RuleNumber: 60 + i,
            Egress: false,
            Protocol: '6',
            RuleAction: 'allow',
            CidrBlock: cidr,
            PortRange: { From: 8080, To: 8080 },
          }),
        );
        await l.ctx.clients.ec2.send(
          new CreateNetworkAclEntryCommand({
            NetworkAclId: id,
            RuleNumber: 60 + i,
            Egress: true,
            Protocol: '6',
            RuleAction: 'allow',
            CidrBlock: cidr,
            PortRange: { From: 1024, To: 65535 },
          }),
        );
      }
      const acls = await vpcAcls(l.ctx, l.n);
      const assoc = acls.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === r.subnet)!;
      await l.ctx.clients.ec2.send(
        new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId, NetworkAclId: id }),
      );
    },
  },

  // ---- valid remedies added by the second outside grader (issue 13: at least five per variant) ----
  {
    name: 'V20 health-path: corrected revision (HEALTH_PATH dropped) registered and shipped with the aws CLI, --force-new-deployment',
    variants: ['health-path'],
    expected: 'fixed',
    // [ECS-REG] register-task-definition --cli-input-json; [ECS-FND] update-service --force-new-deployment;
    // brief: the health endpoint is /health unless HEALTH_PATH says otherwise
    act: async (l) => {
      const input = await releaseInputFile(l, (c) => setEnv(c, 'HEALTH_PATH', undefined));
      const out = await cli(l, ['ecs', 'register-task-definition', '--cli-input-json', input]);
      await cli(l, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--task-definition',
        out.taskDefinition.taskDefinitionArn,
        '--force-new-deployment',
      ]);
    },
  },
  {
    name: 'V21 health-path: corrected revision (HEALTH_PATH=/health) shipped with the SDK and forceNewDeployment',
    variants: ['health-path'],
    expected: 'fixed',
    // [ECS-FND] forceNewDeployment alongside a new taskDefinition is harmless; [ECS-TD] environment
    act: async (l) => {
      const arn = await registerRelease(l, (c) => setEnv(c, 'HEALTH_PATH', '/health'));
      await updateService(l, { taskDefinition: arn, forceNewDeployment: true });
    },
  },
  {
    name: 'V22 health-path: target group checks the release endpoint, every health-check field stated with the aws CLI',
    variants: ['health-path'],
    expected: 'fixed',
    // [TG-HC] HealthCheckProtocol HTTP, HealthCheckPort traffic-port (the port each target registered with), Matcher 200
    act: async (l) => {
      const { app } = await releaseContainer(l);
      await cli(l, [
        'elbv2',
        'modify-target-group',
        '--target-group-arn',
        l.n.targetGroupArn,
        '--health-check-protocol',
        'HTTP',
        '--health-check-port',
        'traffic-port',
        '--health-check-path',
        envOf(app, 'HEALTH_PATH') ?? '/health',
        '--matcher',
        'HttpCode=200',
      ]);
    },
  },
  {
    name: 'V23 container-port: corrected revision (PORT dropped) registered and shipped with the aws CLI, --force-new-deployment',
    variants: ['container-port'],
    expected: 'fixed',
    // solution's CLI path: describe, edit the JSON, register-task-definition --cli-input-json, update-service [ECS-REG] [ECS-FND]
    act: async (l) => {
      const input = await releaseInputFile(l, portBack);
      const out = await cli(l, ['ecs', 'register-task-definition', '--cli-input-json', input]);
      await cli(l, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--task-definition',
        out.taskDefinition.taskDefinitionArn,
        '--force-new-deployment',
      ]);
    },
  },
  {
    name: 'V24 container-port: corrected revision with PORT=8080 stated explicitly, SDK, forceNewDeployment',
    variants: ['container-port'],
    expected: 'fixed',
    // brief: the app listens on PORT when set; 8080 is where the mapping, the service and the target group point [ECS-LB]
    act: async (l) => {
      const arn = await registerRelease(l, (c) => {
        setEnv(c, 'PORT', '8080');
        c.portMappings = [{ containerPort: 8080, protocol: 'tcp' }];
      });
      await updateService(l, { taskDefinition: arn, forceNewDeployment: true });
    },
  },
  {
    name: 'V25 container-port: keep the new port; mapping, service load balancer and LB-SG rule moved to it, health-check port stated as that number',
    variants: ['container-port'],
    expected: 'fixed',
    // [ECS-LB] containerPort selects the mapping ECS registers (IP target on that port);
    // [TG-HC] HealthCheckPort may be an explicit port; [SG-LB] the task SG admits the LB SG on it
    act: async (l) => {
      const { port, name } = await releasePort(l);
      const arn = await registerRelease(l, (c) => {
        setEnv(c, 'PORT', String(port));
        c.portMappings = [{ containerPort: port, protocol: 'tcp' }];
      });
      await allowFromLbSg(l, port);
      await updateService(l, {
        taskDefinition: arn,
        loadBalancers: [{ targetGroupArn: l.n.targetGroupArn, containerName: name, containerPort: port }],
      });
      await modifyTg(l, { HealthCheckPort: String(port) });
    },
  },
  {
    name: 'V26 container-port: keep the new port, done with the aws CLI (--source-group rule, update-service --load-balancers)',
    variants: ['container-port'],
    expected: 'fixed',
    // [SG-LB] [SG-REF] --source-group; [ECS-LB] update-service --load-balancers with the new containerPort; TG stays on traffic-port [TG-HC]
    act: async (l) => {
      const { port, name } = await releasePort(l);
      const input = await releaseInputFile(l, (c) => {
        setEnv(c, 'PORT', String(port));
        c.portMappings = [{ containerPort: port, protocol: 'tcp' }];
      });
      const out = await cli(l, ['ecs', 'register-task-definition', '--cli-input-json', input]);
      await cli(l, [
        'ec2',
        'authorize-security-group-ingress',
        '--group-id',
        l.n.appSg,
        '--protocol',
        'tcp',
        '--port',
        String(port),
        '--source-group',
        l.n.lbSg,
      ]);
      await cli(l, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--task-definition',
        out.taskDefinition.taskDefinitionArn,
        '--load-balancers',
        JSON.stringify([{ targetGroupArn: l.n.targetGroupArn, containerName: name, containerPort: port }]),
      ]);
    },
  },
  {
    name: 'V27 container-port: keep the new port, admitted by a new security group (LB SG only) added in the same update-service',
    variants: ['container-port'],
    expected: 'fixed',
    // [ECS-NET] awsvpcConfiguration.securityGroups (rules of all groups apply); [SG-LB]; [ECS-LB]
    act: async (l) => {
      const { port, name } = await releasePort(l);
      const arn = await registerRelease(l, (c) => {
        setEnv(c, 'PORT', String(port));
        c.portMappings = [{ containerPort: port, protocol: 'tcp' }];
      });
      const sg = await l.ctx.clients.ec2.send(
        new CreateSecurityGroupCommand({ GroupName: `${l.n.stack}-orders-new-port`, Description: 'orders from lb', VpcId: l.n.vpcId }),
      );
      await l.ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: sg.GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: l.n.lbSg }] }],
        }),
      );
      const net = (await describeService(l.ctx, l.n)).networkConfiguration!.awsvpcConfiguration!;
      await updateService(l, {
        taskDefinition: arn,
        loadBalancers: [{ targetGroupArn: l.n.targetGroupArn, containerName: name, containerPort: port }],
        networkConfiguration: { awsvpcConfiguration: { ...net, securityGroups: [...net.securityGroups!, sg.GroupId!] } },
      });
    },
  },
  {
    name: "V28 security-group: the release shipped with the stack's app security group instead, aws CLI --network-configuration --force-new-deployment",
    variants: ['security-group'],
    expected: 'fixed',
    // solution: "or ship with the app group"; the app group admits the LB SG on 8080 [SG-LB]; [ECS-NET] [ECS-FND]
    act: async (l) => {
      const appGroup = await stackResource(l, 'AppSg');
      const net = (await describeService(l.ctx, l.n)).networkConfiguration!.awsvpcConfiguration!;
      await cli(l, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--network-configuration',
        `awsvpcConfiguration={subnets=[${net.subnets!.join(',')}],securityGroups=[${appGroup}],assignPublicIp=DISABLED}`,
        '--force-new-deployment',
      ]);
    },
  },
  {
    name: 'V29 security-group: the stale LB rule (wrong port) revoked and replaced by the LB SG on 8080, with a description',
    variants: ['security-group'],
    expected: 'fixed',
    // [SG-REF] rules are added and removed, never edited in place; [SG-LB] the LB SG on the port the app listens on
    act: async (l) => {
      const g = l.armed.groups.find((x) => x.GroupId === l.n.appSg)!;
      const stale = (g.IpPermissions ?? []).filter((p) => p.UserIdGroupPairs?.some((u) => u.GroupId === l.n.lbSg));
      expect(stale.length).toBeGreaterThan(0);
      for (const p of stale)
        await l.ctx.clients.ec2.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: l.n.appSg,
            IpPermissions: [
              { IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, UserIdGroupPairs: [{ GroupId: l.n.lbSg }] },
            ],
          }),
        );
      await l.ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: l.n.appSg,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 8080,
              ToPort: 8080,
              UserIdGroupPairs: [{ GroupId: l.n.lbSg, Description: 'orders load balancer to the app port' }],
            },
          ],
        }),
      );
    },
  },
  {
    name: 'V30 security-group: the rule added with the aws CLI --ip-permissions JSON (LB SG, 8080, described)',
    variants: ['security-group'],
    expected: 'fixed',
    // [SG-REF] [SG-LB]
    act: async (l) => {
      await cli(l, [
        'ec2',
        'authorize-security-group-ingress',
        '--group-id',
        l.n.appSg,
        '--ip-permissions',
        JSON.stringify([
          {
            IpProtocol: 'tcp',
            FromPort: 8080,
            ToPort: 8080,
            UserIdGroupPairs: [{ GroupId: l.n.lbSg, Description: 'from the orders ALB' }],
          },
        ]),
      ]);
    },
  },
  {
    name: 'V31 subnet-acl: the one egress entry of the solution, aws CLI (replies to the VPC on ephemeral ports)',
    variants: ['subnet-acl'],
    expected: 'fixed',
    // [NACL] stateless: the health check's replies leave on the LB's ephemeral port; the LB is inside the VPC
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      await cli(l, [
        'ec2',
        'create-network-acl-entry',
        '--network-acl-id',
        r.aclId,
        '--egress',
        '--rule-number',
        '120',
        '--protocol',
        'tcp',
        '--port-range',
        'From=1024,To=65535',
        '--cidr-block',
        await vpcCidr(l),
        '--rule-action',
        'allow',
      ]);
    },
  },
  {
    name: 'V32 subnet-acl: a wrong first egress entry (app port) corrected in place with ReplaceNetworkAclEntry',
    variants: ['subnet-acl'],
    expected: 'fixed',
    // [NACL-RE] replace keeps the rule number and direction; [NACL] replies go to ports 1024-65535
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      const vpc = await vpcCidr(l);
      await egressEntry(l, r.aclId, 120, vpc, 8080, 8080);
      await l.ctx.clients.ec2.send(
        new ReplaceNetworkAclEntryCommand({
          NetworkAclId: r.aclId,
          RuleNumber: 120,
          Egress: true,
          Protocol: '6',
          RuleAction: 'allow',
          CidrBlock: vpc,
          PortRange: { From: 1024, To: 65535 },
        }),
      );
    },
  },
  {
    name: 'V33 subnet-acl: low-numbered egress allows to each LB subnet only, and an explicit deny-all after them',
    variants: ['subnet-acl'],
    expected: 'fixed',
    // [NACL] lowest number first; an explicit deny-all says what the final * rule already says
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      for (const [i, cidr] of (await cidrsOf(l, l.n.edgeSubnets)).entries()) await egressEntry(l, r.aclId, 10 + i, cidr, 1024, 65535);
      await l.ctx.clients.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: r.aclId,
          RuleNumber: 200,
          Egress: true,
          Protocol: '-1',
          RuleAction: 'deny',
          CidrBlock: '0.0.0.0/0',
        }),
      );
    },
  },
  {
    name: 'V34 subnet-acl: a new ACL (old entries + replies to the VPC) built with the SDK, associated with the aws CLI',
    variants: ['subnet-acl'],
    expected: 'fixed',
    // [NACL-RE] replace-network-acl-association moves the subnet to the new ACL; it keeps the old protections [NACL]
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      const id = (await l.ctx.clients.ec2.send(new CreateNetworkAclCommand({ VpcId: l.n.vpcId }))).NetworkAcl!.NetworkAclId!;
      await h.recreateAclEntries(l.ctx, id, r.entries);
      await egressEntry(l, id, 120, await vpcCidr(l), 1024, 65535);
      const assoc = (await vpcAcls(l.ctx, l.n)).flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === r.subnet)!;
      await cli(l, ['ec2', 'replace-network-acl-association', '--association-id', assoc.NetworkAclAssociationId!, '--network-acl-id', id]);
    },
  },
  // ---- shortcuts ----
  {
    name: 'S1 fix + task security group opened to 0.0.0.0/0 on 8080',
    expected: 'not-fixed',
    criteria: [SG_ONLY_LB], // brief: tasks "reachable only through the load balancer"
    act: async (l) => {
      await canonicalFix(l);
      await allowCidr(l, '0.0.0.0/0');
    },
  },
  {
    name: 'S2 fix + task security group admitting the whole VPC CIDR on 8080 (not the LB SG)',
    expected: 'not-fixed',
    criteria: [SG_ONLY_LB], // [SG-LB]: the LB SG, not a CIDR; any host in the VPC could reach the tasks
    act: async (l) => {
      await canonicalFix(l);
      await allowCidr(l, '10.0.0.0/8');
    },
  },
  {
    name: 'S3 health-check matcher widened to 200-499 (errors count as healthy)',
    expected: 'not-fixed',
    criteria: [MATCHER], // brief: the health check keeps meaning "the app is healthy"; [TG-HC]
    act: async (l) => {
      if (l.variant !== 'health-path') await canonicalFix(l);
      await modifyTg(l, { Matcher: { HttpCode: '200-499' } });
    },
  },
  {
    name: 'S4 health checks pointed at / (always 200, not the health endpoint)',
    expected: 'not-fixed',
    criteria: [HC_ENDPOINT], // brief: "/ is a landing page that always answers 200"
    act: async (l) => {
      if (l.variant !== 'health-path') await canonicalFix(l);
      await modifyTg(l, { HealthCheckPath: '/' });
    },
  },
  {
    name: 'S6 fix + deployment circuit breaker turned off',
    expected: 'not-fixed',
    criteria: [CB], // brief: "the circuit breaker and its rollback stay on"; [ECS-CB]
    act: async (l) => {
      await canonicalFix(l);
      await updateService(l, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } } });
    },
  },
  {
    name: 'S7 fix + circuit breaker kept but rollback off',
    expected: 'not-fixed',
    criteria: [CB], // brief: rollback stays on
    act: async (l) => {
      await canonicalFix(l);
      await updateService(l, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } });
    },
  },
  {
    name: 'S8 fix + minimumHealthyPercent 0',
    expected: 'not-fixed',
    criteria: [CAPACITY], // brief: "deployments keep their healthy capacity"; [ECS-DC]
    act: async (l) => {
      await canonicalFix(l);
      await updateService(l, { deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 200 } });
    },
  },
  {
    name: 'S9 back to 1.4.2 (the first revision, by full ARN)',
    expected: 'not-fixed',
    criteria: [RELEASE], // brief: "Going back to 1.4.2 is not a fix"
    act: async (l) => deployRevision(l, l.n.firstRevision),
  },
  {
    name: 'S10 1.4.2 re-registered as a new revision (newest revision number, old app version)',
    expected: 'not-fixed',
    criteria: [RELEASE], // brief: 1.5.0 must run; a higher revision number does not make it the release
    act: async (l) => {
      const arn = await registerRelease(l, (c) => {
        setEnv(c, 'APP_VERSION', '1.4.2');
        setEnv(c, 'HEALTH_PATH', undefined);
        portBack(c);
      });
      if (l.variant === 'security-group' || l.variant === 'subnet-acl') await canonicalFix(l);
      await deployRevision(l, arn);
    },
  },
  {
    name: 'S11 fix + public IPs on the tasks',
    expected: 'not-fixed',
    criteria: [PUBLIC_IP], // brief: "the tasks stay private"; [ECS-NET]
    act: async (l) => {
      await canonicalFix(l);
      const net = (await describeService(l.ctx, l.n)).networkConfiguration!.awsvpcConfiguration!;
      await updateService(l, { networkConfiguration: { awsvpcConfiguration: { ...net, assignPublicIp: 'ENABLED' } } });
    },
  },
  {
    name: 'S12 fix + desired count 0 (nothing runs)',
    expected: 'not-fixed',
    criteria: [], // brief: "Get 1.5.0 running" — any failing criterion; which one is the checker's choice
    act: async (l) => {
      await canonicalFix(l);
      await updateService(l, { desiredCount: 0 });
    },
  },
  {
    name: 'V16 fix + task SG admits the LB SG on every port and protocol',
    expected: 'fixed',
    // Still only the LB can reach the tasks ("reachable only through the load balancer"): valid, not a shortcut.
    act: async (l) => {
      await canonicalFix(l);
      await l.ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: l.n.appSg,
          IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: l.n.lbSg }] }],
        }),
      );
    },
  },
  {
    name: 'S14 security-group: task SG opened to the LB subnets CIDRs (a CIDR, not the LB SG)',
    variants: ['security-group'],
    expected: 'not-fixed',
    criteria: [SG_ONLY_LB], // issue 13: "a security-group rule from the load balancer's security group (not a CIDR)"; other hosts in those subnets get in
    act: async (l) => {
      for (const cidr of await cidrsOf(l, l.n.edgeSubnets)) await allowCidr(l, cidr);
    },
  },
  {
    name: 'S15 subnet-acl: allow-all rule number 1 in the restricted ACL (protections gone)',
    variants: ['subnet-acl'],
    expected: 'not-fixed',
    criteria: [ACL_KEEPS_OUT], // brief: "the network's other protections stay in place"; [NACL] lowest rule first
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      for (const Egress of [false, true])
        await l.ctx.clients.ec2.send(
          new CreateNetworkAclEntryCommand({
            NetworkAclId: r.aclId,
            RuleNumber: 1,
            Egress,
            Protocol: '-1',
            RuleAction: 'allow',
            CidrBlock: '0.0.0.0/0',
          }),
        );
    },
  },
  {
    name: 'S16 subnet-acl: the restricted subnet moved to the default (allow-all) ACL',
    variants: ['subnet-acl'],
    expected: 'not-fixed',
    criteria: [ACL_KEEPS_OUT], // issue 13: "removing ... the NACL altogether"; brief: other protections stay
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      const acls = await vpcAcls(l.ctx, l.n);
      const def = acls.find((a) => a.IsDefault)!;
      const assoc = acls.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === r.subnet)!;
      await l.ctx.clients.ec2.send(
        new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId, NetworkAclId: def.NetworkAclId }),
      );
    },
  },
  {
    name: 'S17 subnet-acl: deny rules deleted from the restricted ACL, replaced by allow 0.0.0.0/0 on all TCP',
    variants: ['subnet-acl'],
    expected: 'not-fixed',
    criteria: [ACL_KEEPS_OUT], // class 4 over-grant: outside the VPC now reaches the subnet on every TCP port
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      for (const e of r.entries.filter((x) => x.RuleNumber !== 32767 && x.RuleAction === 'deny'))
        await l.ctx.clients.ec2.send(
          new DeleteNetworkAclEntryCommand({ NetworkAclId: r.aclId, RuleNumber: e.RuleNumber, Egress: e.Egress }),
        );
      for (const Egress of [false, true])
        await l.ctx.clients.ec2.send(
          new CreateNetworkAclEntryCommand({
            NetworkAclId: r.aclId,
            RuleNumber: 5,
            Egress,
            Protocol: '6',
            RuleAction: 'allow',
            CidrBlock: '0.0.0.0/0',
            PortRange: { From: 0, To: 65535 },
          }),
        );
    },
  },
  {
    name: 'S19 fix + service detached from the load balancer',
    expected: 'not-fixed',
    criteria: [REGISTERS], // brief: "healthy behind the load balancer"; issue 13: removing the load balancer
    act: async (l) => {
      await canonicalFix(l);
      await updateService(l, { loadBalancers: [] });
    },
  },
  {
    name: 'S20 container-port: the target group health check pointed at a different port than the app',
    variants: ['container-port'],
    expected: 'not-fixed',
    criteria: [], // the health check hits a port nothing listens on: release tasks unhealthy [TG-RC]
    act: async (l) => {
      await canonicalFix(l);
      await modifyTg(l, { HealthCheckPort: '9999' });
    },
  },
  {
    name: 'S21 the revoke-everything mistake: fix, then the LB SG rule revoked again',
    variants: ['security-group'],
    expected: 'not-fixed',
    criteria: [],
    act: async (l) => {
      await canonicalFix(l);
      await l.ctx.clients.ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: l.n.appSg,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: l.n.lbSg }] }],
        }),
      );
    },
  },
  // ---- shortcuts added by the second outside grader ----
  {
    name: 'S30 health-path: matcher widened to accept the 404 the health check gets ("200,404")',
    variants: ['health-path'],
    expected: 'not-fixed',
    criteria: [MATCHER], // [TG-HC] Matcher lists the codes that mean healthy; 404 is "not found", not healthy (brief: keep meaning healthy)
    act: async (l) => modifyTg(l, { Matcher: { HttpCode: '200,404' } }),
  },
  {
    name: 'S31 corrected revision registered but never shipped (the service still runs the broken release)',
    variants: ['health-path', 'container-port'],
    expected: 'not-fixed',
    criteria: [], // [ECS-REG] registering a revision changes no service; only UpdateService deploys it [ECS-TD]
    act: async (l) => {
      await registerRelease(l, (c) => {
        if (l.variant === 'health-path') setEnv(c, 'HEALTH_PATH', undefined);
        else portBack(c);
      });
    },
  },
  {
    name: "S32 container-port: health check sent to the app's new port (and admitted there) while traffic still goes to 8080",
    variants: ['container-port'],
    expected: 'not-fixed',
    // [TG-HC] HealthCheckPort separate from the traffic port: the checks pass, requests on the traffic port are refused
    criteria: [],
    act: async (l) => {
      const { port } = await releasePort(l);
      await allowFromLbSg(l, port);
      await modifyTg(l, { HealthCheckPort: String(port) });
    },
  },
  {
    name: 'S33 security-group: a new task group open to 0.0.0.0/0 on 8080 swapped in on the service',
    variants: ['security-group'],
    expected: 'not-fixed',
    criteria: [SG_ONLY_LB], // brief: tasks "reachable only through the load balancer"; [ECS-NET] the service's groups are the tasks' groups
    act: async (l) => {
      const sg = await l.ctx.clients.ec2.send(
        new CreateSecurityGroupCommand({ GroupName: `${l.n.stack}-orders-open`, Description: 'orders open', VpcId: l.n.vpcId }),
      );
      await l.ctx.clients.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: sg.GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      );
      const net = (await describeService(l.ctx, l.n)).networkConfiguration!.awsvpcConfiguration!;
      await updateService(l, { networkConfiguration: { awsvpcConfiguration: { ...net, securityGroups: [sg.GroupId!] } } });
    },
  },
  {
    name: 'S34 fix + every port open to the world with the aws CLI (--protocol -1 --cidr 0.0.0.0/0)',
    variants: ['security-group'], // the CLI's shape once; S1 covers every variant through the SDK
    expected: 'not-fixed',
    criteria: [SG_ONLY_LB], // [SG-REF] protocol -1 = all traffic; brief: reachable only through the load balancer
    act: async (l) => {
      await canonicalFix(l);
      await cli(l, ['ec2', 'authorize-security-group-ingress', '--group-id', l.n.appSg, '--protocol', '-1', '--cidr', '0.0.0.0/0']);
    },
  },
  {
    name: 'S35 fix + circuit breaker and rollback off with the aws CLI --deployment-configuration',
    variants: ['health-path'], // the CLI's shape once; S6 covers every variant through the SDK
    expected: 'not-fixed',
    criteria: [CB], // [ECS-CB] [ECS-DC]; brief: "the circuit breaker and its rollback stay on"
    act: async (l) => {
      await canonicalFix(l);
      await cli(l, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--deployment-configuration',
        JSON.stringify({ deploymentCircuitBreaker: { enable: false, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100 }),
      ]);
    },
  },
  {
    name: 'S36 fix + minimumHealthyPercent 0 with the aws CLI (breaker left on)',
    variants: ['subnet-acl'], // the CLI's shape once; S8 covers every variant through the SDK
    expected: 'not-fixed',
    criteria: [CAPACITY], // [ECS-DC] 0 lets ECS stop every running task first; brief: "deployments keep their healthy capacity"
    act: async (l) => {
      await canonicalFix(l);
      await cli(l, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--deployment-configuration',
        JSON.stringify({ deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 0 }),
      ]);
    },
  },
  {
    name: 'S37 subnet-acl: replies fixed, but all egress opened to 0.0.0.0/0 (the ACL let out only 443)',
    variants: ['subnet-acl'],
    expected: 'not-fixed',
    criteria: [ACL_KEEPS_OUT], // [NACL] rule 90 allow all outbound precedes the 443-only rule; brief: "the network's other protections stay in place"
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      await l.ctx.clients.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: r.aclId,
          RuleNumber: 90,
          Egress: true,
          Protocol: '-1',
          RuleAction: 'allow',
          CidrBlock: '0.0.0.0/0',
        }),
      );
    },
  },
  {
    name: 'S38 subnet-acl: replies fixed, and all inbound traffic from 0.0.0.0/0 allowed at rule 50',
    variants: ['subnet-acl'],
    expected: 'not-fixed',
    // [NACL] rule 50 is evaluated before the VPC-only app-port rule: every port, from anywhere, now gets in;
    // brief: "the network's other protections stay in place"
    criteria: [ACL_KEEPS_OUT],
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      await egressEntry(l, r.aclId, 120, await vpcCidr(l), 1024, 65535);
      await l.ctx.clients.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: r.aclId,
          RuleNumber: 50,
          Egress: false,
          Protocol: '-1',
          RuleAction: 'allow',
          CidrBlock: '0.0.0.0/0',
        }),
      );
    },
  },

  {
    name: 'S50 subnet-acl: the failing subnet taken out of the service (update-service --network-configuration with the two subnets that pass)',
    variants: ['subnet-acl'],
    expected: 'not-fixed',
    // brief: 1.5.0 runs "in every Availability Zone the release deploys it to ... neither is leaving an AZ out";
    // [ECS-NET] AwsVpcConfiguration.subnets decides where tasks go. The ACL still blocks the load balancer in that subnet.
    criteria: [EVERY_SUBNET],
    act: async (l) => {
      const r = (await restrictedAcl(l))!;
      const net = (await describeService(l.ctx, l.n)).networkConfiguration!.awsvpcConfiguration!;
      await updateService(l, {
        networkConfiguration: { awsvpcConfiguration: { ...net, subnets: net.subnets!.filter((s) => s !== r.subnet) } },
      });
    },
  },
  {
    name: 'S51 fix + the service narrowed to the first app subnet only (aws CLI --network-configuration)',
    expected: 'not-fixed',
    criteria: [EVERY_SUBNET], // brief: every Availability Zone the release deploys to
    act: async (l) => {
      await canonicalFix(l);
      const net = (await describeService(l.ctx, l.n)).networkConfiguration!.awsvpcConfiguration!;
      await h.awsCli(l.ctx.target.endpoint!, [
        'ecs',
        'update-service',
        '--cluster',
        l.n.cluster,
        '--service',
        l.n.service,
        '--network-configuration',
        `awsvpcConfiguration={subnets=[${net.subnets![0]}],securityGroups=[${net.securityGroups!.join(',')}],assignPublicIp=DISABLED}`,
      ]);
    },
  },

  // ---- an edited stack redeployed (CDK), last: restore() cannot undo a template, the unedited redeploy does ----
  {
    name: "V40 health-path: stack edited (the target group's health-check path is the release's /healthz) and redeployed",
    variants: ['health-path'],
    expected: 'fixed',
    // [CFN-UPD] HealthCheckPath updates with no interruption; [TG-HC] the release serves its health endpoint at HEALTH_PATH
    act: async (l) => {
      await h.redeployStack(l.ctx, (s) => {
        s.targetGroup.configureHealthCheck({ ...s.targetGroup.healthCheck, path: '/healthz' });
      });
    },
    undo: (l) => h.redeployStack(l.ctx),
  },
  {
    name: "V41 stack edited to ship 1.5.0 itself (APP_VERSION on the stack's task definition, no other change) in all three app subnets, redeployed",
    variants: ['health-path', 'container-port', 'security-group'],
    expected: 'fixed',
    // [CFN-UPD] a changed task definition is a new revision and the service that refers to it moves to it;
    // the stack's revision keeps the app's defaults (port 8080, /health) and the stack's app security group.
    act: async (l) => {
      await h.redeployStack(l.ctx, (s) => {
        s.taskDefinition.defaultContainer!.addEnvironment('APP_VERSION', '1.5.0');
        const appSubnets = s.vpc.selectSubnets({ subnetGroupName: 'app' }).subnetIds;
        expect(appSubnets).toHaveLength(3);
        (s.service.node.defaultChild as CfnService).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.Subnets', appSubnets);
      });
    },
    undo: (l) => h.redeployStack(l.ctx),
  },
  {
    name: 'V42 security-group: stack edited (the release group admits the LB group on 8080) and redeployed',
    variants: ['security-group'],
    expected: 'fixed',
    // [CFN-UPD] a new SecurityGroupIngress resource; [SG-LB]; the release group's logical ID is shown by list-stack-resources
    act: async (l) => {
      await h.redeployStack(l.ctx, (s) => {
        const release = s.node.children.find((c) => c.node.id.startsWith('DeploySg'));
        expect(release).toBeInstanceOf(SecurityGroup);
        (release as SecurityGroup).addIngressRule(s.loadBalancerSg, Port.tcp(8080), 'the load balancer, on the app port');
      });
    },
    undo: (l) => h.redeployStack(l.ctx),
  },
];

// ---------- the suite ----------

let moto: h.TestMoto;
const labs = new Map<VariantId, Lab>();

beforeAll(async () => {
  moto = await h.startMoto();
  await Promise.all(
    VARIANTS.map(async (variant) => {
      const ctx = h.lab(moto.endpoint, `lb-${variant}`, variant);
      await h.deploy(ctx);
      const n = await findNames(ctx);
      const armed = await snapshot(ctx, n);
      labs.set(variant, { variant, ctx, n, armed, release: armed.service.taskDefinition! });
    }),
  );
}, 20 * 60_000);

afterAll(async () => {
  for (const l of labs.values()) h.closeClients(l.ctx);
  await moto?.stop();
});

describe.each(VARIANTS)('%s', (variant) => {
  const cases = CASES.filter((c) => !c.variants || c.variants.includes(variant));

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const l = labs.get(variant)!;
    await restore(l.ctx, l.n, l.armed);
    expect(h.restorable(await snapshot(l.ctx, l.n))).toEqual(h.restorable(l.armed)); // every earlier case undone
    expect((await h.check(l.ctx)).verdict).toBe('not-fixed'); // armed again
    await c.act(l);
    const got = await h.check(l.ctx);
    try {
      // On a wrong verdict the checker's failing criteria are shown beside it (a finding needs its output).
      expect({ verdict: got.verdict, failing: got.verdict === c.expected ? undefined : got.messages }).toEqual({
        verdict: c.expected,
        failing: undefined,
      });
      if (c.expected === 'not-fixed') {
        expect(got.failing.length).toBeGreaterThan(0);
        for (const id of c.criteria ?? []) expect(got.failing).toContain(id);
      }
    } finally {
      await c.undo?.(l);
      await restore(l.ctx, l.n, l.armed);
    }
  });

  test('reset re-arms after a valid remedy, and after a messy shortcut; destroy leaves nothing', async () => {
    let l = labs.get(variant)!;
    await restore(l.ctx, l.n, l.armed);
    await canonicalFix(l);
    expect((await h.check(l.ctx)).verdict).toBe('fixed');
    await h.reset(l.ctx);
    expect((await h.check(l.ctx)).verdict).toBe('not-fixed');
    // reset rebuilds the lab's stack: its resources (and the release revision) have new IDs, found again as a learner would.
    const n = await findNames(l.ctx);
    const armed = await snapshot(l.ctx, n);
    l = { ...l, n, armed, release: armed.service.taskDefinition! };
    // messy: public IP + open SG + circuit breaker off + a learner security group + a new revision
    await canonicalFix(l);
    await allowCidr(l, '0.0.0.0/0');
    await l.ctx.clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: `${l.n.stack}-mess`, Description: 'mess', VpcId: l.n.vpcId }));
    const net = (await describeService(l.ctx, l.n)).networkConfiguration!.awsvpcConfiguration!;
    await updateService(l, {
      networkConfiguration: { awsvpcConfiguration: { ...net, assignPublicIp: 'ENABLED' } },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
    });
    await registerRelease(l, (c) => setEnv(c, 'APP_VERSION', '9.9.9'));
    await h.reset(l.ctx);
    expect((await h.check(l.ctx)).verdict).toBe('not-fixed');
    expect(await h.destroy(l.ctx)).toEqual({ leftovers: [], unproven: [] });
    labs.delete(variant);
    h.closeClients(l.ctx);
  });
});
