/**
 * The CLI contract of a learner's first hour (issue 18), one moto for the
 * file: `--version`, `env`, the stable emulator port and its fallback, the
 * emulator record per checkout, hints running out, advice that keeps
 * `--learner`, endpoint wording by where the endpoint came from, and class
 * commands taking the common target options. Labs here are bare stacks made
 * with one CreateStack (tagged like a breakfix lab): these messages need a
 * stack to exist, not a deployed scenario.
 */
import { writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { checkoutRoot, freePort, readRecords, stopEmulators } from '../../lib/targets/moto/server';
import { unreachableWording } from '../../lib/cli/main';
import { TAG_VARIANT } from '../../lib/scenario/naming';
import { SCENARIO_ID, cleanEnv, closedPort, expectOneErrorLine, runMain, useTempHome, useUnrecordedEmulator } from './harness';

const home = useTempHome();
// Not recorded, so its PID is known: one test stands a record up for it.
const emulator = useUnrecordedEmulator();

/** A stack named like a learner's lab, tagged with its variant: what openLab looks for. */
async function bareLab(stackName: string, variant: string): Promise<void> {
  await emulator.clients.cloudformation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }),
      Tags: [{ Key: TAG_VARIANT, Value: variant }],
    }),
  );
}

test('--version prints the package version', async () => {
  const r = await runMain(['--version']);
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toBe(require('../../package.json').version);
});

describe('env', () => {
  test('prints shell exports for the emulator: endpoint, region, its credentials', async () => {
    const r = await runMain(['env', '--endpoint', emulator.moto.endpoint]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      "export AWS_REGION='us-east-1'",
      "export AWS_DEFAULT_REGION='us-east-1'",
      `export AWS_ENDPOINT_URL='${emulator.moto.endpoint}'`,
      "export AWS_ACCESS_KEY_ID='test'",
      "export AWS_SECRET_ACCESS_KEY='test'",
      'unset AWS_SESSION_TOKEN AWS_PROFILE',
    ]);
    const json = JSON.parse((await runMain(['env', '--endpoint', emulator.moto.endpoint, '--region', 'eu-west-1', '--json'])).stdout);
    expect(json).toEqual({
      target: 'moto',
      set: {
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: emulator.moto.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
      unset: ['AWS_SESSION_TOKEN', 'AWS_PROFILE'],
    });
  });

  test('on real AWS it keeps your credentials and unsets the emulator endpoint', async () => {
    const r = await runMain(['env', '--target', 'aws', '--region', 'eu-west-1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      target: 'aws',
      set: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' },
      unset: ['AWS_ENDPOINT_URL'],
    });
  });
});

