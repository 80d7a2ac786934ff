/**
 * A round's read view, proved on documented shapes of AWS's responses (no
 * emulator): labs graded through one view read the account-wide collections
 * once between them, give the same verdicts as a check of each lab alone, and
 * still read per lab what has no account-wide read.
 */
import { checkScenario } from '../../lib/ops/check';
import { makeContext } from '../../lib/ops/context';
import { ReadView } from '../../lib/scenario/read-view';
import { AWS_TARGET, stubbedClients } from '../support/stub-clients';
import s3 from '../../scenarios/s3-delete-access-denied';
import { documentedResponder, scpWorld } from '../../scenarios/s3-delete-access-denied/test/documented-shapes';

const LEARNERS = ['ana', 'ben'];
const count = (calls: readonly string[]) => calls.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());

/** The scp variant's labs of every learner in one account, checked alone (a view each) or in one round (one shared view). */
async function gradeScpLabs(shared: boolean) {
  const calls: string[] = [];
  const clients = stubbedClients(AWS_TARGET, documentedResponder(scpWorld(), calls));
  const round = new ReadView(clients);
  const verdicts = [];
  for (const learner of LEARNERS) {
    const ctx = makeContext({ scenario: s3, target: AWS_TARGET, learner, variant: 'scp', clients, ...(shared ? { view: round } : {}) });
    const report = await checkScenario(s3, ctx);
    verdicts.push(report.criteria.map((c) => `${c.id}:${c.status}:${c.message}`));
  }
  clients.destroy();
  return { verdicts, calls: count(calls) };
}

describe('one read view per account and round', () => {
  it('labs in one round read IAM, the organization and its SCPs once, and each lab its own stack and bucket', async () => {
    const alone = await gradeScpLabs(false);
    const round = await gradeScpLabs(true);
    // The same verdicts, word for word, as when each lab is checked on its own.
    expect(round.verdicts).toEqual(alone.verdicts);
    expect(round.verdicts[0].some((v) => v.includes(':fail:'))).toBe(true); // the armed lab is graded not fixed
    const perLab = alone.calls.get('GetAccountAuthorizationDetailsCommand')! / LEARNERS.length;
    expect(perLab).toBeGreaterThanOrEqual(1);
    // Account-wide: once for the round, as often as for one lab checked alone.
    for (const op of [
      'GetAccountAuthorizationDetailsCommand',
      'DescribeOrganizationCommand',
      'ListParentsCommand',
      'ListPoliciesForTargetCommand',
      'DescribePolicyCommand',
    ]) {
      expect([op, round.calls.get(op)]).toEqual([op, alone.calls.get(op)! / LEARNERS.length]);
    }
    // Per lab: CloudFormation lists no stack's resources account-wide, and S3 has no account-wide read of bucket settings.
    for (const op of ['ListStackResourcesCommand', 'GetBucketPolicyCommand', 'GetBucketAclCommand', 'ListObjectsV2Command']) {
      expect([op, round.calls.get(op)]).toEqual([op, alone.calls.get(op)]);
    }
  });
});

/**
 * The listings a gather looks VPCs, network ACLs, load balancers and target groups up in, answered as
 * EC2's and ELB's API references document them (NextToken / NextMarker pages; a lookup by an ID that
 * does not exist fails with InvalidVpcID.NotFound, TargetGroupNotFound or LoadBalancerNotFound).
 */
