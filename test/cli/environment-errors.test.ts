/**
 * Exit code 3: the world is not as needed. Endpoint unreachable, scenario not
 * deployed, real AWS refused (no allow-list, no credentials, STS unreachable),
 * stack busy. Each is one sentence, with no stack trace.
 */
import { CreateChangeSetCommand, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EnvironmentError } from '../../lib/core/errors';
import { deployScenario } from '../../lib/ops/deploy';
import { destroyScenario } from '../../lib/ops/destroy';
import { resetScenario } from '../../lib/ops/reset';
import { makeContext } from '../../lib/ops/context';
import { AwsClients } from '../../lib/targets/clients';
import { assertSandboxAccount } from '../../lib/targets/sandbox-guard';
import type { Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { startTestMoto, TestMoto } from '../support/moto';
import { SCENARIO_ID, cleanEnv, closedPort, expectOneErrorLine, runBin, runMain, useTempHome } from './harness';

const home = useTempHome();
let moto: TestMoto;
const scenario = SCENARIOS.find((s) => s.id === SCENARIO_ID)!;
/** Any mutating API name; busy guards must stop before sending one. */
const MUTATING =
  /^(Create|Put|Delete|Update|Modify|Attach|Detach|Associate|Disassociate|Run|Start|Stop|Register|Deregister|Tag|Untag|Set|Add|Remove|Replace|Revoke|Authorize|Terminate|Enable|Disable|Release|Allocate|Import|Upload|Complete|Initiate|Execute|Cancel|Continue)/;

beforeAll(async () => {
  moto = await startTestMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe('endpoint unreachable', () => {
  test('an --endpoint on a closed port exits 3', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    for (const cmd of ['status', 'check', 'destroy', 'reset', 'deploy']) {
      const r = await runMain([cmd, SCENARIO_ID, '--endpoint', endpoint]);
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 3 });
      expectOneErrorLine(r.stderr, { matches: /unreachable/ });
    }
  });

  test('a named emulator (--target moto) on a closed port exits 3 once the SDK gives up', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const r = await runMain(['check', SCENARIO_ID, '--target', 'moto', '--endpoint', endpoint]);
    expect(r.code).toBe(3);
    // In jest's sandbox the SDK wraps the socket error, so the cause reads longer than from the binary.
    expectOneErrorLine(r.stderr, {
      matches: /^The endpoint is unreachable \(.*ECONNREFUSED.*\); is the emulator running, or is the network up\?$/,
    });
  });

  test('AWS_ENDPOINT_URL is honoured like --endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const r = await runMain(['status', SCENARIO_ID], { env: cleanEnv({ AWS_ENDPOINT_URL: endpoint }) });
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, {
      matches: new RegExp(`Endpoint ${endpoint.replace(/[.:/]/g, '\\$&')}, taken from AWS_ENDPOINT_URL, is unreachable`),
    });
  });

  test('the built binary exits 3 with one sentence, and a stack trace only with --debug', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const env = cleanEnv({ BREAKFIX_HOME: home.dir });
    const plain = await runBin(['check', SCENARIO_ID, '--target', 'moto', '--endpoint', endpoint], env);
    expect(plain.code).toBe(3);
    expectOneErrorLine(plain.stderr, {
      matches: /^The endpoint is unreachable \(ECONNREFUSED\); is the emulator running, or is the network up\?$/,
    });
    expect(plain.stdout).toBe('');
    const debug = await runBin(['check', SCENARIO_ID, '--target', 'moto', '--endpoint', endpoint, '--debug'], env);
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

describe('scenario not deployed', () => {
  test.each(['status', 'check', 'reset'])('%s on an empty emulator exits 3', async (cmd) => {
    const r = await runMain([cmd, SCENARIO_ID, '--endpoint', moto.endpoint]);
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, {
      matches: new RegExp(
        `^Scenario ${SCENARIO_ID} is not deployed on moto at ${moto.endpoint.replace(/[.:/]/g, '\\$&')} \\(no stack ${SCENARIO_ID}\\); run \`breakfix deploy ${SCENARIO_ID}\` first\\.$`,
      ),
    });
    expect(r.stdout).toBe('');
  });

  test('destroy on an empty emulator is idempotent: exit 0, "nothing to remove", twice in a row', async () => {
    for (const json of [false, true]) {
      const r = await runMain(['destroy', SCENARIO_ID, '--endpoint', moto.endpoint, ...(json ? ['--json'] : [])]);
      expect(r.code).toBe(0);
      if (json) expect(JSON.parse(r.stdout)).toMatchObject({ nothingToRemove: true, removed: [], leftovers: [] });
      else expect(r.stdout).toBe(`No lab ${SCENARIO_ID} on moto; nothing to remove.`);
    }
  });

  test('without any emulator running, the default target says so and starts nothing', async () => {
    for (const cmd of ['status', 'check', 'destroy', 'reset']) {
      const r = await runMain([cmd, SCENARIO_ID]);
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 3 });
      expectOneErrorLine(r.stderr, { matches: /^No embedded emulator is running/ });
    }
  });

  test('the built binary exits 3 for check on an empty emulator', async () => {
    const r = await runBin(['check', SCENARIO_ID, '--endpoint', moto.endpoint, '--json'], cleanEnv({ BREAKFIX_HOME: home.dir }));
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, { matches: /is not deployed on moto/ });
    expect(r.stdout).toBe('');
  });
});