describe('the embedded emulator: stable port, and one per checkout', () => {
  afterEach(async () => {
    await stopEmulators();
  });

  test('a taken preferred port: it starts on another and says why', async () => {
    // The test moto holds the port breakfix would prefer.
    const r = await runMain(['emulator', 'start', '--json'], { env: cleanEnv({ BREAKFIX_EMULATOR_PORT: String(emulator.moto.port) }) });
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout);
    expect(rec.port).not.toBe(emulator.moto.port);
    expect(rec.checkout).toBe(checkoutRoot());
    expect(r.stderr).toContain(
      `Port ${emulator.moto.port} is in use by another program, so this emulator listens on port ${rec.port} instead (\`breakfix env\` prints it).`,
    );
  });

  test('a free preferred port is the one it takes', async () => {
    const port = await freePort();
    const r = await runMain(['emulator', 'start', '--json'], { env: cleanEnv({ BREAKFIX_EMULATOR_PORT: String(port) }) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).port).toBe(port);
  });

  test("another checkout's emulator is never reused silently", async () => {
    // A record naming another checkout, for a moto that really runs (the test's own).
    const dir = join(home.dir, 'emulator');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `moto-${emulator.moto.port}.json`);
    const record = {
      pid: emulator.moto.pid,
      port: emulator.moto.port,
      host: '127.0.0.1',
      endpoint: emulator.moto.endpoint,
      startedAt: new Date().toISOString(),
      logFile: 'x.log',
      checkout: '/elsewhere/breakfix',
    };
    writeFileSync(file, JSON.stringify(record));
    try {
      expect(readRecords().map((r) => r.checkout)).toEqual(['/elsewhere/breakfix']);
      const r = await runMain(['status', SCENARIO_ID]);
      expect(r.code).toBe(3);
      expectOneErrorLine(r.stderr, {
        matches: /the one at http:\/\/127\.0\.0\.1:\d+ belongs to another checkout \(\/elsewhere\/breakfix\), so breakfix does not use it/,
      });
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe('hints', () => {
  const learner = 'hinty';
  test('after the last level, hint says there are no more instead of repeating it as new', async () => {
    await bareLab(`${learner}-${SCENARIO_ID}`, 'no-s3-path');
    const at = ['--endpoint', emulator.moto.endpoint, '--learner', learner];
    const levels = [];
    for (let i = 0; i < 4; i++) levels.push(await runMain(['hint', SCENARIO_ID, ...at]));
    expect(levels.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(levels[0].stdout).toContain(`More: breakfix hint ${SCENARIO_ID} --learner ${learner}`);
    expect(levels[2].stdout).toMatch(/^Hint 3\/3/m);
    expect(levels[2].stdout).toContain(
      `That was the last hint; \`breakfix solution ${SCENARIO_ID} --learner ${learner}\` shows the solution.`,
    );
    expect(levels[3].stdout).toMatch(/^No more hints: all 3 are revealed\. The last one again, at no extra cost:/);
    expect(levels[2].stdout).not.toMatch(/No more hints/);
    const json = JSON.parse((await runMain(['hint', SCENARIO_ID, ...at, '--json'])).stdout);
    expect(json).toMatchObject({ level: 3, of: 3, noMoreHints: true });
  });
});

describe('advice and wording', () => {
  test('"not deployed" advice keeps --learner, so it deploys the right lab', async () => {
    const r = await runMain(['status', SCENARIO_ID, '--endpoint', emulator.moto.endpoint, '--learner', 'zed']);
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, { matches: new RegExp(`run \`breakfix deploy ${SCENARIO_ID} --learner zed\` first\\.$`) });
  });

  test('an unreachable endpoint from AWS_ENDPOINT_URL is named as such, not as --endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const r = await runMain(['status', SCENARIO_ID], { env: cleanEnv({ AWS_ENDPOINT_URL: endpoint }) });
    expect(r.code).toBe(3);
    const message = expectOneErrorLine(r.stderr, { matches: /taken from AWS_ENDPOINT_URL, is unreachable/ });
    expect(message).toMatch(/unset AWS_ENDPOINT_URL/);
    expect(message).not.toMatch(/--endpoint/);
    const opt = await runMain(['status', SCENARIO_ID, '--endpoint', endpoint]);
    expectOneErrorLine(opt.stderr, { matches: /fix --endpoint\.$/ });
  });

  test('real AWS unreachable is not worded as a stopped emulator', () => {
    // This machine reaches no AWS endpoint at all, and one with internet would reach it: so the wording is tested directly.
    const classified = {
      code: 'endpoint-unreachable',
      message: 'The endpoint is unreachable (ENOTFOUND); is the emulator running, or is the network up?',
    };
    const message = unreachableWording(classified, { target: { kind: 'aws', region: 'us-east-1' }, endpointSource: 'default' });
    expect(message).toBe('AWS in us-east-1 is unreachable from here (ENOTFOUND); check the network connection, proxy or firewall.');
    expect(message).not.toMatch(/emulator/);
    const embedded = unreachableWording(classified, {
      target: { kind: 'moto', region: 'us-east-1', endpoint: 'http://127.0.0.1:4747', embedded: true },
      endpointSource: 'embedded',
    });
    expect(embedded).toMatch(/^The embedded emulator at http:\/\/127\.0\.0\.1:4747 stopped answering \(ENOTFOUND\)/);
  });
});

describe('class commands take the common target options', () => {
  test('class grade --endpoint grades learners the roster gives no endpoint', async () => {
    const roster = join(home.dir, 'roster.yaml');
    writeFileSync(roster, 'learners:\n  - name: ana\n  - name: ben\n    endpoint: "http://127.0.0.1:9"\n');
    const grade = async (extra: string[]) => {
      const r = await runMain(['class', 'grade', '--roster', roster, '--scenarios', SCENARIO_ID, ...extra, '--json']);
      expect(r.code).toBe(0);
      const cells = JSON.parse(r.stdout).cells as { learner: string; status: string; message?: string }[];
      return (name: string) => cells.find((c) => c.learner === name)!;
    };
    // Without it, ana has nowhere to be graded (no embedded emulator runs here).
    expect((await grade([]))('ana').status).toBe('error');
    // With it, ana's place is the test moto, where she has no lab yet; ben's own endpoint wins over the option.
    const cell = await grade(['--endpoint', emulator.moto.endpoint]);
    expect(cell('ana')).toMatchObject({ status: 'not-deployed', message: `No stack ana-${SCENARIO_ID}.` });
    expect(cell('ben').status).toBe('error');
  });

  test('class grade --target aws with --endpoint is a usage error', async () => {
    const roster = join(home.dir, 'roster2.yaml');
    writeFileSync(roster, 'learners:\n  - name: ana\n');
    const r = await runMain(['class', 'grade', '--roster', roster, '--target', 'aws', '--endpoint', emulator.moto.endpoint]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, { matches: /--endpoint cannot be used with --target aws/ });
  });
});