describe('account-wide EC2 and ELB listings', () => {
  const ARN = (kind: string, name: string) => `arn:aws:elasticloadbalancing:eu-west-1:111122223333:${kind}/${name}/0123456789abcdef`;
  const notFound = (name: string) => Object.assign(new Error(`${name} (documented shape)`), { name, $metadata: { httpStatusCode: 400 } });
  /** Each lab's VPC, ACLs, load balancer and target group; `hidden` ones exist but are left out of the listings. */
  const labs = ['a', 'b', 'c'].map((x) => ({
    vpc: { VpcId: `vpc-${x}`, CidrBlock: `10.${x.charCodeAt(0)}.0.0/16` },
    acls: [
      { NetworkAclId: `acl-${x}1`, VpcId: `vpc-${x}` },
      { NetworkAclId: `acl-${x}2`, VpcId: `vpc-${x}` },
    ],
    lb: { LoadBalancerArn: ARN('loadbalancer/app', `lb-${x}`), LoadBalancerName: `lb-${x}` },
    tg: { TargetGroupArn: ARN('targetgroup', `tg-${x}`), HealthCheckPath: `/${x}`, LoadBalancerArns: [ARN('loadbalancer/app', `lb-${x}`)] },
  }));
  const [listed1, listed2, hidden] = labs;

  function world(calls: string[]) {
    return stubbedClients(AWS_TARGET, (command, input) => {
      calls.push(command);
      const pageOf = <T>(items: T[], token: string | undefined) => (token === 'page2' ? items.slice(1) : items.slice(0, 1));
      switch (command) {
        case 'DescribeVpcsCommand':
          if (input.VpcIds) {
            const vpc = labs.find((l) => l.vpc.VpcId === input.VpcIds[0])?.vpc;
            if (!vpc) throw notFound('InvalidVpcID.NotFound');
            return { Vpcs: [vpc] };
          }
          return { Vpcs: pageOf([listed1.vpc, listed2.vpc], input.NextToken), NextToken: input.NextToken ? undefined : 'page2' };
        case 'DescribeNetworkAclsCommand': {
          const acls = [...listed1.acls, ...listed2.acls];
          return input.NextToken ? { NetworkAcls: acls.slice(2) } : { NetworkAcls: acls.slice(0, 2), NextToken: 'page2' };
        }
        case 'DescribeTargetGroupsCommand':
          if (input.TargetGroupArns) {
            const tg = labs.find((l) => l.tg.TargetGroupArn === input.TargetGroupArns[0])?.tg;
            if (!tg) throw notFound('TargetGroupNotFoundException');
            return { TargetGroups: [tg] };
          }
          return { TargetGroups: pageOf([listed1.tg, listed2.tg], input.Marker), NextMarker: input.Marker ? undefined : 'page2' };
        case 'DescribeLoadBalancersCommand':
          if (input.LoadBalancerArns) {
            const lb = labs.find((l) => l.lb.LoadBalancerArn === input.LoadBalancerArns[0])?.lb;
            if (!lb) throw notFound('LoadBalancerNotFoundException');
            return { LoadBalancers: [lb] };
          }
          return { LoadBalancers: pageOf([listed1.lb, listed2.lb], input.Marker), NextMarker: input.Marker ? undefined : 'page2' };
        default:
          throw new Error(`no documented answer for ${command}`);
      }
    });
  }

  it('two labs read each listing once, every page of it, and find their own VPC, ACLs, target group and load balancer', async () => {
    const calls: string[] = [];
    const clients = world(calls);
    const view = new ReadView(clients);
    try {
      for (const lab of [listed1, listed2]) {
        expect(await view.vpc(lab.vpc.VpcId)).toEqual(lab.vpc);
        expect(await view.networkAclsOf(lab.vpc.VpcId)).toEqual(lab.acls);
        expect(await view.targetGroup(lab.tg.TargetGroupArn)).toEqual(lab.tg);
        expect(await view.loadBalancer(lab.lb.LoadBalancerArn)).toEqual(lab.lb);
      }
    } finally {
      clients.destroy();
    }
    // One listing per round, two pages each: the second lab sends nothing.
    expect(count(calls)).toEqual(
      new Map([
        ['DescribeVpcsCommand', 2],
        ['DescribeNetworkAclsCommand', 2],
        ['DescribeTargetGroupsCommand', 2],
        ['DescribeLoadBalancersCommand', 2],
      ]),
    );
  });

  it('a resource the listing lacks is read by its ID, and one that does not exist fails with the per-resource error', async () => {
    const calls: string[] = [];
    const clients = world(calls);
    const view = new ReadView(clients);
    try {
      expect(await view.vpc(hidden.vpc.VpcId)).toEqual(hidden.vpc);
      expect(await view.targetGroup(hidden.tg.TargetGroupArn)).toEqual(hidden.tg);
      expect(await view.loadBalancer(hidden.lb.LoadBalancerArn)).toEqual(hidden.lb);
      // Listed per VPC, as DescribeNetworkAcls filtered by vpc-id answers: none for a VPC that has none listed.
      expect(await view.networkAclsOf('vpc-gone')).toEqual([]);
      await expect(view.vpc('vpc-gone')).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
      await expect(view.targetGroup(ARN('targetgroup', 'gone'))).rejects.toMatchObject({ name: 'TargetGroupNotFoundException' });
      await expect(view.loadBalancer(ARN('loadbalancer/app', 'gone'))).rejects.toMatchObject({ name: 'LoadBalancerNotFoundException' });
    } finally {
      clients.destroy();
    }
    // The listings once (two pages each), then one call by ID per lookup the listing could not answer.
    expect(count(calls)).toEqual(
      new Map([
        ['DescribeVpcsCommand', 2 + 2],
        ['DescribeTargetGroupsCommand', 2 + 2],
        ['DescribeLoadBalancersCommand', 2 + 2],
        ['DescribeNetworkAclsCommand', 2],
      ]),
    );
  });
});

/**
 * RDS's, Lambda's and Parameter Store's account-wide reads, answered as their API references document them:
 * DescribeDBInstances pages by Marker and fails DBInstanceNotFound for an unknown identifier; ListFunctions
 * pages by NextMarker; GetFunctionConfiguration fails ResourceNotFoundException; DescribeParameters pages by
 * NextToken and gives no values; GetParameters takes at most ten names.
 */
