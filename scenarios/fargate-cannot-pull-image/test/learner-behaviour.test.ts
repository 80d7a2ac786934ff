/**
 * Learner behaviour, graded from the outside. Written from the brief
 * (README.md: get the service able to start its tasks; the task subnets keep no
 * internet egress: no NAT, no internet gateway, no public IPs; everything stays
 * on the AWS network), the guide it names (004, CannotPullContainerError
 * CHECK 1-4 and Mistake 2) and AWS's documentation, by a grader who has not
 * read the checker. Each case deploys a fresh lab, acts as a learner would
 * with the AWS CLI, and asserts the verdict and, for shortcuts, the public
 * criterion that should name the problem.
 *
 * Least privilege: the public criterion `execution-role-least-privilege`
 * ("not granted more than pulling images and writing logs") makes it part of
 * "fixed". AmazonECSTaskExecutionRolePolicy, AWS's own policy for exactly
 * this role, counts as within it; anything that can push, delete, rewrite
 * policies or reach other services does not.
 *
 * Some of these cases fail against today's checker on purpose: each failure is
 * a verdict the grader disagrees with (see the report on this branch).
 */
import {
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateStackCommand,
  paginateListStackResources,
  paginateListStacks,
} from '@aws-sdk/client-cloudformation';
import { paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcEndpointCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  ModifyVpcEndpointCommand,
  ReplaceRouteTableAssociationCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetRepositoryPolicyCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  paginateListClusters,
  paginateListTaskDefinitions,
} from '@aws-sdk/client-ecs';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import YAML from 'yaml';
import type { AwsClients } from '../../../lib/targets/clients';
import {
  ACCOUNT,
  Emulator,
  Lab,
  REGION,
  checkLab,
  deployLab,
  destroyLab,
  emulatorClients,
  resetLab,
  startEmulator,
  variants,
} from './learner-harness';

// Waiting for a turn on the shared emulator counts against a test's time.
jest.setTimeout(45 * 60_000);

// Public criterion IDs, as `breakfix check --json` lists them.
const C = {
  privateSubnets: 'tasks-launch-into-private-subnets',
  noEgress: 'no-internet-egress',
  ecrEndpoints: 'ecr-endpoints-reachable',
  s3Path: 's3-layer-path-from-every-task-subnet',
  s3Policy: 's3-endpoint-policy-allows-layer-bucket',
  canPull: 'execution-role-can-pull-image',
  leastPrivilege: 'execution-role-least-privilege',
  image: 'task-image-exists',
} as const;

// Documentation the case comments cite.
const DOC = {
  ecrVpce: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
  ecsVpce: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html',
  gatewayEndpoints: 'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
  endpointPolicies: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
  execRole: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
  taskRole: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
  repoPolicies: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html',
  globalKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  evaluation: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  ecrActions: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html',
  tdImage: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image',
  updateService: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html',
  retag: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-retag.html',
  tagMutability: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html',
  lifecycle: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html',
  cfnDirectUpdate: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-direct.html',
  routeTables: 'https://docs.aws.amazon.com/vpc/latest/userguide/WorkWithRouteTables.html',
  dataPerimeter: 'https://github.com/aws-samples/data-perimeter-policy-examples (vpc_endpoint_policies/s3_endpoint_policy.json)',
} as const;
void DOC; // cited by name in the case comments below

const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
const TOKEN = 'ecr:GetAuthorizationToken';
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const EXEC_MANAGED = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const LAYER_BUCKET = `prod-${REGION}-starport-layer-bucket`;
const S3_SERVICE = `com.amazonaws.${REGION}.s3`;

// ---------------------------------------------------------------- learner's view of the lab

/** What a learner reads off the live lab before acting (CloudFormation, ECS, ECR, EC2, IAM). */
interface Facts {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskDefArn: string;
  readonly family: string;
  readonly image: string;
  readonly registry: string;
  readonly repoName: string;
  readonly repoUri: string;
  readonly repoArn: string;
  /** Digest of the image the repository holds (tag v1). */
  readonly digest: string;
  readonly execRoleArn: string;
  readonly execRoleName: string;
  readonly execRoleId: string;
  readonly taskRoleArn: string;
  readonly taskRoleName: string;
  readonly logGroup: string;
  readonly subnets: string[];
  readonly serviceSgs: string[];
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Route table of each task subnet, in subnet order. */
  readonly routeTables: string[];
  readonly mainRouteTable: string;
  /** VPC endpoints of the lab VPC by short service name (ecr.api, ecr.dkr, logs, and s3 where the variant has it). */
  readonly endpoints: Record<string, { id: string; sgs: string[] }>;
  readonly defaultVpcId: string;
}

const roleNameOf = (arn: string) => arn.split('/').pop() as string;

async function collect<P>(pages: AsyncIterable<P>, pick: (page: P) => any[] | undefined): Promise<any[]> {
  const out: any[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

async function discover(lab: Lab): Promise<Facts> {
  const { cloudformation, ecs, ecr, ec2, iam } = lab.clients;
  const resources = await collect(
    paginateListStackResources({ client: cloudformation }, { StackName: lab.stackName }),
    (p) => p.StackResourceSummaries,
  );
  const serviceArn: string = resources.find((r) => r.ResourceType === 'AWS::ECS::Service').PhysicalResourceId;
  const [, clusterName, serviceName] = serviceArn.split('/');
  const svc = (await ecs.send(new DescribeServicesCommand({ cluster: clusterName, services: [serviceName] }))).services![0];
  const net = svc.networkConfiguration!.awsvpcConfiguration!;
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition }))).taskDefinition!;
  const container = td.containerDefinitions![0];
  const image = container.image!;
  const registry = image.slice(0, image.indexOf('/'));
  const repoName = image.slice(image.indexOf('/') + 1).split(/[:@]/)[0];
  const repo = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repoName] }))).repositories![0];
  const images = (await ecr.send(new DescribeImagesCommand({ repositoryName: repoName }))).imageDetails ?? [];
  const v1 = images.find((i) => (i.imageTags ?? []).includes('v1'))!;
  const subnets = net.subnets!;
  const vpcId = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnets }))).Subnets![0].VpcId!;
  const vpcCidr = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].CidrBlock!;
  const vpcRts = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables ?? [];
  const routeTables = subnets.map(
    (subnet) => vpcRts.find((rt) => (rt.Associations ?? []).some((a) => a.SubnetId === subnet))!.RouteTableId!,
  );
  const mainRouteTable = vpcRts.find((rt) => (rt.Associations ?? []).some((a) => a.Main))!.RouteTableId!;
  const eps = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints ?? [];
  const endpoints: Facts['endpoints'] = {};
  for (const ep of eps) {
    endpoints[ep.ServiceName!.replace(`com.amazonaws.${REGION}.`, '')] = {
      id: ep.VpcEndpointId!,
      sgs: (ep.Groups ?? []).map((g) => g.GroupId!),
    };
  }
  const execRoleName = roleNameOf(td.executionRoleArn!);
  const execRole = (await iam.send(new GetRoleCommand({ RoleName: execRoleName }))).Role!;
  const defaultVpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0].VpcId!;
  return {
    clusterName,
    serviceName,
    taskDefArn: td.taskDefinitionArn!,
    family: td.family!,
    image,
    registry,
    repoName,
    repoUri: repo.repositoryUri!,
    repoArn: repo.repositoryArn!,
    digest: v1.imageDigest!,
    execRoleArn: td.executionRoleArn!,
    execRoleName,
    execRoleId: execRole.RoleId!,
    taskRoleArn: td.taskRoleArn!,
    taskRoleName: roleNameOf(td.taskRoleArn!),
    logGroup: container.logConfiguration!.options!['awslogs-group'],
    subnets,
    serviceSgs: net.securityGroups!,
    vpcId,
    vpcCidr,
    routeTables,
    mainRouteTable,
    endpoints,
    defaultVpcId,
  };
}

