/**
 * The read-only grader policy is exactly what grading needs. Each scenario
 * declares the IAM actions its checker reads in its scenario.json
 * (`grader.actions`); the published docs/grader-policy.json is their union
 * with what class grading reads itself. For every scenario and every variant
 * moto can arm: deploy it and run `class grade`'s path observed (see
 * test/support/grader.ts), broken, after learner changes that trigger
 * conditional reads, and for fargate-cannot-pull-image once more after the
 * fix. Each scenario's declaration must equal what was seen, the published
 * file must equal the union, and grading must only read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRADING_BASE_ACTIONS, graderActions, graderPolicy, iamActionFor } from '../../lib/class/grader-policy';
import { deployScenario } from '../../lib/ops/deploy';
import { destroyScenario } from '../../lib/ops/destroy';
import { variantsFor } from '../../lib/scenario/naming';
import { SCENARIOS } from '../support/catalog';
import { audit } from '../framework/read-only-audit';
import { labContext, useMoto } from '../support/lab';
import { GRADER_LEARNER, declarationGap, gradeObserved, gradeObservedAsAws, recorder, stimulate } from '../support/grader';
import { FARGATE, fixFargate } from './helpers';

const POLICY_FILE = join(__dirname, '..', '..', 'docs', 'grader-policy.json');

const moto = useMoto();
/** Every call seen, per scenario, as `service:Operation`. */
const callsBy = new Map<string, Set<string>>(SCENARIOS.map((s) => [s.id, new Set<string>()]));

const cases = SCENARIOS.flatMap((s) => variantsFor(s.meta, 'moto').map((v) => [s.id, v] as const));

describe.each(cases)('%s, variant %s', (id, variant) => {
  const scenario = SCENARIOS.find((s) => s.id === id)!;
  const observer = recorder(callsBy.get(id)!);
  test('grading is observed broken, after learner changes, down both code paths (and fixed, where the test knows the fix)', async () => {
    const ctx = labContext(scenario, moto.endpoint, { learner: GRADER_LEARNER, variant });
    await deployScenario(scenario, ctx);
    const undo: (() => Promise<unknown>)[] = [];
    try {
      expect(await gradeObserved(scenario, moto.endpoint, observer)).toBe('not-fixed');
      await gradeObservedAsAws(scenario, moto.endpoint, observer);
      try {
        await stimulate(ctx, undo);
        await gradeObserved(scenario, moto.endpoint, observer);
        await gradeObservedAsAws(scenario, moto.endpoint, observer);
      } finally {
        for (const u of undo.splice(0)) await u();
      }
      if (scenario.id === FARGATE.id && variant === 'no-s3-path') {
        await fixFargate(ctx);
        expect(await gradeObserved(scenario, moto.endpoint, observer)).toBe('fixed');
        await gradeObservedAsAws(scenario, moto.endpoint, observer);
      }
    } finally {
      await destroyScenario(scenario, ctx);
      ctx.clients.destroy();
    }
  });
});

describe('the published policy', () => {
  test('grading sent only reads', () => {
    const a = audit(SCENARIOS.flatMap((s) => [...callsBy.get(s.id)!]));
    expect({ mutating: a.mutating, unproven: a.unproven }).toEqual({ mutating: [], unproven: [] });
  });

  // On failure: put `missing` into / take `extra` out of that scenario's scenario.json grader.actions, then `npm run docs`.
  test.each(SCENARIOS.map((s) => s.id))('%s: scenario.json declares every action its grading needs, and nothing else', (id) => {
    const scenario = SCENARIOS.find((s) => s.id === id)!;
    expect(callsBy.get(id)!.size).toBeGreaterThan(0);
    expect(declarationGap(scenario, callsBy.get(id)!)).toEqual({ missing: [], extra: [] });
  });

  test('docs/grader-policy.json is what grading reads itself plus every declaration (`npm run docs` writes it)', () => {
    const published = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
    expect(published).toEqual(graderPolicy(graderActions(SCENARIOS)));
    expect(published.Statement[0].Action).toEqual(expect.arrayContaining([...GRADING_BASE_ACTIONS]));
  });

  test('maps SDK operations to IAM actions where the names differ, and takes a scenario exception', () => {
    expect(iamActionFor('s3', 'HeadObjectCommand')).toBe('s3:GetObject');
    expect(iamActionFor('s3', 'ListObjectsV2Command')).toBe('s3:ListBucket');
    expect(iamActionFor('s3', 'GetPublicAccessBlockCommand')).toBe('s3:GetBucketPublicAccessBlock');
    expect(iamActionFor('tagging', 'GetResourcesCommand')).toBe('tag:GetResources');
    expect(iamActionFor('sts', 'GetCallerIdentityCommand')).toBeUndefined();
    expect(iamActionFor('ec2', 'DescribeRouteTablesCommand')).toBe('ec2:DescribeRouteTables');
    // Any SDK client: the signing name is the prefix, without a table entry per service.
    expect(iamActionFor('elasticloadbalancing', 'DescribeTargetHealthCommand')).toBe('elasticloadbalancing:DescribeTargetHealth');
    expect(iamActionFor('secretsmanager', 'DescribeSecretCommand')).toBe('secretsmanager:DescribeSecret');
    expect(iamActionFor('execute-api', 'GetThingCommand', { iamPrefixes: { 'execute-api': 'apigateway' } })).toBe('apigateway:GetThing');
    expect(iamActionFor('kms', 'DescribeKeyCommand', { renamedActions: { 'kms:DescribeKey': null } })).toBeUndefined();
  });
});
