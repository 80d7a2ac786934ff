/** canAssumeRole and explainEvaluation: trust decisions for services and principals, and the policy-by-policy account. */
import { buildServiceCallContext } from '../request-context';
import { canAssumeRole, explainEvaluation, IndeterminateError, type NamedPolicy } from './index';

const A = '111122223333';
const TASK_ROLE = `arn:aws:iam::${A}:role/app/orders-task`;
const trust = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const ecsContext = (sourceAccount: string | null | undefined) =>
  buildServiceCallContext({
    service: 'ecs-tasks.amazonaws.com',
    region: 'eu-west-1',
    sourceAccount,
    sourceArn: `arn:aws:ecs:eu-west-1:${A}:task/c/abc`,
  });

describe('canAssumeRole', () => {
  const ecsTrust = trust({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });

  it('ECS tasks can assume a role whose trust policy names ecs-tasks.amazonaws.com', () => {
    const a = canAssumeRole({ roleArn: TASK_ROLE, trustPolicy: ecsTrust, caller: 'ecs-tasks.amazonaws.com', context: ecsContext(A) });
    expect(a.allowed).toBe(true);
    expect(a.sentence).toBe(`ecs-tasks.amazonaws.com can assume ${TASK_ROLE}: allowed by trust policy orders-task statement [0]`);
  });

  it('Lambda cannot assume a role that trusts only ECS tasks, and the sentence says which policy', () => {
    const a = canAssumeRole({
      roleArn: TASK_ROLE,
      trustPolicy: ecsTrust,
      caller: 'lambda.amazonaws.com',
      context: buildServiceCallContext({ service: 'lambda.amazonaws.com', region: 'eu-west-1' }),
    });
    expect(a.allowed).toBe(false);
    expect(a.sentence).toMatch(
      /lambda\.amazonaws\.com cannot assume .*: sts:AssumeRole is implicitly denied: the resource policy orders-task does not allow sts:AssumeRole for service principal lambda\.amazonaws\.com/,
    );
  });

  it('a confused-deputy guard on aws:SourceAccount holds when ECS sends the account, fails for another, and is undecidable unknown', () => {
    const guarded = trust({
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': A } },
    });
    expect(
      canAssumeRole({ roleArn: TASK_ROLE, trustPolicy: guarded, caller: 'ecs-tasks.amazonaws.com', context: ecsContext(A) }).allowed,
    ).toBe(true);
    expect(
      canAssumeRole({ roleArn: TASK_ROLE, trustPolicy: guarded, caller: 'ecs-tasks.amazonaws.com', context: ecsContext('999999999999') })
        .allowed,
    ).toBe(false);
    expect(() =>
      canAssumeRole({ roleArn: TASK_ROLE, trustPolicy: guarded, caller: 'ecs-tasks.amazonaws.com', context: ecsContext(undefined) }),
    ).toThrow(IndeterminateError);
  });

  it('passing session tags also needs sts:TagSession in the trust policy', () => {
    const person = `arn:aws:iam::${A}:user/alice`;
    const trustsAlice = trust({ Effect: 'Allow', Principal: { AWS: person }, Action: 'sts:AssumeRole' });
    const ctx = { values: {}, unknown: [] };
    expect(canAssumeRole({ roleArn: TASK_ROLE, trustPolicy: trustsAlice, caller: person, context: ctx }).allowed).toBe(true);
    const tagged = canAssumeRole({ roleArn: TASK_ROLE, trustPolicy: trustsAlice, caller: person, context: ctx, sessionTags: true });
    expect(tagged.allowed).toBe(false);
    expect(tagged.results.map((r) => [r.action, r.decision])).toEqual([
      ['sts:AssumeRole', 'Allowed'],
      ['sts:TagSession', 'ImplicitlyDenied'],
    ]);
  });
});

describe('explainEvaluation', () => {
  const SESSION = `arn:aws:sts::${A}:assumed-role/cleanup/nightly`;
  const policy = (name: string, ...Statement: object[]): NamedPolicy => ({ name, document: { Version: '2012-10-17', Statement } });

  it('lists each policy in AWS order with what it did', () => {
    const e = explainEvaluation(
      {
        principalArn: SESSION,
        action: 's3:DeleteObject',
        resourceArn: 'arn:aws:s3:::data/retained/a',
        resourceAccount: A,
        context: { values: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/cleanup` }, unknown: [] },
      },
      {
        scps: [{ target: 'r-root', policies: [policy('FullAWSAccess', { Effect: 'Allow', Action: '*', Resource: '*' })] }],
        resource: {
          name: 'data',
          kind: 'bucket policy',
          document: policy('x', {
            Sid: 'Protect',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:Delete*',
            Resource: 'arn:aws:s3:::data/retained/*',
          }).document,
        },
        identity: [policy('CleanupS3', { Sid: 'Delete', Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*' })],
        permissionsBoundary: policy('Boundary', { Effect: 'Allow', Action: 's3:*', Resource: '*' }),
      },
    );
    expect(e.result.decision).toBe('ExplicitlyDenied');
    expect(e.steps.map((s) => [s.step, s.policy])).toEqual([
      [1, 'service control policies of r-root'],
      [2, 'bucket policy data'],
      [3, 'identity-based policies'],
      [4, 'permissions boundary Boundary'],
    ]);
    expect(e.steps[1].why).toBe('explicitly denies with statement Protect: an explicit Deny in any policy decides');
    expect(e.steps[2].why).toBe('allow with identity-based policy CleanupS3 statement Delete, which the explicit Deny overrides');
    expect(e.steps[0].why).toMatch(/allows with statement \[0\]; a service control policy only lets requests through/);
  });
});
