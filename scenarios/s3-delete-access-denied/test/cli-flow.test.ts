/**
 * The learner's loop through the CLI on moto, with a learner name that picks
 * the permissions-boundary cause: deploy, status, simulate, check (exit 1),
 * hint for the deployed variant, fix with the AWS CLI, check (exit 0),
 * reset re-arms, destroy.
 */
import { chooseVariant } from '../../../lib/scenario/naming';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import { awsCli } from '../../../test/support/lab';
import { runMain, useTempHome } from '../../../test/cli/harness';
import scenario from '..';

useTempHome();
let moto: TestMoto;

const ID = 's3-delete-access-denied';
const ACCOUNT = '123456789012';
/** A learner name whose derived variant is permissions-boundary (asserted below). */
const LEARNER = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal'].find(
  (n) => chooseVariant(scenario.meta, 'moto', { learner: n }) === 'permissions-boundary',
)!;
const LAB = `${LEARNER}-${ID}`;
const BUCKET = `${LAB}-data-${ACCOUNT}`;
const at = () => ['--target', 'moto', '--endpoint', moto.endpoint, '--learner', LEARNER];

beforeAll(async () => {
  moto = await startTestMoto();
});

afterAll(async () => {
  await moto?.stop();
});

test('deploy, diagnose, fix and grade a derived-variant lab through the CLI', async () => {
  expect(LEARNER).toBeDefined();
  const deploy = await runMain(['deploy', ID, ...at(), '--json', '--explain']);
  expect(deploy.code).toBe(0);
  expect(JSON.parse(deploy.stdout)).toMatchObject({ stackName: LAB, variant: 'permissions-boundary', created: true });

  const status = await runMain(['status', ID, ...at(), '--json', '--explain']);
  expect(status.code).toBe(0);
  const symptom = JSON.parse(status.stdout);
  expect(symptom).toMatchObject({ variant: 'permissions-boundary', source: 'derived' });
  expect(symptom.summary).toMatch(/because no permissions boundary allows the s3:DeleteObject action$/);

  const sim = await runMain([
    'simulate',
    '--principal',
    `arn:aws:iam::${ACCOUNT}:role/${LAB}-cleanup-job`,
    '--action',
    's3:DeleteObject',
    '--resource',
    `arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv`,
    ...at().slice(0, 4),
  ]);
  expect(sim.stdout).toContain(
    `ImplicitlyDenied: implicitly denied: the permissions boundary ${LAB}-cleanup-boundary does not allow s3:DeleteObject`,
  );

  const before = await runMain(['check', ID, ...at(), '--json']);
  expect(before.code).toBe(1);
  expect(
    JSON.parse(before.stdout)
      .criteria.filter((c: { status: string }) => c.status === 'fail')
      .map((c: { id: string }) => c.id),
  ).toEqual(['cleanup-role-can-delete-expired']);

  const hint = await runMain(['hint', ID, ...at(), '--json']);
  expect(JSON.parse(hint.stdout)).toMatchObject({ variant: 'permissions-boundary', level: 1, of: 3 });

  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${BUCKET}/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
      { Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${BUCKET}/expired/*` },
    ],
  });
  await awsCli(moto.endpoint, [
    'iam',
    'create-policy-version',
    '--policy-arn',
    `arn:aws:iam::${ACCOUNT}:policy/${LAB}-cleanup-boundary`,
    '--policy-document',
    doc,
    '--set-as-default',
  ]);
  const after = await runMain(['check', ID, ...at()]);
  expect(after.code).toBe(0);

  const reset = await runMain(['reset', ID, ...at(), '--json']);
  expect(reset.code).toBe(0);
  expect((await runMain(['check', ID, ...at()])).code).toBe(1);

  const destroy = await runMain(['destroy', ID, ...at(), '--json']);
  expect(destroy.code).toBe(0);
  expect(JSON.parse(destroy.stdout).leftovers).toEqual([]);
  expect((await runMain(['status', ID, ...at()])).code).toBe(3);
});
