/**
 * The grading side of the CLI contract on a real moto: deploy, `list --json`,
 * `status --json`, `check` exit 1 then 0 once an S3 gateway endpoint is on
 * both route tables, the `check --json` shape, `--junit FILE`, and destroy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CreateVpcEndpointCommand, DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { AwsClients } from '../../lib/targets/clients';
import { startTestMoto, TestMoto } from '../support/moto';
import { SCENARIO_ID, cleanEnv, expectOneErrorLine, runBin, runMain, useTempHome } from './harness';

const home = useTempHome();
let moto: TestMoto;
let clients: AwsClients;
let outDir: string;
const at = () => ['--endpoint', moto.endpoint];

const CRITERION_STATUSES = ['pass', 'fail', 'not-applicable', 'error'];

interface JunitSummary {
  suites: {
    name: string;
    tests: number;
    failures: number;
    errors: number;
    skipped: number;
    cases: { name: string; outcome: string; message: string }[];
  }[];
}

/** Parses a JUnit file with a real XML parser (Python's), so malformed XML fails the test. */
function parseJunit(file: string): JunitSummary {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'testsuites', root.tag
out = {'suites': []}
for s in root.findall('testsuite'):
    cases = []
    for c in s.findall('testcase'):
        kids = [k for k in c if k.tag in ('failure', 'error', 'skipped')]
        cases.append({'name': c.get('name'), 'outcome': kids[0].tag if kids else 'pass', 'message': kids[0].get('message') if kids else (c.findtext('system-out') or '')})
    out['suites'].append({'name': s.get('name'), 'tests': int(s.get('tests')), 'failures': int(s.get('failures')), 'errors': int(s.get('errors')), 'skipped': int(s.get('skipped')), 'cases': cases})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as JunitSummary;
}

function expectCheckJsonShape(text: string): { verdict: string; criteria: { id: string; status: string; message: string }[] } {
  expect(text.trim().split('\n')).toHaveLength(1);
  const report = JSON.parse(text);
  expect(Object.keys(report)).toEqual(['scenario', 'target', 'verdict', 'criteria', 'durationMs']);
  expect(report.scenario).toBe(SCENARIO_ID);
  expect(report.target).toBe('moto');
  expect(['fixed', 'not-fixed']).toContain(report.verdict);
  expect(Number.isInteger(report.durationMs) && report.durationMs >= 0).toBe(true);
  expect(report.criteria.length).toBeGreaterThan(0);
  for (const c of report.criteria) {
    // The four fields, in order. The framework's optional `advice` (prevention
    // advice that never changes the verdict) may follow; nothing else may.
    const keys = Object.keys(c);
    expect(keys.slice(0, 4)).toEqual(['id', 'title', 'status', 'message']);
    expect(keys.slice(4)).toEqual(c.advice === undefined ? [] : ['advice']);
    if (c.advice !== undefined) expect(typeof c.advice === 'string' && c.advice.length > 0).toBe(true);
    expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(c.title.length).toBeGreaterThan(0);
    expect(CRITERION_STATUSES).toContain(c.status);
    expect(c.message).toMatch(/^\S.*[.)]$/);
  }
  expect(new Set(report.criteria.map((c: { id: string }) => c.id)).size).toBe(report.criteria.length);
  const failing = report.criteria.some((c: { status: string }) => c.status === 'fail' || c.status === 'error');
  expect(report.verdict).toBe(failing ? 'not-fixed' : 'fixed');
  return report;
}

