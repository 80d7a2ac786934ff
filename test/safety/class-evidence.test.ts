/**
 * Class grading takes a lab's variant from evidence the learner cannot change:
 * this machine's record of arming the very stack, else the variant the
 * instructor assigned in the roster, else the scenario's only variant on the
 * target; never the learner's name or a stack tag. Without evidence the lab
 * is not graded, and the cell says why. One moto, one s3 lab (variant
 * permissions-boundary) deployed once; "an instructor's machine without the
 * learners' records" is a fresh BREAKFIX_HOME.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { gradeClass, type GradeCell } from '../../lib/class/grade';
import { parseRoster } from '../../lib/class/roster';
import { classToText } from '../../lib/class/report';
import { TAG_VARIANT } from '../../lib/scenario/naming';
import type { ScenarioContext } from '../../lib/scenario/types';
import { cleanEnv } from '../cli/harness';
import { SCENARIOS } from '../support/catalog';
import { useLab } from '../support/lab';

const S3 = SCENARIOS.find((s) => s.id === 's3-delete-access-denied')!;
const ECS_APP = SCENARIOS.find((s) => s.id === 'ecs-app-dynamodb-access-denied')!;
// The shared lab helper: its own moto, an isolated BREAKFIX_HOME (the instructor's), the deploy with the setup timeout every lab file uses.
const lab = useLab(S3, { learner: 'ana', variant: 'permissions-boundary' });
const moto = lab;
let ana: ScenarioContext;
let instructorHome: string;

beforeAll(() => {
  instructorHome = process.env.BREAKFIX_HOME!;
  ana = lab.ctx;
});
afterAll(() => {
  process.env.BREAKFIX_HOME = instructorHome;
});

/** Grades ana's s3 lab with this roster entry; `fresh` grades from a BREAKFIX_HOME that never saw the lab. */
async function grade(extra: object = {}, opts: { fresh?: boolean; scenario?: typeof S3 } = {}): Promise<{ cell: GradeCell; text: string }> {
  process.env.BREAKFIX_HOME = opts.fresh ? mkdtempSync(join(tmpdir(), 'breakfix-instructor-')) : instructorHome;
  try {
    const roster = parseRoster('class.yaml', { learners: [{ name: 'ana', target: 'moto', endpoint: moto.endpoint, ...extra }] });
    const report = await gradeClass(roster, [opts.scenario ?? S3], { env: cleanEnv() });
    return { cell: report.cells[0], text: classToText(report) };
  } finally {
    process.env.BREAKFIX_HOME = instructorHome;
  }
}

test("this machine's record of arming the stack decides the variant", async () => {
  const { cell, text } = await grade();
  expect(cell).toMatchObject({ status: 'not-fixed', variant: 'permissions-boundary', evidence: { source: 'breakfix-record' } });
  expect(text).not.toMatch(/evidence:/);
});

test('without records and without a roster variant, the lab is not graded, and the cell says why (no guess from the name)', async () => {
  const { cell, text } = await grade({}, { fresh: true });
  expect(cell.status).toBe('error');
  expect(cell.variant).toBeUndefined();
  expect(cell.evidence?.source).toBe('missing');
  expect(cell.message).toBe(
    'No evidence of which variant lab ana-s3-delete-access-denied is: this machine has no record of arming stack ana-s3-delete-access-denied and the roster assigns ana none for s3-delete-access-denied; add `variants: { s3-delete-access-denied: <variant> }` to the learner in the roster (one of bucket-policy, permissions-boundary), or deploy the lab from this machine.',
  );
  expect(text).toContain('No evidence of which variant lab ana-s3-delete-access-denied is');
});

test("without records, the roster's variant is graded, and the output says the arm evidence is missing", async () => {
  const { cell, text } = await grade({ variants: { 's3-delete-access-denied': 'permissions-boundary' } }, { fresh: true });
  expect(cell).toMatchObject({ status: 'not-fixed', variant: 'permissions-boundary', evidence: { source: 'roster' } });
  expect(cell.evidence?.note).toBe(
    'this machine has no record of arming stack ana-s3-delete-access-denied; graded as variant permissions-boundary, which the roster assigns',
  );
  expect(text).toContain('evidence: this machine has no record of arming stack ana-s3-delete-access-denied');
});

test('a stack tag that disagrees with the roster leaves the lab ungraded (the tag alone decides nothing)', async () => {
  const { cell } = await grade({ variants: { 's3-delete-access-denied': 'bucket-policy' } }, { fresh: true });
  expect(cell.status).toBe('error');
  expect(cell.message).toMatch(
    /^Stack ana-s3-delete-access-denied is tagged breakfix:variant=permissions-boundary, but the roster assigns ana variant bucket-policy .* cannot be told; `breakfix reset s3-delete-access-denied --learner ana --variant bucket-policy` arms the assigned one\.$/,
  );
});

test("the roster disagreeing with this machine's record of arming is reported, not graded either way", async () => {
  const { cell } = await grade({ variants: { 's3-delete-access-denied': 'bucket-policy' } });
  expect(cell.status).toBe('error');
  expect(cell.message).toMatch(/armed by breakfix as variant permissions-boundary, but the roster assigns ana variant bucket-policy/);
});

test('a roster variant the scenario lacks, or that cannot run on the target, is one sentence', async () => {
  const unknown = await grade({ variants: { 's3-delete-access-denied': 'nope' } }, { fresh: true });
  expect(unknown.cell).toMatchObject({ status: 'error' });
  expect(unknown.cell.message).toMatch(/has no variant "nope"/);
  const awsOnly = await grade({ variants: { 's3-delete-access-denied': 'scp' } }, { fresh: true });
  expect(awsOnly.cell.message).toMatch(/^Variant scp of s3-delete-access-denied cannot run on moto; it needs aws\.$/);
});

test("a retagged stack with this machine's record: the record decides, the tag is ignored", async () => {
  const cfn = ana.clients.cloudformation;
  // UpdateStack with the previous template and new tags: what a learner can do in their own account.
  await cfn.send(
    new UpdateStackCommand({
      StackName: ana.stackName,
      UsePreviousTemplate: true,
      Capabilities: ['CAPABILITY_NAMED_IAM', 'CAPABILITY_IAM'],
      Tags: [
        { Key: 'breakfix:managed', Value: 'true' },
        { Key: 'breakfix:scenario', Value: S3.id },
        { Key: TAG_VARIANT, Value: 'bucket-policy' },
      ],
    }),
  );
  const { cell } = await grade();
  expect(cell).toMatchObject({ variant: 'permissions-boundary', evidence: { source: 'breakfix-record' } });
});

test('a scenario with one variant on the target is graded as it, and the output says the arm evidence is missing', async () => {
  const stackName = 'ana-ecs-app-dynamodb-access-denied';
  const cfn = ana.clients.cloudformation;
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }),
    }),
  );
  try {
    const { cell, text } = await grade({}, { fresh: true, scenario: ECS_APP });
    expect(cell.variant).toBe('task-role-without-dynamodb');
    expect(cell.evidence).toEqual({
      source: 'only-variant',
      note: `this machine has no record of arming stack ${stackName}; graded as the only variant ecs-app-dynamodb-access-denied has on moto`,
    });
    expect(text).toContain(`evidence: this machine has no record of arming stack ${stackName}`);
  } finally {
    await cfn.send(new DeleteStackCommand({ StackName: stackName }));
  }
});
