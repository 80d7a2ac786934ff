/**
 * Checkers are read-only (issue section 5). For every scenario and every
 * variant moto can arm: deploy it, then run what the CLI's read-only commands
 * run (openLab, checkScenario, symptom, verifyArmed) and fail on any call that
 * could change something, seen either by the SDK clients or by moto itself.
 * The harness is shown to catch a mutating gather, criterion and symptom.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTagsCommand, DeleteTagsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { pass } from '../../checkers/criterion';
import type { CheckReport } from '../../checkers/criterion';
import { checkScenario } from '../../lib/ops/check';
import { makeContext } from '../../lib/ops/context';
import { deployScenario } from '../../lib/ops/deploy';
import { destroyScenario } from '../../lib/ops/destroy';
import { openLab } from '../../lib/ops/lab';
import { variantsFor } from '../../lib/scenario/naming';
import type { ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { AwsClients } from '../../lib/targets/clients';
import { EMULATOR_CREDENTIALS, Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { startTestMoto, TestMoto } from '../support/moto';
import { AuditResult, MotoRecorder, audit, observedClients } from './read-only-audit';

let moto: TestMoto;
let recorder: MotoRecorder;
let home: string;
let recordingDir: string;
const target = (): Target => ({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'breakfix-readonly-home-'));
  process.env.BREAKFIX_HOME = home;
  recordingDir = mkdtempSync(join(tmpdir(), 'breakfix-readonly-rec-'));
  const file = join(recordingDir, 'requests.jsonl');
  process.env.MOTO_RECORDER_FILEPATH = file;
  try {
    moto = await startTestMoto();
  } finally {
    delete process.env.MOTO_RECORDER_FILEPATH;
  }
  recorder = new MotoRecorder(moto.endpoint, file);
});
afterAll(async () => {
  await moto?.stop();
  rmSync(recordingDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

interface PhaseAudit {
  readonly phases: Record<'openLab' | 'check' | 'symptom' | 'verifyArmed', AuditResult>;
  /** What moto received over all phases. */
  readonly server: AuditResult;
  readonly report: CheckReport;
}

/**
 * Runs the read-only paths of one deployed lab with observed clients, one
 * phase at a time, while moto records every request it receives.
 */
async function auditReadOnlyPaths(
  scenarioFor: (ctx: ScenarioContext) => ScenarioDefinition,
  base: ScenarioDefinition,
  learner?: string,
): Promise<PhaseAudit> {
  const phases = {} as Record<keyof PhaseAudit['phases'], AuditResult>;
  let report: CheckReport | undefined;
  await recorder.start();
  let serverCalls: string[] = [];
  try {
    let ctx: ScenarioContext | undefined;
    {
      const o = observedClients(target());
      ctx = (await openLab(base, target(), { learner, clients: o.clients })).ctx;
      phases.openLab = audit(o.calls);
    }
    const run = async (name: 'check' | 'symptom' | 'verifyArmed') => {
      const o = observedClients(target());
      const phaseCtx = makeContext({ scenario: base, target: target(), learner, variant: ctx!.variant, clients: o.clients });
      const scenario = scenarioFor(phaseCtx);
      if (name === 'check') report = await checkScenario(scenario, phaseCtx);
      else if (name === 'symptom') await scenario.symptom(phaseCtx);
      else await scenario.verifyArmed(phaseCtx);
      phases[name] = audit(o.calls);
      o.clients.destroy();
    };
    await run('check');
    await run('symptom');
    await run('verifyArmed');
  } finally {
    serverCalls = await recorder.stop();
  }
  return { phases, server: audit(serverCalls), report: report! };
}

function expectReadOnly(a: PhaseAudit): void {
  for (const [name, phase] of Object.entries(a.phases)) {
    // An empty phase would prove nothing: the observer must have seen the reads.
    expect({ name, sent: phase.calls.length > 0 }).toEqual({ name, sent: true });
    expect({ name, mutating: phase.mutating, unproven: phase.unproven }).toEqual({ name, mutating: [], unproven: [] });
  }
  // moto saw every call the clients sent (so the recorder and its parser work), and no more writes.
  const missing = [...a.server.calls];
  const unseen = Object.values(a.phases)
    .flatMap((p) => p.calls)
    .filter((c) => {
      const i = missing.indexOf(c);
      if (i >= 0) missing.splice(i, 1);
      return i < 0;
    });
  expect(unseen).toEqual([]);
  expect({ server: { mutating: a.server.mutating, unproven: a.server.unproven } }).toEqual({ server: { mutating: [], unproven: [] } });
}

const cases = SCENARIOS.flatMap((s) => variantsFor(s.meta, 'moto').map((v) => [s.id, v] as const));

test('every scenario has at least one variant moto can arm', () => {
  expect(cases.length).toBeGreaterThanOrEqual(SCENARIOS.length);
  expect(new Set(cases.map(([id]) => id))).toEqual(new Set(SCENARIOS.map((s) => s.id)));
});

