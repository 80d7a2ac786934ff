/**
 * `breakfix class grade` on a real moto: two learners share one emulator
 * without colliding; one fixes the lab. The roster also holds a learner who
 * never deployed, one whose endpoint is down, and two reached through a
 * grader role (moto's STS): one in the lab's account, one in an empty one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { listStackResources } from '../../lib/engines/cfn/stack-state';
import { gradeClass } from '../../lib/class/grade';
import { loadRoster, parseRoster } from '../../lib/class/roster';
import { classToJunit, classToText } from '../../lib/class/report';
import { getProgress } from '../../lib/ops/progress-store';
import type { ScenarioContext } from '../../lib/scenario/types';
import { checkScenario } from '../../lib/ops/check';
import { startTestMoto, TestMoto } from '../support/moto';
import { isolateBreakfixHome } from '../support/lab';
import { cleanEnv, closedPort, expectOneErrorLine, runMain } from '../cli/harness';
import { deployFor, FARGATE, fixFargate } from './helpers';

let moto: TestMoto;
let dir: string;
let ana: ScenarioContext;
let ben: ScenarioContext;
let rosterFile: string;

beforeAll(async () => {
  isolateBreakfixHome();
  dir = mkdtempSync(join(tmpdir(), 'breakfix-class-'));
  moto = await startTestMoto();
  ana = await deployFor('ana', moto.endpoint);
  ben = await deployFor('ben', moto.endpoint);
  await fixFargate(ana);
  const down = await closedPort();
  rosterFile = join(dir, 'class.yaml');
  writeFileSync(
    rosterFile,
    `defaults:
  target: moto
  endpoint: ${moto.endpoint}
learners:
  - name: ana
  - name: ben
  - name: cy
  - name: dan
    endpoint: http://127.0.0.1:${down}
  - name: ben-role
    roleArn: arn:aws:iam::123456789012:role/breakfix-grader
  - name: eve
    roleArn: arn:aws:iam::111111111111:role/breakfix-grader
`,
  );
});

afterAll(async () => {
  ana?.clients.destroy();
  ben?.clients.destroy();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('learner isolation on one emulator', () => {
  test('each learner has their own stack, VPC and prefixed physical names', async () => {
    expect([ana.stackName, ben.stackName]).toEqual(['ana-fargate-cannot-pull-image', 'ben-fargate-cannot-pull-image']);
    const [ra, rb] = await Promise.all([
      listStackResources(ana.clients.cloudformation, ana.stackName),
      listStackResources(ben.clients.cloudformation, ben.stackName),
    ]);
    const ids = (rs: typeof ra) => new Set(rs.map((r) => r.PhysicalResourceId));
    const shared = [...ids(ra)].filter((id) => ids(rb).has(id));
    expect(shared).toEqual([]);
    // Named resources (repository, cluster, roles, log groups) carry the learner's prefix.
    const named = (rs: typeof ra) =>
      rs
        .filter((r) => ['AWS::ECR::Repository', 'AWS::ECS::Cluster', 'AWS::Logs::LogGroup'].includes(r.ResourceType!))
        .map((r) => r.PhysicalResourceId!);
    expect(named(ra).length).toBeGreaterThan(0);
    for (const n of named(ra)) expect(n).toMatch(/ana-fargate-cannot-pull-image/);
    for (const n of named(rb)) expect(n).toMatch(/ben-fargate-cannot-pull-image/);
    const vpcs = await ana.clients.ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:breakfix:learner', Values: ['ana', 'ben'] }] }),
    );
    expect(vpcs.Vpcs).toHaveLength(2);
  });

  test("one learner's fix does not fix the other's lab", async () => {
    expect((await checkScenario(FARGATE, ana)).verdict).toBe('fixed');
    expect((await checkScenario(FARGATE, ben)).verdict).toBe('not-fixed');
  });

  test('an invalid learner name is a usage error (exit 2) with one clear sentence', async () => {
    for (const bad of ['Ana', 'ana_smith', '-ana', 'ana--b', 'a'.repeat(21), '1ana']) {
      const r = await runMain(['deploy', FARGATE.id, '--endpoint', moto.endpoint, '--learner', bad], { env: cleanEnv() });
      expect(r.code).toBe(2);
      expectOneErrorLine(r.stderr, {
        matches:
          /is not usable in stack and bucket names: use 1-20 lowercase letters, digits and single hyphens, starting with a letter\.$/,
      });
    }
  });
});

describe('class grade', () => {
  let report: Awaited<ReturnType<typeof gradeClass>>;
  const cell = (learner: string) => report.cells.find((c) => c.learner === learner && c.scenario === FARGATE.id)!;

  beforeAll(async () => {
    report = await gradeClass(loadRoster(rosterFile), [FARGATE], { concurrency: 3, env: cleanEnv() });
  });

  test('fixed, not yet, not deployed, error: one cell each, and the run survives the unreachable learner', () => {
    expect(report.learners).toEqual(['ana', 'ben', 'cy', 'dan', 'ben-role', 'eve']);
    expect(cell('ana').status).toBe('fixed');
    expect(cell('ben').status).toBe('not-fixed');
    expect(cell('ben').message).toMatch(/no route to S3/);
    expect(cell('ben').failing.map((f) => f.id)).toContain('s3-layer-path-from-every-task-subnet');
    expect(cell('cy')).toMatchObject({ status: 'not-deployed', message: 'No stack cy-fargate-cannot-pull-image.' });
    expect(cell('dan').status).toBe('error');
    expect(cell('dan').message).toMatch(/unreachable/);
    expect(report.counts).toEqual({ fixed: 1, 'not-fixed': 1, error: 1, 'not-deployed': 3 });
  });

  test('a grader role is assumed with STS: its account decides what is seen', () => {
    // ben-role's role is in the account the labs live in, but no lab is named for ben-role.
    expect(cell('ben-role').status).toBe('not-deployed');
    // eve's role is in another (empty) account: moto routes the assumed session there.
    expect(cell('eve').status).toBe('not-deployed');
  });

  test('a grader role reads the lab through the assumed session', async () => {
    const roster = parseRoster('inline', {
      learners: [
        { name: 'ben', target: 'moto', endpoint: moto.endpoint, roleArn: 'arn:aws:iam::123456789012:role/breakfix-grader' },
        { name: 'ana', target: 'moto', endpoint: moto.endpoint, roleArn: 'arn:aws:iam::111111111111:role/breakfix-grader' },
      ],
    });
    const r = await gradeClass(roster, [FARGATE], { env: cleanEnv() });
    expect(r.cells.map((c) => [c.learner, c.status])).toEqual([
      ['ben', 'not-fixed'],
      ['ana', 'not-deployed'],
    ]);
  });

  test('hints used, time since deploy and first fixed time come from the progress store', async () => {
    const hint = await runMain(['hint', FARGATE.id, '--endpoint', moto.endpoint, '--learner', 'ben'], { env: cleanEnv() });
    expect(hint.code).toBe(0);
    await runMain(['hint', FARGATE.id, '--endpoint', moto.endpoint, '--learner', 'ben'], { env: cleanEnv() });
    const again = await gradeClass(loadRoster(rosterFile), [FARGATE], { env: cleanEnv() });
    const benCell = again.cells.find((c) => c.learner === 'ben')!;
    expect(benCell.hints).toEqual({ seen: [1, 2], cost: 15 });
    expect(benCell.deployedAt).toBe(getProgress(ben.target, ben.stackName)!.deployedAt);
    const anaCell = again.cells.find((c) => c.learner === 'ana')!;
    expect(anaCell.firstFixedAt).toBe(cell('ana').firstFixedAt);
    expect(getProgress(ana.target, ana.stackName)!.firstFixedAt).toBe(anaCell.firstFixedAt);
    expect(Date.parse(anaCell.firstFixedAt!)).toBeGreaterThanOrEqual(Date.parse(anaCell.deployedAt!));
  });

  test('text and JUnit reports', () => {
    const text = classToText(report);
    expect(text).toMatch(/^learner\s+scenario\s+result\s+hints\s+deployed\s+fixed after\s+detail/);
    expect(text).toMatch(/ana\s+fargate-cannot-pull-image\s+fixed\s+0\s+<1m ago\s+<1m/);
    expect(text).toMatch(/6 learners x 1 scenarios in [\d.]+s: 1 fixed, 1 not yet, 1 error, 3 not deployed\./);
    const xml = classToJunit(report);
    expect(xml).toMatch(/<testsuites name="breakfix class" tests="6" failures="1" errors="1" skipped="3">/);
    expect(xml).toMatch(/<testsuite name="dan" tests="1" failures="0" errors="1" skipped="0"/);
  });
});

describe('the CLI', () => {
  test('class grade --json --junit: every cell, exit 0', async () => {
    const junit = join(dir, 'class.xml');
    const r = await runMain(
      ['class', 'grade', '--roster', rosterFile, '--scenarios', FARGATE.id, '--json', '--junit', junit, '--concurrency', '4'],
      { env: cleanEnv() },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.cells.map((c: { learner: string; status: string }) => `${c.learner}:${c.status}`)).toEqual([
      'ana:fixed',
      'ben:not-fixed',
      'cy:not-deployed',
      'dan:error',
      'ben-role:not-deployed',
      'eve:not-deployed',
    ]);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase classname="breakfix.ana" name="fargate-cannot-pull-image"/);
  });

  test('usage errors exit 2 with one sentence', async () => {
    const unknown = await runMain(['class', 'grade', '--roster', rosterFile, '--scenarios', 'fargate-cannot-pull'], { env: cleanEnv() });
    expect(unknown.code).toBe(2);
    expectOneErrorLine(unknown.stderr, { matches: /Unknown scenario "fargate-cannot-pull"\. Did you mean fargate-cannot-pull-image/ });
    const badName = join(dir, 'bad.csv');
    writeFileSync(badName, 'name\nAna\n');
    const bad = await runMain(['class', 'grade', '--roster', badName], { env: cleanEnv() });
    expect(bad.code).toBe(2);
    expectOneErrorLine(bad.stderr, { matches: /line 2, learner Ana name: Learner name "Ana" is not usable/ });
    const conc = await runMain(['class', 'grade', '--roster', rosterFile, '--concurrency', '0'], { env: cleanEnv() });
    expect(conc.code).toBe(2);
    const missing = await runMain(['class', 'grade'], { env: cleanEnv() });
    expect(missing.code).toBe(2);
  });
});

describe('throttling', () => {
  let server: Server;
  let requests = 0;
  beforeAll(async () => {
    // Answers DescribeStacks with Throttling twice; then the account's listing (no StackName) is empty, and
    // the stack asked for by name "does not exist".
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests++;
        if (requests > 2 && !/StackName=/.test(body)) {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(
            `<DescribeStacksResponse><DescribeStacksResult><Stacks/></DescribeStacksResult><ResponseMetadata><RequestId>r${requests}</RequestId></ResponseMetadata></DescribeStacksResponse>`,
          );
          return;
        }
        const code = requests <= 2 ? 'Throttling' : 'ValidationError';
        const message = requests <= 2 ? 'Rate exceeded' : 'Stack with id x does not exist';
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r${requests}</RequestId></ErrorResponse>`,
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test("a throttled call is retried by the SDK's retry mode, not failed", async () => {
    const port = (server.address() as AddressInfo).port;
    const r = await gradeClass(
      parseRoster('inline', { learners: [{ name: 'ana', target: 'moto', endpoint: `http://127.0.0.1:${port}` }] }),
      [FARGATE],
      { env: cleanEnv() },
    );
    expect(r.cells[0].status).toBe('not-deployed');
    // Two throttled listings retried, the listing, then the stack by name (a lab the listing lacks is asked for).
    expect(requests).toBe(4);
  });
});