// ---------------------------------------------------------------- learner actions (SDK v3, the lab's clients)

type Statement = Record<string, unknown>;
const policy = (...statements: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[], resource: string | string[], condition?: object): Statement => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});
const endpointAllow = (action: string | string[], resource: string | string[], condition?: object): Statement => ({
  Principal: '*',
  ...allow(action, resource, condition),
});
const ecsTrust = (condition?: object) =>
  policy({
    Effect: 'Allow',
    Principal: { Service: 'ecs-tasks.amazonaws.com' },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });

async function putInline(lab: Lab, role: string, name: string, doc: string): Promise<void> {
  await lab.clients.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: doc }));
  const stored = await lab.clients.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: name }));
  expect(JSON.parse(decodeURIComponent(stored.PolicyDocument!))).toEqual(JSON.parse(doc));
}

async function attachManaged(lab: Lab, role: string, arn: string): Promise<void> {
  await lab.clients.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
  const attached = (await lab.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies ?? [];
  expect(attached.map((p) => p.PolicyArn)).toContain(arn);
}

async function setRepoPolicy(lab: Lab, f: Facts, doc: string): Promise<void> {
  await lab.clients.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: f.repoName, policyText: doc }));
  const stored = await lab.clients.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: f.repoName }));
  expect(JSON.parse(stored.policyText!)).toEqual(JSON.parse(doc));
}

async function createRole(lab: Lab, name: string, trust: string): Promise<string> {
  const role = (await lab.clients.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))).Role!;
  expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual(JSON.parse(trust));
  return role.Arn!;
}

async function setTrust(lab: Lab, role: string, trust: string): Promise<void> {
  await lab.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: trust }));
  const stored = (await lab.clients.iam.send(new GetRoleCommand({ RoleName: role }))).Role!.AssumeRolePolicyDocument!;
  expect(JSON.parse(decodeURIComponent(stored))).toEqual(JSON.parse(trust));
}

async function tagRole(lab: Lab, role: string, key: string, value: string): Promise<void> {
  await lab.clients.iam.send(new TagRoleCommand({ RoleName: role, Tags: [{ Key: key, Value: value }] }));
  const tags = (await lab.clients.iam.send(new GetRoleCommand({ RoleName: role }))).Role!.Tags ?? [];
  expect(tags).toContainEqual({ Key: key, Value: value });
}

/** The S3 gateway endpoint the guide's Mistake 2 asks for; returns its ID. */
async function addS3Gateway(lab: Lab, f: Facts, opts: { routeTables?: string[]; policy?: string; vpcId?: string } = {}): Promise<string> {
  const ep = await lab.clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: opts.vpcId ?? f.vpcId,
      ServiceName: S3_SERVICE,
      VpcEndpointType: 'Gateway',
      RouteTableIds: opts.routeTables ?? f.routeTables,
      ...(opts.policy ? { PolicyDocument: opts.policy } : {}),
    }),
  );
  return ep.VpcEndpoint!.VpcEndpointId!;
}

async function addS3Interface(lab: Lab, f: Facts, sg: string): Promise<string> {
  const ep = await lab.clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: f.vpcId,
      ServiceName: S3_SERVICE,
      VpcEndpointType: 'Interface',
      SubnetIds: f.subnets,
      SecurityGroupIds: [sg],
      PrivateDnsEnabled: false,
    }),
  );
  return ep.VpcEndpoint!.VpcEndpointId!;
}

async function addRouteTablesToEndpoint(lab: Lab, endpointId: string, tables: string[]): Promise<void> {
  await lab.clients.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddRouteTableIds: tables }));
}

async function setEndpointPolicy(lab: Lab, endpointId: string, doc: string): Promise<void> {
  await lab.clients.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, PolicyDocument: doc }));
  const ep = (await lab.clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }))).VpcEndpoints![0];
  expect(JSON.parse(ep.PolicyDocument!)).toEqual(JSON.parse(doc));
}

async function addInternetGateway(lab: Lab, f: Facts): Promise<string> {
  const igw = (await lab.clients.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await lab.clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: f.vpcId }));
  return igw;
}

async function defaultRoute(lab: Lab, routeTable: string, target: { GatewayId?: string; NatGatewayId?: string }): Promise<void> {
  await lab.clients.ec2.send(new CreateRouteCommand({ RouteTableId: routeTable, DestinationCidrBlock: '0.0.0.0/0', ...target }));
}

async function createRouteTable(lab: Lab, f: Facts): Promise<string> {
  return (await lab.clients.ec2.send(new CreateRouteTableCommand({ VpcId: f.vpcId }))).RouteTable!.RouteTableId!;
}

/** A subnet outside the task subnets, with its own route table to the internet gateway. */
async function addPublicSubnet(lab: Lab, f: Facts, igw: string): Promise<string> {
  const subnet = (await lab.clients.ec2.send(new CreateSubnetCommand({ VpcId: f.vpcId, CidrBlock: '10.42.200.0/24' }))).Subnet!.SubnetId!;
  const rt = await createRouteTable(lab, f);
  await lab.clients.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: subnet }));
  await defaultRoute(lab, rt, { GatewayId: igw });
  return subnet;
}

async function setServiceNetwork(
  lab: Lab,
  f: Facts,
  cfg: { subnets?: string[]; securityGroups?: string[]; assignPublicIp: 'ENABLED' | 'DISABLED' },
): Promise<void> {
  const awsvpcConfiguration = {
    subnets: cfg.subnets ?? f.subnets,
    securityGroups: cfg.securityGroups ?? f.serviceSgs,
    assignPublicIp: cfg.assignPublicIp,
  };
  await lab.clients.ecs.send(
    new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, networkConfiguration: { awsvpcConfiguration } }),
  );
  const svc = (await lab.clients.ecs.send(new DescribeServicesCommand({ cluster: f.clusterName, services: [f.serviceName] }))).services![0];
  expect(svc.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe(cfg.assignPublicIp);
}

const REGISTERABLE = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
] as const;

/** Registers a new revision from the service's current one, changed by `change`. */
async function registerRevision(lab: Lab, f: Facts, change: (td: any) => void): Promise<{ arn: string; family: string; revision: number }> {
  const current: any = (await lab.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: f.taskDefArn }))).taskDefinition;
  const input: any = {};
  for (const key of REGISTERABLE) if (current[key] !== undefined) input[key] = structuredClone(current[key]);
  change(input);
  const td = (await lab.clients.ecs.send(new RegisterTaskDefinitionCommand(input))).taskDefinition!;
  return { arn: td.taskDefinitionArn!, family: td.family!, revision: td.revision! };
}

/**
 * Points the service at a task definition reference (family, family:revision or ARN) and checks the
 * service took it. AWS stores the resolved ARN; moto stores the reference as given, so either counts.
 */