describe('real AWS (--target aws)', () => {
  const fakeKeys = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

  test('deploy without an allow-list exits 3 before any AWS call', async () => {
    // No credentials at all: had breakfix called STS first, the error would be about credentials.
    const r = await runBin(
      ['deploy', SCENARIO_ID, '--target', 'aws', '--region', 'us-east-1', '--yes'],
      cleanEnv({ BREAKFIX_HOME: home.dir, HOME: home.dir }),
    );
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, {
      matches: /^Refusing to touch real AWS: no sandbox account is allowed; pass --account <id> or set BREAKFIX_SANDBOX_ACCOUNTS/,
    });
  });

  test.each(['destroy', 'reset'])('%s without an allow-list exits 3 too', async (cmd) => {
    const r = await runMain([cmd, SCENARIO_ID, '--target', 'aws', '--region', 'us-east-1', '--yes'], { env: cleanEnv(fakeKeys) });
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, { matches: /^Refusing to touch real AWS: no sandbox account is allowed/ });
  });

  test('the guard sends no request at all when the allow-list is empty', async () => {
    const seen: string[] = [];
    const clients = new AwsClients({ kind: 'aws', region: 'us-east-1' }, { observer: (svc, cmd) => seen.push(`${svc}:${cmd}`) });
    await expect(assertSandboxAccount(clients, undefined, {})).rejects.toThrow(EnvironmentError);
    expect(seen).toEqual([]);
  });

  test('with an allow-list but no credentials, deploy exits 3 naming the missing credentials', async () => {
    const r = await runBin(
      ['deploy', SCENARIO_ID, '--target', 'aws', '--region', 'us-east-1', '--yes'],
      cleanEnv({ BREAKFIX_HOME: home.dir, HOME: home.dir, BREAKFIX_SANDBOX_ACCOUNTS: '111111111111' }),
    );
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, { matches: /^No AWS credentials were found/ });
  });

  test('with an allow-list and credentials but STS unreachable, deploy exits 3', async () => {
    // xx-fake-1 is no region, so sts.xx-fake-1.amazonaws.com resolves nowhere, with or without internet.
    const r = await runBin(
      ['deploy', SCENARIO_ID, '--target', 'aws', '--region', 'xx-fake-1', '--account', '111111111111', '--yes'],
      cleanEnv({ BREAKFIX_HOME: home.dir, HOME: home.dir, ...fakeKeys }),
    );
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, {
      matches: /^AWS in xx-fake-1 is unreachable from here \((ENOTFOUND|EAI_AGAIN)\); check the network connection, proxy or firewall\.$/,
    });
  });

  describe('the allow-list is enforced on the account STS reports', () => {
    // STS answered by moto (account 123456789012) stands in for a real account here.
    let clients: AwsClients;
    beforeAll(() => {
      clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });
    });
    afterAll(() => clients.destroy());

    test('an account not on the list is refused', async () => {
      await expect(assertSandboxAccount(clients, '111111111111, 222222222222', {})).rejects.toThrow(
        /^Refusing to touch real AWS: account 123456789012 \(arn:aws:sts::123456789012:user\/moto\) is not on the sandbox allow-list \(111111111111, 222222222222\)\.$/,
      );
    });

    test('an account on the list (flag or BREAKFIX_SANDBOX_ACCOUNTS) is allowed', async () => {
      await expect(assertSandboxAccount(clients, '123456789012', {})).resolves.toBe('123456789012');
      await expect(assertSandboxAccount(clients, undefined, { BREAKFIX_SANDBOX_ACCOUNTS: '111111111111 123456789012' })).resolves.toBe(
        '123456789012',
      );
    });
  });

  test('AWS_ENDPOINT_URL cannot answer for real AWS: STS goes to AWS, not to the emulator', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, ...fakeKeys });
    const clients = new AwsClients({ kind: 'aws', region: 'xx-fake-1' }, { maxAttempts: 1 });
    try {
      // moto would say 123456789012 and pass the guard; real STS for this region cannot be reached.
      await expect(assertSandboxAccount(clients, '123456789012', {})).rejects.toThrow(
        /(ENOTFOUND|EAI_AGAIN) sts\.xx-fake-1\.amazonaws\.com/,
      );
    } finally {
      clients.destroy();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});