describe.each(cases)('%s, variant %s', (scenarioId, variant) => {
  const scenario = SCENARIOS.find((s) => s.id === scenarioId)!;
  const learner = 'audit';
  let deployCtx: ScenarioContext;
  let result: PhaseAudit;

  beforeAll(async () => {
    deployCtx = makeContext({ scenario, target: target(), learner, variant, clients: new AwsClients(target()) });
    await deployScenario(scenario, deployCtx);
    result = await auditReadOnlyPaths(() => scenario, scenario, learner);
  });
  afterAll(async () => {
    if (deployCtx) {
      await destroyScenario(scenario, deployCtx);
      deployCtx.clients.destroy();
    }
  });

  test('the check graded every criterion (no error hides an early exit)', () => {
    expect(result.report.criteria.map((c) => c.id)).toEqual(scenario.criteria.map((c) => c.id));
    expect(result.report.criteria.filter((c) => c.status === 'error')).toEqual([]);
    expect(result.report.verdict).toBe('not-fixed');
  });

  test('openLab, check, symptom and verifyArmed send only reads, per the SDK clients and per moto', () => {
    expectReadOnly(result);
  });

  describe('the audit catches a scenario that mutates', () => {
    const tag = async (ctx: ScenarioContext) =>
      ctx.clients.ec2.send(
        new CreateTagsCommand({ Resources: [await scratchResource()], Tags: [{ Key: 'breakfix:audit', Value: 'touched' }] }),
      );

    beforeAll(async () => {
      await scratchResource();
    });
    afterAll(async () => {
      if (defaultVpc)
        await deployCtx.clients.ec2.send(new DeleteTagsCommand({ Resources: [defaultVpc], Tags: [{ Key: 'breakfix:audit' }] }));
    });

    test('in gather', async () => {
      const bad = await auditReadOnlyPaths(
        (ctx) => ({
          ...scenario,
          gather: async (c) => {
            await tag(ctx);
            return scenario.gather(c);
          },
        }),
        scenario,
        learner,
      );
      expect(bad.phases.check.mutating).toEqual(['ec2:CreateTags']);
      expect(bad.server.mutating).toEqual(['ec2:CreateTags']);
      expect(() => expectReadOnly(bad)).toThrow();
    });

    test('in a criterion', async () => {
      const bad = await auditReadOnlyPaths(
        (ctx) => ({
          ...scenario,
          criteria: [
            ...scenario.criteria,
            {
              id: 'mutating-criterion',
              title: 'A criterion that writes',
              rationale: 'None: it exists to show the audit catches a write.',
              references: [],
              evaluate: async () => {
                await tag(ctx);
                return pass('Tagged.');
              },
            },
          ],
        }),
        scenario,
        learner,
      );
      expect(bad.phases.check.mutating).toEqual(['ec2:CreateTags']);
      expect(() => expectReadOnly(bad)).toThrow();
    });

    test('in the symptom', async () => {
      const bad = await auditReadOnlyPaths(
        (ctx) => ({
          ...scenario,
          symptom: async (c) => {
            await tag(ctx);
            return scenario.symptom(c);
          },
        }),
        scenario,
        learner,
      );
      expect(bad.phases.symptom.mutating).toEqual(['ec2:CreateTags']);
      expect(() => expectReadOnly(bad)).toThrow();
    });

    test('through a client of its own, which only moto sees', async () => {
      const own = new EC2Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });
      const bad = await auditReadOnlyPaths(
        () => ({
          ...scenario,
          verifyArmed: async (c) => {
            await own.send(
              new CreateTagsCommand({ Resources: [await scratchResource()], Tags: [{ Key: 'breakfix:audit', Value: 'touched' }] }),
            );
            return scenario.verifyArmed(c);
          },
        }),
        scenario,
        learner,
      );
      own.destroy();
      expect(bad.phases.verifyArmed.mutating).toEqual([]);
      expect(bad.server.mutating).toEqual(['ec2:CreateTags']);
      expect(() => expectReadOnly(bad)).toThrow();
    });
  });
});

/** The region's default VPC: something every scenario's negative control can tag, whatever the lab holds. */
let defaultVpc = '';
async function scratchResource(): Promise<string> {
  if (!defaultVpc) {
    const c = new AwsClients(target());
    const out = await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    c.destroy();
    defaultVpc = out.Vpcs?.[0]?.VpcId ?? '';
    if (!defaultVpc) throw new Error('moto has no default VPC to tag');
  }
  return defaultVpc;
}

describe('the classifier', () => {
  test.each([
    ['ec2:CreateVpcEndpoint', 'mutating'],
    ['ecr:BatchDeleteImage', 'mutating'],
    ['ecr:PutImage', 'mutating'],
    ['cloudformation:ExecuteChangeSet', 'unproven'],
    ['lambda:Invoke', 'unproven'],
    ['ecr:BatchGetImage', 'read'],
    ['ecr:BatchCheckLayerAvailability', 'read'],
    ['ec2:DescribeRouteTables', 'read'],
    ['sts:GetCallerIdentity', 'read'],
    ['s3:HeadObject', 'read'],
  ])('%s is %s', (call, kind) => {
    const a = audit([call]);
    expect(a.mutating.length ? 'mutating' : a.unproven.length ? 'unproven' : 'read').toBe(kind);
  });
});
