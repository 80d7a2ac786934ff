/**
 * Roster files, CSV and YAML: learners on a shared place or their own account
 * (role ARN); every problem is one sentence naming the file and the learner.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../lib/core/errors';
import { loadRoster } from '../../lib/class/roster';
import { mapWithLimit } from '../../lib/core/pool';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'breakfix-roster-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function problem(name: string, text: string): string {
  try {
    loadRoster(file(name, text));
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).toMatch(/^\S.*\.$/);
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error(`${name} was accepted`);
}

test('YAML with defaults: shared emulator for most, a role ARN for one', () => {
  const roster = loadRoster(
    file(
      'class.yaml',
      `defaults:
  target: moto
  endpoint: http://127.0.0.1:5000
learners:
  - name: ana
  - name: ben
    region: eu-west-1
  - name: cy
    target: aws
    region: eu-central-1
    roleArn: arn:aws:iam::111122223333:role/breakfix-grader
    externalId: workshop-42
`,
    ),
  );
  expect(roster.learners).toEqual([
    { name: 'ana', target: 'moto', endpoint: 'http://127.0.0.1:5000' },
    { name: 'ben', target: 'moto', endpoint: 'http://127.0.0.1:5000', region: 'eu-west-1' },
    {
      name: 'cy',
      target: 'aws',
      region: 'eu-central-1',
      roleArn: 'arn:aws:iam::111122223333:role/breakfix-grader',
      externalId: 'workshop-42',
    },
  ]);
});

test('a bare YAML list is a roster', () => {
  expect(loadRoster(file('list.yml', '- name: ana\n- name: ben\n')).learners.map((l) => l.name)).toEqual(['ana', 'ben']);
});

test('CSV with a header, quoted fields, comments and empty cells', () => {
  const roster = loadRoster(
    file(
      'class.csv',
      `# workshop 2026-11-22
name,target,endpoint,region,role_arn,external_id
ana,moto,http://127.0.0.1:5000,,,
"ben",aws,,us-east-1,arn:aws:iam::111122223333:role/breakfix-grader,"ext,42"
`,
    ),
  );
  expect(roster.learners).toEqual([
    { name: 'ana', target: 'moto', endpoint: 'http://127.0.0.1:5000' },
    { name: 'ben', target: 'aws', region: 'us-east-1', roleArn: 'arn:aws:iam::111122223333:role/breakfix-grader', externalId: 'ext,42' },
  ]);
});

test("variants the instructor assigns: the defaults' map, overridden per scenario by the learner's; CSV as scenario=variant pairs", () => {
  const yaml = loadRoster(
    file(
      'variants.yaml',
      `defaults:
  target: moto
  variants: { s3-delete-access-denied: bucket-policy, fargate-cannot-pull-image: image-tag }
learners:
  - name: ana
  - name: ben
    variants: { s3-delete-access-denied: permissions-boundary }
`,
    ),
  );
  expect(yaml.learners.map((l) => l.variants)).toEqual([
    { 's3-delete-access-denied': 'bucket-policy', 'fargate-cannot-pull-image': 'image-tag' },
    { 's3-delete-access-denied': 'permissions-boundary', 'fargate-cannot-pull-image': 'image-tag' },
  ]);
  const csv = loadRoster(
    file('variants.csv', 'name,variants\nana,"s3-delete-access-denied=scp; fargate-cannot-pull-image=image-tag"\nben,\n'),
  );
  expect(csv.learners).toEqual([
    { name: 'ana', variants: { 's3-delete-access-denied': 'scp', 'fargate-cannot-pull-image': 'image-tag' } },
    { name: 'ben' },
  ]);
});

describe('problems are one sentence naming the file and the learner', () => {
  test('variants that are not a map of scenario IDs to variant IDs', () => {
    expect(problem('bad-variants.yaml', 'learners:\n  - name: ana\n    variants: [scp]\n')).toMatch(
      /learner ana variants: variants must map scenario IDs to variant IDs/,
    );
    expect(problem('bad-variants.csv', 'name,variants\nana,s3-delete-access-denied\n')).toMatch(
      /line 2, learner ana variants: variants must map scenario IDs to variant IDs/,
    );
    expect(problem('bad-variant-name.yaml', 'learners:\n  - name: ana\n    variants: { s3-delete-access-denied: ../../etc }\n')).toMatch(
      /learner ana variants\.s3-delete-access-denied: variants must map scenario IDs to variant IDs/,
    );
  });

  test('a learner name invalid for stacks and buckets', () => {
    expect(problem('bad-name.yaml', 'learners:\n  - name: Ana_Smith\n')).toMatch(
      /learner Ana_Smith name: Learner name "Ana_Smith" is not usable in stack and bucket names/,
    );
  });
  test('the same, from CSV, with the line number', () => {
    expect(problem('bad-name.csv', 'name\nana\nBob.Jones\n')).toMatch(
      /line 3, learner Bob\.Jones name: Learner name "Bob\.Jones" is not usable/,
    );
  });
  test('a name too long for a bucket prefix', () => {
    expect(problem('long.csv', 'name\nabcdefghijklmnopqrstuvwxyz\n')).toMatch(/1-20 lowercase letters/);
  });
  test('duplicates', () => {
    expect(problem('dup.csv', 'name\nana\nana\n')).toMatch(/lists learner ana twice/);
  });
  test('an unknown target, a bad role ARN, a bad region', () => {
    expect(problem('t.yaml', 'learners:\n  - name: ana\n    target: gcp\n')).toMatch(
      /learner ana target: target must be one of moto, floci, localstack, aws/,
    );
    expect(problem('r.yaml', 'learners:\n  - name: ana\n    roleArn: arn:aws:iam::12:user/x\n')).toMatch(/roleArn must be an IAM role ARN/);
    expect(problem('g.yaml', 'learners:\n  - name: ana\n    region: mars\n')).toMatch(/region must look like us-east-1/);
  });
  test('real AWS with an endpoint, an external ID without a role', () => {
    expect(problem('a.yaml', 'learners:\n  - name: ana\n    target: aws\n    endpoint: http://x:1\n')).toMatch(
      /both target aws and an endpoint/,
    );
    expect(problem('e.yaml', 'learners:\n  - name: ana\n    externalId: abc\n')).toMatch(/externalId without a roleArn/);
  });
  test('unknown fields and columns, no learners, bad YAML, missing file, other extensions', () => {
    expect(problem('u.yaml', 'learners:\n  - name: ana\n    role: x\n')).toMatch(/Unrecognized key/);
    expect(problem('c.csv', 'name,team\nana,red\n')).toMatch(/unknown column "team"/);
    expect(problem('n.csv', 'target\nmoto\n')).toMatch(/needs a "name" column/);
    expect(problem('empty.yaml', 'learners: []\n')).toMatch(/lists no learners/);
    expect(problem('y.yaml', 'learners: [\n')).toMatch(/not valid YAML/);
    expect(problem('q.csv', 'name\n"ana\n')).toMatch(/unclosed quote/);
    expect(problem('x.txt', 'ana\n')).toMatch(/must end in \.csv, \.yaml, \.yml or \.json/);
    expect(() => loadRoster(join(dir, 'missing.csv'))).toThrow(/Cannot read the roster .*missing\.csv: no such file\./);
  });
});

test('the pool keeps order and never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapWithLimit([...Array(20).keys()], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5 + (n % 4)));
    running--;
    return n * 2;
  });
  expect(out).toEqual([...Array(20).keys()].map((n) => n * 2));
  expect(peak).toBe(3);
});