async function pointService(lab: Lab, f: Facts, ref: string, expectArn: string): Promise<void> {
  await lab.clients.ecs.send(new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, taskDefinition: ref }));
  const svc = (await lab.clients.ecs.send(new DescribeServicesCommand({ cluster: f.clusterName, services: [f.serviceName] }))).services![0];
  expect([expectArn, ref]).toContain(svc.taskDefinition);
}

/** Gives the image the repository holds (v1) another tag, as ECR's retag guide does. */
async function retag(lab: Lab, f: Facts, tag: string): Promise<void> {
  const { ecr } = lab.clients;
  const img = (await ecr.send(new BatchGetImageCommand({ repositoryName: f.repoName, imageIds: [{ imageTag: 'v1' }] }))).images![0];
  await ecr.send(new PutImageCommand({ repositoryName: f.repoName, imageTag: tag, imageManifest: img.imageManifest }));
  const tagged =
    (await ecr.send(new DescribeImagesCommand({ repositoryName: f.repoName, imageIds: [{ imageTag: tag }] }))).imageDetails ?? [];
  expect(tagged[0]?.imageDigest).toBe(f.digest);
}

async function putLifecycle(lab: Lab, f: Facts, rules: object[]): Promise<void> {
  await lab.clients.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: f.repoName, lifecyclePolicyText: JSON.stringify({ rules }) }));
}

const setImage = (image: string) => (td: any) => {
  td.containerDefinitions[0].image = image;
};