describe('account-wide RDS, Lambda and Parameter Store reads', () => {
  const notFound = (name: string) => Object.assign(new Error(`${name} (documented shape)`), { name, $metadata: { httpStatusCode: 404 } });
  const dbs = ['ana-db', 'ben-db', 'hidden-db'].map((id) => ({ DBInstanceIdentifier: id, DbiResourceId: `db-${id.toUpperCase()}` }));
  const fns = ['ana-fn', 'ben-fn', 'hidden-fn'].map((name) => ({
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${name}`,
    Role: `arn:aws:iam::111122223333:role/${name}`,
    Timeout: 3,
    Environment: { Variables: { TABLE_NAME: `${name}-table` } },
  }));
  /** Twelve plain parameters (two GetParameters calls), a SecureString and a StringList, over three pages. */
  const params = [
    ...Array.from({ length: 11 }, (_, i) => ({ Name: `/lab/p${String(i).padStart(2, '0')}`, Type: 'String', Value: `value-${i}` })),
    { Name: '/lab/secret', Type: 'SecureString', Value: 'AQICAH-ciphertext' },
    { Name: '/lab/list', Type: 'StringList', Value: 'a,b' },
  ];

  function world(calls: string[]) {
    return stubbedClients(AWS_TARGET, (command, input) => {
      calls.push(command);
      const page = <T>(items: T[], token: string | undefined, size: number) => {
        const from = Number(token ?? 0);
        const next = from + size < items.length ? String(from + size) : undefined;
        return { items: items.slice(from, from + size), next };
      };
      switch (command) {
        case 'DescribeDBInstancesCommand': {
          if (input.DBInstanceIdentifier) {
            const db = dbs.find((d) => d.DBInstanceIdentifier === input.DBInstanceIdentifier);
            if (!db) throw notFound('DBInstanceNotFoundFault');
            return { DBInstances: [db] };
          }
          const p = page(dbs.slice(0, 2), input.Marker, 1);
          return { DBInstances: p.items, Marker: p.next };
        }
        case 'ListFunctionsCommand': {
          const p = page(fns.slice(0, 2), input.Marker, 1);
          return { Functions: p.items, NextMarker: p.next };
        }
        case 'GetFunctionConfigurationCommand': {
          const fn = fns.find((f) => f.FunctionName === input.FunctionName || f.FunctionArn === input.FunctionName);
          if (!fn) throw notFound('ResourceNotFoundException');
          return fn;
        }
        case 'DescribeParametersCommand': {
          if (input.ParameterFilters || input.Filters) throw new Error('the account-wide read takes no filter');
          const p = page(
            params.map(({ Name, Type }) => ({ Name, Type })),
            input.NextToken,
            5,
          );
          return { Parameters: p.items, NextToken: p.next };
        }
        case 'GetParametersCommand':
          if (input.Names.length > 10) throw Object.assign(new Error('at most 10 names'), { name: 'ValidationException' });
          return { Parameters: params.filter((p) => input.Names.includes(p.Name)), InvalidParameters: [] };
        default:
          throw new Error(`no documented answer for ${command}`);
      }
    });
  }

  it('two labs read each listing once, and the plain parameters with their values once, ten names a call', async () => {
    const calls: string[] = [];
    const clients = world(calls);
    const view = new ReadView(clients);
    try {
      for (const i of [0, 1]) {
        expect(await view.dbInstance(dbs[i].DBInstanceIdentifier)).toEqual(dbs[i]);
        expect(await view.functionConfiguration(fns[i].FunctionName)).toEqual(fns[i]);
        expect(await view.functionConfiguration(fns[i].FunctionArn)).toEqual(fns[i]);
        // The String and StringList ones, with values; never the SecureString.
        expect((await view.plainParameters()).map((p) => p.Name)).toEqual(
          params.filter((p) => p.Type !== 'SecureString').map((p) => p.Name),
        );
      }
    } finally {
      clients.destroy();
    }
    expect(count(calls)).toEqual(
      new Map([
        ['DescribeDBInstancesCommand', 2],
        ['ListFunctionsCommand', 2],
        ['DescribeParametersCommand', 3],
        ['GetParametersCommand', 2],
      ]),
    );
  });

  it('a DB instance or function the listing lacks is read by its ID, and one that does not exist fails with the per-resource error', async () => {
    const calls: string[] = [];
    const clients = world(calls);
    const view = new ReadView(clients);
    try {
      expect(await view.dbInstance('hidden-db')).toEqual(dbs[2]);
      expect(await view.functionConfiguration('hidden-fn')).toMatchObject(fns[2]);
      await expect(view.dbInstance('gone-db')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
      await expect(view.functionConfiguration('gone-fn')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      clients.destroy();
    }
    expect(count(calls)).toEqual(
      new Map([
        ['DescribeDBInstancesCommand', 2 + 2],
        ['ListFunctionsCommand', 2],
        ['GetFunctionConfigurationCommand', 2],
      ]),
    );
  });
});
