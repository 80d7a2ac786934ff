/**
 * The read-only grader policy is exactly what grading needs. Each scenario
 * declares the IAM actions its checker reads in its scenario.json
 * (`grader.actions`); the published docs/grader-policy.json is their union
 * with what class grading reads itself. For every scenario and every variant
 * moto can arm: deploy it and run `class grade`'s path observed (see
 * test/support/grader.ts), broken, after learner changes that trigger
 * conditional reads, and for fargate-cannot-pull-image once more after the
 * fix. Variants moto cannot run (the s3 scenario's scp, which needs AWS
 * Organizations) are graded on the real-AWS code path against documented
 * shapes of AWS's responses, given by the scenario's own
 * test/documented-shapes.ts, and their calls are recorded the same way. The
 * real-AWS path runs with moto in an organization, so the SCP reads are seen.
 * Each scenario's declaration must equal what was seen, the published file
 * must equal the union, and grading must only read.
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
import { loadDocumentedShapes } from '../support/documented-shapes';
import { AWS_TARGET, stubbedClients } from '../support/stub-clients';
import { makeContext } from '../../lib/ops/context';
import { checkScenario } from '../../lib/ops/check';
import { CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { AwsClients } from '../../lib/targets/clients';
import { EMULATOR_CREDENTIALS } from '../../lib/targets/target';
import { FARGATE, fixFargate } from './helpers';

const POLICY_FILE = join(__dirname, '..', '..', 'docs', 'grader-policy.json');

const moto = useMoto();
/** Every call seen, per scenario, as `service:Operation`. */
const callsBy = new Map<string, Set<string>>(SCENARIOS.map((s) => [s.id, new Set<string>()]));

const cases = SCENARIOS.flatMap((s) => variantsFor(s.meta, 'moto').map((v) => [s.id, v] as const));
/** Variants moto cannot run (AWS Organizations, for example): graded against their folder's documented shapes. */
const awsOnly = SCENARIOS.flatMap((s) =>
  s.meta.variants.filter((v) => !variantsFor(s.meta, 'moto').includes(v.id)).map((v) => [s.id, v.id] as const),
);

// The real-AWS code path reads the SCPs over the account; in an organization it walks ListParents, ListPoliciesForTarget
// and DescribePolicy, outside one it stops at the first refusal. moto in an organization shows the longer path.
beforeAll(async () => {
  const clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint }, { credentials: EMULATOR_CREDENTIALS });
  try {
    await clients.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  } finally {
    clients.destroy();
  }
});

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

describe.each(awsOnly)('%s, variant %s (AWS only: documented shapes)', (id, variant) => {
  const scenario = SCENARIOS.find((s) => s.id === id)!;
  test('grading is observed on every documented state of the account, the real gather answered as AWS documents', async () => {
    const states = loadDocumentedShapes(id)?.[variant];
    if (!states?.length)
      throw new Error(
        `Variant ${variant} of ${id} cannot run on moto, and scenarios/${id}/test/documented-shapes.ts gives no states for it.`,
      );
    for (const state of states) {
      const clients = stubbedClients(AWS_TARGET, state.respond, { observer: recorder(callsBy.get(id)!) });
      try {
        const ctx = makeContext({ scenario, target: AWS_TARGET, learner: GRADER_LEARNER, variant, clients });
        const report = await checkScenario(scenario, ctx);
        // A state the checker cannot grade (a call without a documented answer) would hide reads: every criterion must decide.
        expect({ state: state.name, errors: report.criteria.filter((c) => c.status === 'error').map((c) => c.message) }).toEqual({
          state: state.name,
          errors: [],
        });
      } finally {
        clients.destroy();
      }
    }
  });
});

describe('the published policy', () => {
  test('the SCP reads of the real-AWS path were seen, signed as organizations', () => {
    const seen = new Set(SCENARIOS.flatMap((s) => [...callsBy.get(s.id)!]));
    for (const call of ['organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:DescribePolicy'])
      expect([...seen]).toContain(call);
  });

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
    // Organizations signs as `organizations`, its IAM prefix (Service Authorization Reference, "AWS Organizations").
    expect(iamActionFor('organizations', 'ListPoliciesForTargetCommand')).toBe('organizations:ListPoliciesForTarget');
    expect(iamActionFor('organizations', 'DescribePolicyCommand')).toBe('organizations:DescribePolicy');
    expect(iamActionFor('execute-api', 'GetThingCommand', { iamPrefixes: { 'execute-api': 'apigateway' } })).toBe('apigateway:GetThing');
    expect(iamActionFor('kms', 'DescribeKeyCommand', { renamedActions: { 'kms:DescribeKey': null } })).toBeUndefined();
  });
});