beforeAll(async () => {
  moto = await startTestMoto();
  clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });
  outDir = mkdtempSync(join(tmpdir(), 'breakfix-junit-'));
  const deployed = await runMain(['deploy', SCENARIO_ID, ...at(), '--json']);
  if (deployed.code !== 0) throw new Error(`deploy failed (${deployed.code}): ${deployed.stderr}`);
});
afterAll(async () => {
  clients?.destroy();
  await moto?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('list --json gives id, title, services, difficulty and what each target shows', async () => {
  const r = await runMain(['list', '--json']);
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.stdout);
  expect(Array.isArray(rows)).toBe(true);
  const row = rows.find((x: { id: string }) => x.id === SCENARIO_ID);
  expect(row).toBeDefined();
  for (const r0 of rows) {
    for (const key of ['id', 'title', 'services', 'difficulty', 'targets']) expect(r0).toHaveProperty(key);
    expect(typeof r0.title).toBe('string');
    expect(r0.services.length).toBeGreaterThan(0);
    expect(['beginner', 'intermediate', 'advanced']).toContain(r0.difficulty);
    expect(Object.keys(r0.targets).sort()).toEqual(['aws', 'floci', 'localstack', 'moto']);
    for (const v of Object.values(r0.targets)) expect(['authentic', 'derived', 'unsupported']).toContain(v);
  }
  expect(row.targets).toEqual({ moto: 'derived', floci: 'derived', localstack: 'derived', aws: 'authentic' });
});

test('list (text) names every scenario', async () => {
  const r = await runMain(['list']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^${SCENARIO_ID}\\s+intermediate\\s+ecs,ecr,vpc,s3\\s+derived/derived/derived/authentic$`, 'm'));
});

test('status --json shows the derived symptom of the deployed lab', async () => {
  const r = await runMain(['status', SCENARIO_ID, ...at(), '--json']);
  expect(r.code).toBe(0);
  const s = JSON.parse(r.stdout);
  expect(s).toMatchObject({
    scenario: SCENARIO_ID,
    target: 'moto',
    stackName: SCENARIO_ID,
    stackStatus: 'CREATE_COMPLETE',
    source: 'derived',
  });
  expect(s.summary).toMatch(/^Stopped reason: CannotPullContainerError: /);
  expect(s.derivation).toMatch(/moto runs no containers/);
});

describe('not fixed yet', () => {
  test('check exits 1 and prints the JSON contract', async () => {
    const r = await runMain(['check', SCENARIO_ID, ...at(), '--json']);
    expect(r.code).toBe(1);
    const report = expectCheckJsonShape(r.stdout);
    expect(report.verdict).toBe('not-fixed');
    const s3 = report.criteria.find((c) => c.id === 's3-layer-path-from-every-task-subnet')!;
    expect(s3.status).toBe('fail');
    expect(s3.message).toMatch(/^Route table rtb-\w+ of subnet subnet-\w+ has no route to S3 \(no gateway endpoint, NAT or IGW\)\.$/);
  });

  test('check (text) marks the failing criterion and the verdict', async () => {
    const r = await runMain(['check', SCENARIO_ID, ...at()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL {2}Every task subnet reaches S3/m);
    expect(r.stdout).toMatch(/^NOT FIXED YET \(\d+ ms\)$/m);
  });

  test('check --junit FILE writes valid JUnit XML with one failure', async () => {
    const file = join(outDir, 'not-fixed.xml');
    const r = await runMain(['check', SCENARIO_ID, ...at(), '--junit', file]);
    expect(r.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites/);
    const junit = parseJunit(file);
    expect(junit.suites).toHaveLength(1);
    const suite = junit.suites[0];
    expect(suite.name).toBe(SCENARIO_ID);
    expect(suite.tests).toBe(suite.cases.length);
    expect(suite.failures).toBe(1);
    expect(suite.errors).toBe(0);
    expect(suite.cases.find((c) => c.outcome === 'failure')?.name).toMatch(/^s3-layer-path-from-every-task-subnet: /);
  });

  test('check --junit into a folder that does not exist exits 3', async () => {
    const r = await runMain(['check', SCENARIO_ID, ...at(), '--junit', join(outDir, 'missing', 'report.xml')]);
    expect(r.code).toBe(3);
    expectOneErrorLine(r.stderr, { sentence: false, matches: /^Cannot write the JUnit report to .*report\.xml: ENOENT/ });
  });

  test('the built binary exits 1 and prints the same JSON', async () => {
    const r = await runBin(['check', SCENARIO_ID, ...at(), '--json'], cleanEnv({ BREAKFIX_HOME: home.dir }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(expectCheckJsonShape(r.stdout).verdict).toBe('not-fixed');
  });
});

describe('fixed: an S3 gateway endpoint on both route tables of the task subnets', () => {
  beforeAll(async () => {
    const resources = await clients.cloudformation.send(new ListStackResourcesCommand({ StackName: SCENARIO_ID }));
    const vpcId = resources.StackResourceSummaries?.find((r) => r.ResourceType === 'AWS::EC2::VPC')?.PhysicalResourceId;
    expect(vpcId).toMatch(/^vpc-/);
    const rts = await clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId!] }] }));
    const subnetTables = (rts.RouteTables ?? []).filter((rt) => rt.Associations?.some((a) => a.SubnetId));
    expect(subnetTables).toHaveLength(2);
    await clients.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpcId,
        ServiceName: 'com.amazonaws.us-east-1.s3',
        VpcEndpointType: 'Gateway',
        RouteTableIds: subnetTables.map((rt) => rt.RouteTableId!),
      }),
    );
  });

  test('check exits 0 with verdict fixed', async () => {
    const r = await runMain(['check', SCENARIO_ID, ...at(), '--json']);
    expect(r.code).toBe(0);
    const report = expectCheckJsonShape(r.stdout);
    expect(report.verdict).toBe('fixed');
    expect(report.criteria.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['tasks-reach-running']);
  });

  test('check (text) says FIXED', async () => {
    const r = await runMain(['check', SCENARIO_ID, ...at()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^FIXED \(\d+ ms\)$/m);
    expect(r.stdout).not.toMatch(/FAIL|ERROR/);
  });

  test('check --junit FILE has no failures or errors', async () => {
    const file = join(outDir, 'fixed.xml');
    const r = await runMain(['check', SCENARIO_ID, ...at(), '--junit', file]);
    expect(r.code).toBe(0);
    const suite = parseJunit(file).suites[0];
    expect({ failures: suite.failures, errors: suite.errors, skipped: suite.skipped }).toEqual({ failures: 0, errors: 0, skipped: 1 });
  });

  test('the built binary exits 0', async () => {
    const r = await runBin(['check', SCENARIO_ID, ...at(), '--json'], cleanEnv({ BREAKFIX_HOME: home.dir }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('fixed');
  });

  test('status now says tasks would start', async () => {
    const r = await runMain(['status', SCENARIO_ID, ...at(), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatch(/^Tasks would start/);
  });
});

describe('destroy', () => {
  test('exits 0, removes the learner endpoint too, and the lab is gone', async () => {
    const r = await runMain(['destroy', SCENARIO_ID, ...at(), '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.leftovers).toEqual([]);
    expect(result.removed.join('\n')).toMatch(/VPC endpoint vpce-\w+ \(com\.amazonaws\.us-east-1\.s3, created outside the stack\)/);
    const after = await runMain(['check', SCENARIO_ID, ...at()]);
    expect(after.code).toBe(3);
    expectOneErrorLine(after.stderr, { matches: /is not deployed on moto/ });
  });
});