/** Edits the deployed template as a learner editing the stack would, and redeploys it with UpdateStack. */
async function redeployEdited(lab: Lab, edit: (resources: Record<string, any>) => void): Promise<void> {
  const { cloudformation } = lab.clients;
  const body = (await cloudformation.send(new GetTemplateCommand({ StackName: lab.stackName }))).TemplateBody!;
  const template = YAML.parse(body); // JSON is YAML too; moto answers in YAML
  edit(template.Resources);
  await cloudformation.send(
    new UpdateStackCommand({
      StackName: lab.stackName,
      TemplateBody: JSON.stringify(template),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  let status = '';
  for (let i = 0; i < 600; i++) {
    status = (await cloudformation.send(new DescribeStacksCommand({ StackName: lab.stackName }))).Stacks![0].StackStatus!;
    if (!status.endsWith('_IN_PROGRESS')) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(status).toBe('UPDATE_COMPLETE');
}

const logicalIdsOf = (resources: Record<string, any>, type: string) => Object.keys(resources).filter((id) => resources[id].Type === type);

// ---------------------------------------------------------------- cases

interface Case {
  readonly name: string;
  readonly expected: 'fixed' | 'not-fixed';
  /** For shortcuts: criteria that should name the problem; empty means any failing criterion will do. */
  readonly criteria: string[];
  act(lab: Lab, f: Facts): Promise<void>;
}
const valid = (name: string, act: Case['act']): Case => ({ name: `valid: ${name}`, expected: 'fixed', criteria: [], act });
const shortcut = (name: string, criteria: string[], act: Case['act']): Case => ({
  name: `shortcut: ${name}`,
  expected: 'not-fixed',
  criteria,
  act,
});

// -------- variant no-s3-path: ECR interface endpoints, but the task subnets have no path to S3.

const layerObjects = `arn:aws:s3:::${LAYER_BUCKET}/*`;

const noS3PathCases: Case[] = [
  // Guide Mistake 2 and DOC.ecrVpce ("Create the Amazon S3 gateway endpoint"): a gateway endpoint on the task subnets' route tables.
  valid('S3 gateway endpoint on both task route tables, default policy', async (lab, f) => {
    await addS3Gateway(lab, f);
  }),
  // DOC.ecrVpce "Minimum Amazon S3 bucket permissions for Amazon ECR": s3:GetObject on the layer bucket is all ECR needs.
  valid('S3 gateway endpoint with the minimum policy ECR documents', async (lab, f) => {
    await addS3Gateway(lab, f, { policy: policy(endpointAllow('s3:GetObject', layerObjects)) });
  }),
  // DOC.gatewayEndpoints: route tables can be added to a gateway endpoint later (ModifyVpcEndpoint AddRouteTableIds).
  valid('endpoint made for one route table, the second added with ModifyVpcEndpoint', async (lab, f) => {
    const id = await addS3Gateway(lab, f, { routeTables: [f.routeTables[0]] });
    await addRouteTablesToEndpoint(lab, id, [f.routeTables[1]]);
  }),
  // DOC.gatewayEndpoints: several gateway endpoints for one service may serve different route tables of a VPC.
  valid('one S3 gateway endpoint per task route table', async (lab, f) => {
    await addS3Gateway(lab, f, { routeTables: [f.routeTables[0]] });
    await addS3Gateway(lab, f, { routeTables: [f.routeTables[1]] });
  }),
  // DOC.routeTables: a subnet uses whichever route table it is associated with; a new table with the endpoint route serves both subnets.
  valid('new route table with the S3 endpoint, both task subnets re-associated to it', async (lab, f) => {
    const rt = await createRouteTable(lab, f);
    await addS3Gateway(lab, f, { routeTables: [rt] });
    const tables =
      (await lab.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [f.vpcId] }] }))).RouteTables ?? [];
    for (const subnet of f.subnets) {
      const assoc = tables.flatMap((t) => t.Associations ?? []).find((a) => a.SubnetId === subnet)!;
      await lab.clients.ec2.send(
        new ReplaceRouteTableAssociationCommand({ AssociationId: assoc.RouteTableAssociationId, RouteTableId: rt }),
      );
    }
  }),
  // Class 1, DOC.globalKeys aws:SourceVpce: present on every request made through a VPC endpoint, so the layer GET through this one matches.
  valid('endpoint policy conditioned on aws:SourceVpce = the endpoint itself', async (lab, f) => {
    const id = await addS3Gateway(lab, f);
    await setEndpointPolicy(lab, id, policy(endpointAllow('s3:GetObject', layerObjects, { StringEquals: { 'aws:SourceVpce': id } })));
  }),
  // Class 1, DOC.globalKeys aws:SourceVpc: the VPC a request came from through a gateway endpoint: the lab VPC.
  valid('endpoint policy conditioned on aws:SourceVpc = the lab VPC', async (lab, f) => {
    await addS3Gateway(lab, f, {
      policy: policy(endpointAllow('s3:GetObject', layerObjects, { StringEquals: { 'aws:SourceVpc': f.vpcId } })),
    });
  }),
  // Class 1, DOC.globalKeys aws:SecureTransport: Fargate fetches layers over HTTPS (the stopped reason shows an https:// layer URL).
  valid('endpoint policy on the layer bucket conditioned on aws:SecureTransport = true', async (lab, f) => {
    await addS3Gateway(lab, f, {
      policy: policy(endpointAllow('s3:GetObject', layerObjects, { Bool: { 'aws:SecureTransport': 'true' } })),
    });
  }),
  // Class 1, DOC.globalKeys aws:RequestedRegion: us-east-1's layer bucket is requested in us-east-1.
  valid('endpoint policy conditioned on aws:RequestedRegion = us-east-1', async (lab, f) => {
    await addS3Gateway(lab, f, {
      policy: policy(endpointAllow('s3:GetObject', layerObjects, { StringEquals: { 'aws:RequestedRegion': REGION } })),
    });
  }),
  // Brief ("an edited stack redeployed") and DOC.cfnDirectUpdate: the endpoint added to the template and the stack updated.
  valid('gateway endpoint added to the stack template, stack updated', async (lab) => {
    await redeployEdited(lab, (resources) => {
      const vpc = logicalIdsOf(resources, 'AWS::EC2::VPC')[0];
      const tables = logicalIdsOf(resources, 'AWS::EC2::RouteTable');
      resources.LearnerS3Gateway = {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: { Ref: vpc },
          ServiceName: S3_SERVICE,
          VpcEndpointType: 'Gateway',
          RouteTableIds: tables.map((t) => ({ Ref: t })),
        },
      };
    });
  }),

  // Brief: "no internet gateway"; a default route to one gives the task subnets internet egress.
  shortcut('internet gateway with a default route from the task subnets', [C.noEgress], async (lab, f) => {
    const igw = await addInternetGateway(lab, f);
    for (const rt of f.routeTables) await defaultRoute(lab, rt, { GatewayId: igw });
  }),
  // Brief: "no NAT gateway"; guide CHECK 3 names NAT as the other way to reach ECR, which the compliance rule forbids.
  shortcut('NAT gateway in a new public subnet, default route from the task subnets', [C.noEgress], async (lab, f) => {
    const igw = await addInternetGateway(lab, f);
    const subnet = await addPublicSubnet(lab, f, igw);
    const eip = (await lab.clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
    const nat = (await lab.clients.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnet, AllocationId: eip }))).NatGateway!
      .NatGatewayId!;
    for (const rt of f.routeTables) await defaultRoute(lab, rt, { NatGatewayId: nat });
  }),
  // Brief: "no public IPs"; the S3 path is fixed but the service now asks for public IPs.
  shortcut('S3 endpoint added but the service switched to public IPs', [C.privateSubnets], async (lab, f) => {
    await addS3Gateway(lab, f);
    await setServiceNetwork(lab, f, { assignPublicIp: 'ENABLED' });
  }),
  // DOC.ecrVpce: every subnet a task may land in needs the S3 route; a task placed in the second AZ still cannot pull.
  shortcut('S3 gateway endpoint on the first task route table only', [C.s3Path], async (lab, f) => {
    await addS3Gateway(lab, f, { routeTables: [f.routeTables[0]] });
  }),
  // DOC.ecsVpce: "The interface endpoints for Amazon S3 can't be used with Amazon ECR."
  shortcut('S3 interface endpoint instead of a gateway endpoint', [C.s3Path], async (lab, f) => {
    await addS3Interface(lab, f, f.endpoints['ecr.api'].sgs[0]);
  }),
  // DOC.routeTables: a subnet with an explicit association does not use the main route table.
  shortcut('S3 gateway endpoint on the VPC main route table, which no task subnet uses', [C.s3Path], async (lab, f) => {
    await addS3Gateway(lab, f, { routeTables: [f.mainRouteTable] });
  }),
  // DOC.gatewayEndpoints: a gateway endpoint serves only route tables of its own VPC.
  shortcut('S3 gateway endpoint created in the default VPC', [C.s3Path], async (lab, f) => {
    const tables = await lab.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [f.defaultVpcId] }] }));
    await addS3Gateway(lab, f, { vpcId: f.defaultVpcId, routeTables: [tables.RouteTables![0].RouteTableId!] });
  }),
  // DOC.gatewayEndpoints (security): the task's security group must allow outbound traffic to S3 (its prefix list); here it only allows the VPC.
  shortcut('S3 endpoint added, task security group egress narrowed to the VPC CIDR', [C.s3Path], async (lab, f) => {
    await addS3Gateway(lab, f);
    const { ec2 } = lab.clients;
    const sg = f.serviceSgs[0];
    await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: sg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: f.vpcCidr }] }],
      }),
    );
    const egress = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups![0].IpPermissionsEgress;
    expect(egress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, IpRanges: [expect.objectContaining({ CidrIp: f.vpcCidr })] }),
    ]);
  }),
  // DOC.ecrVpce: "The security group attached to the VPC endpoint must allow incoming connections on port 443 from the private subnet".
  shortcut('S3 endpoint added, HTTPS ingress removed from the ecr.dkr endpoint security group', [C.ecrEndpoints], async (lab, f) => {
    await addS3Gateway(lab, f);
    const { ec2 } = lab.clients;
    const sg = f.endpoints['ecr.dkr'].sgs[0];
    const ingress = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups![0].IpPermissions ?? [];
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: ingress }));
    const after = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups![0].IpPermissions ?? [];
    expect(after).toEqual([]);
  }),
  // DOC.ecrVpce: Fargate finds the registry endpoint through private DNS; without it the registry name resolves to public addresses it cannot reach.
  shortcut('S3 endpoint added, private DNS turned off on the ecr.dkr endpoint', [C.ecrEndpoints], async (lab, f) => {
    await addS3Gateway(lab, f);
    const id = f.endpoints['ecr.dkr'].id;
    await lab.clients.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, PrivateDnsEnabled: false }));
    const ep = (await lab.clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0];
    expect(ep.PrivateDnsEnabled).toBe(false);
  }),
  // DOC.ecrVpce minimum policy: the endpoint must allow the layer bucket; a policy for the team's own bucket blocks it.
  shortcut('endpoint policy allowing only the team bucket', [C.s3Policy], async (lab, f) => {
    await addS3Gateway(lab, f, {
      policy: policy(endpointAllow('s3:*', ['arn:aws:s3:::payments-artifacts', 'arn:aws:s3:::payments-artifacts/*'])),
    });
  }),
  // Class 1, DOC.dataPerimeter: the layer bucket belongs to AWS, not this account, so aws:ResourceAccount = own account never matches it.
  shortcut('endpoint policy limited to aws:ResourceAccount = own account', [C.s3Policy], async (lab, f) => {
    await addS3Gateway(lab, f, { policy: policy(endpointAllow('s3:*', '*', { StringEquals: { 'aws:ResourceAccount': ACCOUNT } })) });
  }),
  // Class 5, DOC.ecrVpce: the bucket is per Region (prod-<region>-starport-layer-bucket); us-west-2's is the wrong one.
  shortcut("endpoint policy naming another Region's layer bucket", [C.s3Policy], async (lab, f) => {
    await addS3Gateway(lab, f, { policy: policy(endpointAllow('s3:GetObject', 'arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*')) });
  }),
  // Class 1, DOC.globalKeys aws:SourceVpc: the condition names the default VPC, which the tasks are not in.
  shortcut('endpoint policy conditioned on aws:SourceVpc = another VPC', [C.s3Policy], async (lab, f) => {
    await addS3Gateway(lab, f, {
      policy: policy(endpointAllow('s3:GetObject', layerObjects, { StringEquals: { 'aws:SourceVpc': f.defaultVpcId } })),
    });
  }),
  // Same standard in every variant (issue 17): fixing the path does not license an administrator execution role.
  shortcut('S3 endpoint added and AdministratorAccess on the execution role', [C.leastPrivilege], async (lab, f) => {
    await addS3Gateway(lab, f);
    await attachManaged(lab, f.execRoleName, ADMIN);
  }),
];

// -------- variant execution-role-ecr: the execution role may write logs but not pull from ECR.