describe('stack busy', () => {
  const target = (): Target => ({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });

  describe('a stack in REVIEW_IN_PROGRESS on moto (a CREATE change set not yet executed)', () => {
    let clients: AwsClients;
    beforeAll(async () => {
      clients = new AwsClients(target());
      await clients.cloudformation.send(
        new CreateChangeSetCommand({
          StackName: SCENARIO_ID,
          ChangeSetName: 'pending-review',
          ChangeSetType: 'CREATE',
          TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }),
        }),
      );
      const out = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: SCENARIO_ID }));
      expect(out.Stacks?.[0]?.StackStatus).toBe('REVIEW_IN_PROGRESS');
    });
    afterAll(async () => {
      await clients.cloudformation.send(new DeleteStackCommand({ StackName: SCENARIO_ID }));
      clients.destroy();
    });

    test.each(['deploy', 'destroy', 'reset', 'check', 'status'])('%s exits 3: the stack is busy', async (cmd) => {
      const r = await runMain([cmd, SCENARIO_ID, '--endpoint', moto.endpoint]);
      expect(r.code).toBe(3);
      expectOneErrorLine(r.stderr, {
        matches: new RegExp(`^Stack ${SCENARIO_ID} is busy \\(REVIEW_IN_PROGRESS\\); wait for CloudFormation to finish and try again\\.$`),
      });
      expect(r.stdout).toBe('');
    });

    test('the built binary exits 3 for deploy on the busy stack', async () => {
      const r = await runBin(['deploy', SCENARIO_ID, '--endpoint', moto.endpoint], cleanEnv({ BREAKFIX_HOME: home.dir }));
      expect(r.code).toBe(3);
      expectOneErrorLine(r.stderr, { matches: /is busy \(REVIEW_IN_PROGRESS\)/ });
    });

    test('the busy stack is left as it was', async () => {
      const out = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: SCENARIO_ID }));
      expect(out.Stacks?.map((s) => s.StackStatus)).toEqual(['REVIEW_IN_PROGRESS']);
    });
  });

  describe('documented shapes of DescribeStacks answers from real AWS', () => {
    /** Clients whose CloudFormation answers DescribeStacks with a documented shape; nothing goes on the wire. */
    function documentedClients(status: string, seen: string[]): AwsClients {
      const clients = new AwsClients(
        { kind: 'aws', region: 'eu-west-1' },
        { credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }, observer: (svc, cmd) => seen.push(`${svc}:${cmd}`) },
      );
      clients.cloudformation.middlewareStack.add(
        (_next: unknown, context: { commandName?: string }) => async () => {
          if (context.commandName !== 'DescribeStacksCommand')
            throw new Error(`unexpected ${context.commandName} during a busy-stack test`);
          return {
            response: {},
            output: {
              $metadata: { httpStatusCode: 200 },
              Stacks: [
                {
                  StackName: SCENARIO_ID,
                  StackId: `arn:aws:cloudformation:eu-west-1:111111111111:stack/${SCENARIO_ID}/4a7c1e90-0000-11ef-8000-0a1b2c3d4e5f`,
                  StackStatus: status,
                  CreationTime: new Date('2024-05-01T10:00:00Z'),
                  Tags: [{ Key: 'breakfix:variant', Value: 'no-s3-path' }],
                },
              ],
            },
          };
        },
        { step: 'initialize', name: 'documentedDescribeStacks' },
      );
      return clients;
    }

    test.each([
      'CREATE_IN_PROGRESS',
      'UPDATE_IN_PROGRESS',
      'UPDATE_ROLLBACK_IN_PROGRESS',
      'DELETE_IN_PROGRESS',
      'ROLLBACK_IN_PROGRESS',
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    ])('deploy, reset and destroy refuse a stack in %s without changing anything', async (status) => {
      const seen: string[] = [];
      const clients = documentedClients(status, seen);
      const ctx = makeContext({ scenario, target: clients.target, variant: 'no-s3-path', clients });
      const busy = new RegExp(`^Stack ${SCENARIO_ID} is busy \\(${status}\\)`);
      await expect(deployScenario(scenario, ctx)).rejects.toThrow(busy);
      await expect(resetScenario(scenario, ctx)).rejects.toThrow(busy);
      await expect(destroyScenario(scenario, ctx)).rejects.toThrow(busy);
      await expect(deployScenario(scenario, ctx)).rejects.toBeInstanceOf(EnvironmentError);
      expect(seen.length).toBeGreaterThanOrEqual(4);
      expect(seen.filter((c) => MUTATING.test(c.split(':')[1]))).toEqual([]);
      expect(new Set(seen)).toEqual(new Set(['cloudformation:DescribeStacksCommand']));
      clients.destroy();
    });

    test('control: a settled stack is not busy, so destroy goes past the guard', async () => {
      const seen: string[] = [];
      const clients = documentedClients('UPDATE_COMPLETE', seen);
      const ctx = makeContext({ scenario, target: clients.target, variant: 'no-s3-path', clients });
      // Past the guard, destroy reads the stack's resources, which the documented world refuses to answer.
      await expect(destroyScenario(scenario, ctx)).rejects.toThrow(/^unexpected ListStackResourcesCommand during a busy-stack test$/);
      clients.destroy();
    });
  });
});