const executionRoleCases: Case[] = [
  // Guide CHECK 1 and DOC.execRole: AmazonECSTaskExecutionRolePolicy is AWS's policy for this role.
  valid('AmazonECSTaskExecutionRolePolicy attached', async (lab, f) => {
    await attachManaged(lab, f.execRoleName, EXEC_MANAGED);
  }),
  // DOC.ecrActions: GetAuthorizationToken supports only "*", the pull actions can be scoped to the repository.
  valid('inline policy: token on *, pull actions on the repository ARN only', async (lab, f) => {
    await putInline(lab, f.execRoleName, 'pull', policy(allow(TOKEN, '*'), allow(PULL, f.repoArn)));
  }),
  // Class 2, DOC.repoPolicies: "only needs to be allowed ... through either a repository policy or an IAM policy"; the token through IAM.
  valid('token in IAM, pull actions granted by the repository policy', async (lab, f) => {
    await putInline(lab, f.execRoleName, 'token', policy(allow(TOKEN, '*')));
    await setRepoPolicy(lab, f, policy({ Sid: 'ExecRolePull', Effect: 'Allow', Principal: { AWS: f.execRoleArn }, Action: PULL }));
  }),
  // Class 1, DOC.execRole (Fargate tasks pulling ECR images over interface endpoints): pull actions conditioned on aws:sourceVpce/aws:sourceVpc.
  valid('pull actions conditioned on the ECR endpoints and the lab VPC, as AWS documents', async (lab, f) => {
    const ecrEndpoints = [f.endpoints['ecr.dkr'].id, f.endpoints['ecr.api'].id];
    const condition = { StringEquals: { 'aws:SourceVpce': ecrEndpoints, 'aws:SourceVpc': f.vpcId } };
    await putInline(lab, f.execRoleName, 'pull-through-endpoints', policy(allow(TOKEN, '*'), allow(PULL, '*', condition)));
  }),
  // Class 1, DOC.globalKeys aws:PrincipalTag: the session of a role carries the role's tags.
  valid('grant conditioned on aws:PrincipalTag/team, tag put on the role', async (lab, f) => {
    await tagRole(lab, f.execRoleName, 'team', 'payments');
    await putInline(
      lab,
      f.execRoleName,
      'pull',
      policy(allow([TOKEN, ...PULL], '*', { StringEquals: { 'aws:PrincipalTag/team': 'payments' } })),
    );
  }),
  // Class 1, DOC.globalKeys aws:userid: for an assumed role it is "<RoleId>:<session name>".
  valid('grant conditioned on aws:userid = <RoleId>:*', async (lab, f) => {
    await putInline(
      lab,
      f.execRoleName,
      'pull',
      policy(allow([TOKEN, ...PULL], '*', { StringLike: { 'aws:userid': `${f.execRoleId}:*` } })),
    );
  }),
  // Class 1, DOC.globalKeys aws:PrincipalArn: for a role session it is the role's ARN.
  valid('grant conditioned on aws:PrincipalArn = the role ARN', async (lab, f) => {
    await putInline(
      lab,
      f.execRoleName,
      'pull',
      policy(allow([TOKEN, ...PULL], '*', { ArnEquals: { 'aws:PrincipalArn': f.execRoleArn } })),
    );
  }),
  // Class 1, DOC.globalKeys aws:PrincipalAccount and aws:RequestedRegion: own account, us-east-1.
  valid('grant conditioned on aws:PrincipalAccount and aws:RequestedRegion', async (lab, f) => {
    const condition = { StringEquals: { 'aws:PrincipalAccount': ACCOUNT, 'aws:RequestedRegion': REGION } };
    await putInline(lab, f.execRoleName, 'pull', policy(allow([TOKEN, ...PULL], '*', condition)));
  }),
  // Classes 3 and 5, DOC.taskRole (trust with aws:SourceAccount) and DOC.updateService ("family:revision"): a new role, a new revision.
  valid('new execution role (trust scoped by aws:SourceAccount), new revision, service on family:revision', async (lab, f) => {
    const name = `${lab.learner}-exec-v2`;
    const arn = await createRole(lab, name, ecsTrust({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }));
    await attachManaged(lab, name, EXEC_MANAGED);
    const rev = await registerRevision(lab, f, (td) => {
      td.executionRoleArn = arn;
    });
    await pointService(lab, f, `${rev.family}:${rev.revision}`, rev.arn);
  }),
  // Brief ("an edited stack redeployed") and DOC.cfnDirectUpdate: the managed policy added to the role in the template.
  valid('managed policy added to the role in the stack template, stack updated', async (lab) => {
    await redeployEdited(lab, (resources) => {
      const roles = logicalIdsOf(resources, 'AWS::IAM::Role').filter((id) => /execution/i.test(id));
      resources[roles[0]].Properties.ManagedPolicyArns = [EXEC_MANAGED];
    });
  }),

  // Guide CHECK 1: "Missing ANY of these -> CannotPullContainerError"; no token, no layer check.
  shortcut('only BatchGetImage and GetDownloadUrlForLayer granted', [C.canPull], async (lab, f) => {
    await putInline(lab, f.execRoleName, 'pull', policy(allow(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], f.repoArn)));
  }),
  // Class 2, DOC.repoPolicies: "Amazon ECR requires that users have permission to make calls to the ecr:GetAuthorizationToken API through an IAM policy".
  shortcut('repository policy grants everything to the role, no IAM grant of the token', [C.canPull], async (lab, f) => {
    await setRepoPolicy(lab, f, policy({ Effect: 'Allow', Principal: { AWS: f.execRoleArn }, Action: [TOKEN, ...PULL] }));
  }),
  // Guide ("Task Role != Execution Role"): the task role is not used to pull the image.
  shortcut('pull permissions put on the task role instead', [C.canPull], async (lab, f) => {
    await attachManaged(lab, f.taskRoleName, EXEC_MANAGED);
  }),
  // Class 3, DOC.execRole: the execution role must trust ecs-tasks.amazonaws.com; a role only EC2 can assume gives the task no credentials.
  shortcut('new role trusted by ec2.amazonaws.com used as execution role', [C.canPull], async (lab, f) => {
    const name = `${lab.learner}-exec-ec2`;
    const arn = await createRole(
      lab,
      name,
      policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    );
    await attachManaged(lab, name, EXEC_MANAGED);
    const rev = await registerRevision(lab, f, (td) => {
      td.executionRoleArn = arn;
    });
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Class 3, DOC.execRole: ecs.amazonaws.com is not the principal that assumes execution roles.
  shortcut('managed policy attached, trust changed to ecs.amazonaws.com', [C.canPull], async (lab, f) => {
    await attachManaged(lab, f.execRoleName, EXEC_MANAGED);
    await setTrust(lab, f.execRoleName, policy({ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }));
  }),
  // Class 1, DOC.globalKeys aws:PrincipalTag: without the tag on the role the condition never matches.
  shortcut('grant conditioned on aws:PrincipalTag/team, role left untagged', [C.canPull], async (lab, f) => {
    await putInline(
      lab,
      f.execRoleName,
      'pull',
      policy(allow([TOKEN, ...PULL], '*', { StringEquals: { 'aws:PrincipalTag/team': 'payments' } })),
    );
  }),
  // Class 1, DOC.globalKeys aws:SourceVpce: the ECR calls travel through the ECR endpoints, never through the S3 gateway endpoint named here.
  shortcut('pull actions conditioned on aws:SourceVpce = the S3 gateway endpoint', [C.canPull], async (lab, f) => {
    const condition = { StringEquals: { 'aws:SourceVpce': f.endpoints['s3'].id } };
    await putInline(lab, f.execRoleName, 'pull', policy(allow(TOKEN, '*'), allow(PULL, '*', condition)));
  }),
  // Class 2, DOC.evaluation: an explicit deny in the repository policy overrides the identity allow.
  shortcut('managed policy attached, repository policy denies BatchGetImage to the role', [C.canPull], async (lab, f) => {
    await attachManaged(lab, f.execRoleName, EXEC_MANAGED);
    await setRepoPolicy(lab, f, policy({ Effect: 'Deny', Principal: { AWS: f.execRoleArn }, Action: 'ecr:BatchGetImage' }));
  }),
  // Guide "Watch Out" (never admin) and the least-privilege criterion.
  shortcut('AdministratorAccess on the execution role', [C.leastPrivilege], async (lab, f) => {
    await attachManaged(lab, f.execRoleName, ADMIN);
  }),
  // Class 4: ecr:* over repository/<stack>-* includes pushes and deletes on this and any future lab repository.
  shortcut('ecr:* on a repository wildcard', [C.leastPrivilege], async (lab, f) => {
    await putInline(
      lab,
      f.execRoleName,
      'ecr',
      policy(allow(TOKEN, '*'), allow('ecr:*', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${lab.stackName}-*`)),
    );
  }),
  // Class 4, DOC.ecrActions: BatchDeleteImage deletes images, which pulling never needs.
  shortcut('managed policy plus ecr:BatchDeleteImage on the repository', [C.leastPrivilege], async (lab, f) => {
    await attachManaged(lab, f.execRoleName, EXEC_MANAGED);
    await putInline(lab, f.execRoleName, 'cleanup', policy(allow('ecr:BatchDeleteImage', f.repoArn)));
  }),
  // Class 4, DOC.lifecycle: a lifecycle policy can expire every image in the repository.
  shortcut('managed policy plus ecr:PutLifecyclePolicy on the repository', [C.leastPrivilege], async (lab, f) => {
    await attachManaged(lab, f.execRoleName, EXEC_MANAGED);
    await putInline(lab, f.execRoleName, 'lifecycle', policy(allow('ecr:PutLifecyclePolicy', f.repoArn)));
  }),
  // Class 4, DOC.repoPolicies: SetRepositoryPolicy lets the role grant anyone anything on the repository.
  shortcut('managed policy plus ecr:SetRepositoryPolicy on the repository', [C.leastPrivilege], async (lab, f) => {
    await attachManaged(lab, f.execRoleName, EXEC_MANAGED);
    await putInline(lab, f.execRoleName, 'repo-policy', policy(allow('ecr:SetRepositoryPolicy', f.repoArn)));
  }),
  // Class 4, DOC.evaluation (NotAction): allow everything except IAM on every resource.
  shortcut('NotAction iam:* on every resource', [C.leastPrivilege], async (lab, f) => {
    await putInline(lab, f.execRoleName, 'all-but-iam', policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }));
  }),
  // Class 4, DOC.globalKeys aws:SecureTransport: the agent always calls over TLS, so the condition limits nothing.
  shortcut('ecr:* on * conditioned on aws:SecureTransport = true', [C.leastPrivilege], async (lab, f) => {
    await putInline(lab, f.execRoleName, 'ecr', policy(allow('ecr:*', '*', { Bool: { 'aws:SecureTransport': 'true' } })));
  }),
  // Class 4, DOC.globalKeys aws:ResourceAccount: every repository the role reaches is in its own account.
  shortcut('ecr:* on * conditioned on aws:ResourceAccount = own account', [C.leastPrivilege], async (lab, f) => {
    await putInline(lab, f.execRoleName, 'ecr', policy(allow('ecr:*', '*', { StringEquals: { 'aws:ResourceAccount': ACCOUNT } })));
  }),
  // Class 2, DOC.repoPolicies: a repository policy grant counts like an IAM grant, so ecr:* here over-grants the role.
  shortcut('managed policy plus a repository policy granting the role ecr:*', [C.leastPrivilege], async (lab, f) => {
    await attachManaged(lab, f.execRoleName, EXEC_MANAGED);
    await setRepoPolicy(lab, f, policy({ Effect: 'Allow', Principal: { AWS: f.execRoleArn }, Action: 'ecr:*' }));
  }),
];

// -------- variant image-tag: the task definition asks for a tag the repository does not have.

const imageTagCases: Case[] = [
  // Guide CHECK 4 and DOC.updateService: a revision with the tag that exists, the service moved to it as family:revision.
  valid('new revision with :v1, service on family:revision', async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage(`${f.repoUri}:v1`));
    await pointService(lab, f, `${rev.family}:${rev.revision}`, rev.arn);
  }),
  // Class 5, DOC.tdImage: "registry/repository@digest" is a valid image reference; service moved by full ARN.
  valid('new revision with the image by digest, service on the full ARN', async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage(`${f.repoUri}@${f.digest}`));
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // DOC.retag: giving the existing image the tag the task asks for makes the reference resolve; the task definition is unchanged.
  valid('existing image retagged v2 in ECR', async (lab, f) => {
    await retag(lab, f, 'v2');
  }),
  // Class 5, DOC.updateService: "If a revision isn't specified, the latest ACTIVE revision is used."
  valid('new revision with :v1, service on the bare family name', async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage(`${f.repoUri}:v1`));
    await pointService(lab, f, rev.family, rev.arn);
  }),
  // Class 5, DOC.updateService: a service may run a task definition of any family.
  valid('new family with :v1, service moved to it', async (lab, f) => {
    const rev = await registerRevision(lab, f, (td) => {
      td.family = `${lab.learner}-payments-app`;
      td.containerDefinitions[0].image = `${f.repoUri}:v1`;
    });
    await pointService(lab, f, `${rev.family}:${rev.revision}`, rev.arn);
  }),
  // Guide CHECK 4 ("Use immutable tags"), DOC.tagMutability: retag, then freeze the tags.
  valid('retagged v2 and tags made immutable', async (lab, f) => {
    await retag(lab, f, 'v2');
    await lab.clients.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: f.repoName, imageTagMutability: 'IMMUTABLE' }));
  }),
  // Class 3, DOC.taskRole: a new execution role whose trust is scoped with aws:SourceAccount still lets ECS assume it.
  valid('new revision with :v1 and a new execution role (trust scoped by aws:SourceAccount)', async (lab, f) => {
    const name = `${lab.learner}-exec-v2`;
    const arn = await createRole(lab, name, ecsTrust({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }));
    await attachManaged(lab, name, EXEC_MANAGED);
    const rev = await registerRevision(lab, f, (td) => {
      td.containerDefinitions[0].image = `${f.repoUri}:v1`;
      td.executionRoleArn = arn;
    });
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Class 4 boundary, DOC.ecrActions: the managed policy swapped for token + pull on this repository + logs on its group.
  valid('retagged v2, execution role narrowed to this repository and log group', async (lab, f) => {
    await retag(lab, f, 'v2');
    const logGroupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${f.logGroup}:*`;
    await putInline(lab, f.execRoleName, 'narrow', policy(allow(TOKEN, '*'), allow(PULL, f.repoArn), allow(LOGS, logGroupArn)));
    const { iam } = lab.clients;
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: f.execRoleName }))).AttachedPolicies ?? [];
    for (const p of attached) await iam.send(new DetachRolePolicyCommand({ RoleName: f.execRoleName, PolicyArn: p.PolicyArn }));
  }),

  // DOC.updateService: registering a revision changes nothing until the service runs it.
  shortcut('new revision with :v1 registered, service left on the old one', [C.image], async (lab, f) => {
    await registerRevision(lab, f, setImage(`${f.repoUri}:v1`));
  }),
  // Guide CHECK 4: the repository has no "latest" either.
  shortcut('new revision with :latest', [C.image], async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage(`${f.repoUri}:latest`));
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Class 5, DOC.tdImage: a digest reference must name a manifest the repository holds.
  shortcut('new revision with a digest the repository does not hold', [C.image], async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage(`${f.repoUri}@sha256:${'0'.repeat(64)}`));
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Brief ("the image is in the team's private ECR repository", no internet) and DOC.ecrVpce (no VPC endpoint for ECR Public).
  shortcut('new revision pulling busybox from ECR Public', [C.image], async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage('public.ecr.aws/docker/library/busybox:latest'));
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Class 5: the same repository name in us-west-2's registry is another repository, unreachable through this VPC's endpoints.
  shortcut("new revision with :v1 in us-west-2's registry", [C.image], async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage(`${f.registry.replace(REGION, 'us-west-2')}/${f.repoName}:v1`));
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Class 5: a new, empty repository whose name extends the lab's does not hold v1.
  shortcut('new revision with :v1 in a new empty repository', [C.image], async (lab, f) => {
    const repo = (await lab.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: `${f.repoName}-v2` }))).repository!;
    const rev = await registerRevision(lab, f, setImage(`${repo.repositoryUri}:v1`));
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Class 5: image tags are case-sensitive; V2 is not v2.
  shortcut('existing image retagged V2 (capital V)', [C.image], async (lab, f) => {
    await retag(lab, f, 'V2');
  }),
  // DOC.execRole: on Fargate, pulling from a private ECR repository needs an execution role; without one the pull has no credentials.
  shortcut('new revision with :v1 and no execution role (and no awslogs)', [C.canPull], async (lab, f) => {
    const rev = await registerRevision(lab, f, (td) => {
      td.containerDefinitions[0].image = `${f.repoUri}:v1`;
      delete td.containerDefinitions[0].logConfiguration;
      delete td.executionRoleArn;
    });
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Guide ("Task Role != Execution Role"): the task role has no ECR permissions.
  shortcut('new revision with :v1 using the task role as execution role', [C.canPull], async (lab, f) => {
    const rev = await registerRevision(lab, f, (td) => {
      td.containerDefinitions[0].image = `${f.repoUri}:v1`;
      td.executionRoleArn = f.taskRoleArn;
    });
    await pointService(lab, f, rev.arn, rev.arn);
  }),
  // Brief: "no public IPs".
  shortcut('new revision with :v1, service switched to public IPs', [C.privateSubnets], async (lab, f) => {
    const rev = await registerRevision(lab, f, setImage(`${f.repoUri}:v1`));
    await pointService(lab, f, rev.arn, rev.arn);
    await setServiceNetwork(lab, f, { assignPublicIp: 'ENABLED' });
  }),
  // Class 4, same standard in every variant: ecr:* over every repository pushes and deletes anywhere.
  shortcut('retagged v2 and ecr:* on repository/* for the execution role', [C.leastPrivilege], async (lab, f) => {
    await retag(lab, f, 'v2');
    await putInline(lab, f.execRoleName, 'ecr', policy(allow('ecr:*', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/*`)));
  }),
];

const casesByVariant: Record<string, { prefix: string; armed: string; cases: Case[] }> = {
  'no-s3-path': { prefix: 'n', armed: C.s3Path, cases: noS3PathCases },
  'execution-role-ecr': { prefix: 'e', armed: C.canPull, cases: executionRoleCases },
  'image-tag': { prefix: 'i', armed: C.image, cases: imageTagCases },
};

// ---------------------------------------------------------------- reset and destroy

/** What the region holds: a lab's destroy must bring it back to what it was before the lab. */
async function regionListing(clients: AwsClients): Promise<Record<string, string[]>> {
  const { cloudformation, ec2, ecr, ecs, iam, logs } = clients;
  const ids = (items: any[], key: string) => items.map((i) => String(i[key])).sort();
  const live = (items: any[], key: string) => items.filter((i) => !/^(deleted|deleting)$/i.test(String(i[key] ?? '')));
  const stacks = await collect(paginateListStacks({ client: cloudformation }, {}), (p) => p.StackSummaries);
  const vpcIds = ((await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((v) => v.VpcId!);
  return {
    stacks: ids(
      stacks.filter((s) => s.StackStatus !== 'DELETE_COMPLETE'),
      'StackName',
    ),
    vpcs: [...vpcIds].sort(),
    subnets: ids((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [], 'SubnetId'),
    routeTables: ids((await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? [], 'RouteTableId'),
    internetGateways: ids((await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways ?? [], 'InternetGatewayId'),
    natGateways: ids(live((await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [], 'State'), 'NatGatewayId'),
    vpcEndpoints: ids(live((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [], 'State'), 'VpcEndpointId'),
    securityGroups: ids((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [], 'GroupId'),
    // moto keeps a deleted VPC's default network ACL; AWS deletes it with the VPC, so only ACLs of live VPCs are listed.
    networkAcls: ids(
      ((await ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls ?? []).filter((acl) => vpcIds.includes(acl.VpcId!)),
      'NetworkAclId',
    ),
    repositories: ids(await collect(paginateDescribeRepositories({ client: ecr }, {}), (p) => p.repositories), 'repositoryName'),
    clusters: await activeClusters(ecs),
    taskDefinitions: (
      await collect(paginateListTaskDefinitions({ client: ecs }, { status: 'ACTIVE' }), (p) => p.taskDefinitionArns)
    ).sort(),
    roles: ids(await collect(paginateListRoles({ client: iam }, {}), (p) => p.Roles), 'RoleName'),
    logGroups: ids(await collect(paginateDescribeLogGroups({ client: logs }, {}), (p) => p.logGroups), 'logGroupName'),
  };
}

/** Deleted clusters stay listed as INACTIVE for a while on AWS too (DeleteCluster); only ACTIVE ones are left over. */
async function activeClusters(ecs: AwsClients['ecs']): Promise<string[]> {
  const arns = await collect(paginateListClusters({ client: ecs }, {}), (p) => p.clusterArns);
  const active: string[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const page = await ecs.send(new DescribeClustersCommand({ clusters: arns.slice(i, i + 100) }));
    active.push(...(page.clusters ?? []).filter((c) => c.status === 'ACTIVE').map((c) => c.clusterArn!));
  }
  return active.sort();
}

interface Lifecycle {
  readonly name: string;
  /** Verdict right after the action, before reset. */
  readonly before: 'fixed' | 'not-fixed';
  act(lab: Lab, f: Facts): Promise<void>;
}

const lifecycles: Record<string, Lifecycle[]> = {
  'no-s3-path': [
    {
      name: 'the S3 gateway endpoint',
      before: 'fixed',
      act: async (lab, f) => {
        await addS3Gateway(lab, f);
      },
    },
    {
      name: 'an endpoint made for one route table and extended with ModifyVpcEndpoint',
      before: 'fixed',
      act: async (lab, f) => {
        const id = await addS3Gateway(lab, f, { routeTables: [f.routeTables[0]] });
        await addRouteTablesToEndpoint(lab, id, [f.routeTables[1]]);
      },
    },
    {
      name: 'a messy shortcut (internet gateway and routes, a public subnet, an open security group, an S3 interface endpoint, public IPs)',
      before: 'not-fixed',
      act: async (lab, f) => {
        const igw = await addInternetGateway(lab, f);
        for (const rt of f.routeTables) await defaultRoute(lab, rt, { GatewayId: igw });
        const subnet = await addPublicSubnet(lab, f, igw);
        const sg = (
          await lab.clients.ec2.send(
            new CreateSecurityGroupCommand({ GroupName: `${lab.learner}-open`, Description: 'open', VpcId: f.vpcId }),
          )
        ).GroupId!;
        await addS3Interface(lab, f, sg);
        await setServiceNetwork(lab, f, {
          subnets: [...f.subnets, subnet],
          securityGroups: [...f.serviceSgs, sg],
          assignPublicIp: 'ENABLED',
        });
      },
    },
  ],
  'execution-role-ecr': [
    {
      name: 'the managed execution policy',
      before: 'fixed',
      act: (lab, f) => attachManaged(lab, f.execRoleName, EXEC_MANAGED),
    },
    {
      name: 'a messy shortcut (AdministratorAccess, an inline *, a tag, a trust edit, task-role grants, repository and lifecycle policies, a bigger revision)',
      before: 'not-fixed',
      act: async (lab, f) => {
        await attachManaged(lab, f.execRoleName, ADMIN);
        await putInline(lab, f.execRoleName, 'everything', policy(allow('*', '*')));
        await tagRole(lab, f.execRoleName, 'team', 'payments');
        await setTrust(lab, f.execRoleName, ecsTrust({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }));
        await attachManaged(lab, f.taskRoleName, EXEC_MANAGED);
        await setRepoPolicy(lab, f, policy({ Effect: 'Allow', Principal: { AWS: f.execRoleArn }, Action: 'ecr:*' }));
        await putLifecycle(lab, f, [
          { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
        ]);
        const rev = await registerRevision(lab, f, (td) => {
          td.cpu = '512';
          td.memory = '1024';
        });
        await pointService(lab, f, rev.arn, rev.arn);
      },
    },
  ],
  'image-tag': [
    {
      name: 'a new revision with :v1',
      before: 'fixed',
      act: async (lab, f) => {
        const rev = await registerRevision(lab, f, setImage(`${f.repoUri}:v1`));
        await pointService(lab, f, rev.arn, rev.arn);
      },
    },
    {
      name: 'a messy shortcut (retags, immutability, a lifecycle policy, several revisions, public IPs)',
      before: 'not-fixed',
      act: async (lab, f) => {
        await retag(lab, f, 'V2');
        await retag(lab, f, 'latest');
        await lab.clients.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: f.repoName, imageTagMutability: 'IMMUTABLE' }));
        await putLifecycle(lab, f, [
          {
            rulePriority: 1,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
            action: { type: 'expire' },
          },
        ]);
        await registerRevision(lab, f, setImage(`${f.repoUri}:v3`));
        const rev = await registerRevision(lab, f, setImage('public.ecr.aws/docker/library/busybox:latest'));
        await pointService(lab, f, rev.arn, rev.arn);
        await setServiceNetwork(lab, f, { assignPublicIp: 'ENABLED' });
      },
    },
  ],
};

// ---------------------------------------------------------------- running them

/**
 * Labs are independent (one learner name each), so cases run a few at a time
 * on the one emulator; a reset/destroy test runs alone, because it compares
 * the whole region's listing before and after its lab.
 */
class LabGate {
  private shared = 0;
  private exclusive = false;
  private readonly queue: { alone: boolean; start: () => void }[] = [];
  constructor(private readonly width: number) {}

  async run<T>(alone: boolean, fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.queue.push({ alone, start });
      this.pump();
    });
    try {
      return await fn();
    } finally {
      if (alone) this.exclusive = false;
      else this.shared--;
      this.pump();
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.exclusive) {
      const next = this.queue[0];
      if (next.alone ? this.shared > 0 : this.shared >= this.width) return;
      if (next.alone) this.exclusive = true;
      else this.shared++;
      this.queue.shift();
      next.start();
    }
  }
}

const gate = new LabGate(3);
const summary = (g: { verdict: string; failing: string[] }) => ({ verdict: g.verdict, failing: [...g.failing].sort() });

describe('fargate-cannot-pull-image: learner behaviour, graded from the brief and the AWS docs', () => {
  // Concurrent tests start before beforeAll hooks finish (a known jest limitation), so the emulator starts on first use.
  let started: Promise<Emulator> | undefined;
  const emulator = () => (started ??= startEmulator());
  afterAll(async () => {
    if (started) await (await started).stop();
  });

  it('covers every variant in scenario.json with at least 6 valid remedies and 8 shortcuts', () => {
    expect(Object.keys(casesByVariant).sort()).toEqual([...variants].sort());
    for (const { cases } of Object.values(casesByVariant)) {
      expect(cases.filter((c) => c.expected === 'fixed').length).toBeGreaterThanOrEqual(6);
      expect(cases.filter((c) => c.expected === 'not-fixed').length).toBeGreaterThanOrEqual(8);
    }
  });

  for (const [variant, { prefix, armed, cases }] of Object.entries(casesByVariant)) {
    describe(`variant ${variant}`, () => {
      cases.forEach((c, i) => {
        const learner = `${prefix}${String(i + 1).padStart(2, '0')}`;
        const title = `${c.name} -> ${c.expected}${c.criteria.length ? ` (${c.criteria.join(', ')})` : ''}`;
        it.concurrent(title, () =>
          gate.run(false, async () => {
            const emu = await emulator();
            const lab = await deployLab(emu.endpoint, learner, variant);
            try {
              const f = await discover(lab);
              await c.act(lab, f);
              const grade = await checkLab(lab);
              const expected =
                c.expected === 'fixed'
                  ? { verdict: 'fixed', failing: [] }
                  : { verdict: 'not-fixed', failing: expect.arrayContaining(c.criteria) };
              if (grade.verdict !== c.expected) process.stderr.write(`[${learner}] ${c.name}\n  ${grade.notes.join('\n  ')}\n`);
              expect(summary(grade)).toEqual(expected);
            } finally {
              await destroyLab(lab).catch((err) => process.stderr.write(`[${learner}] cleanup: ${(err as Error).message}\n`));
            }
          }),
        );
      });

      lifecycles[variant].forEach((lc, i) => {
        const learner = `${prefix}r${i + 1}`;
        it.concurrent(`after ${lc.name}: reset re-arms the lab and destroy leaves the region as it was`, () =>
          gate.run(true, async () => {
            const emu = await emulator();
            const clients = emulatorClients(emu.endpoint);
            const before = await regionListing(clients);
            const lab = await deployLab(emu.endpoint, learner, variant);
            const f = await discover(lab);
            await lc.act(lab, f);
            expect((await checkLab(lab)).verdict).toBe(lc.before);
            await resetLab(lab);
            expect(summary(await checkLab(lab))).toEqual({ verdict: 'not-fixed', failing: expect.arrayContaining([armed]) });
            await destroyLab(lab);
            expect(await regionListing(clients)).toEqual(before);
          }),
        );
      });
    });
  }
});
