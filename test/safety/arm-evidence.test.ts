/**
 * Evidence a learner cannot forge: which variant a lab was armed with, and
 * which stack is the armed one, come from breakfix's own record in
 * BREAKFIX_HOME (keyed by target, account and stack name), cross-checked with
 * the live StackId and CreationTime. The stack's `breakfix:variant` tag is the
 * learner's to rewrite, so it is read but never trusted alone.
 *
 * The stacks here are plain one-resource stacks carrying a lab's name and
 * tags, as `cdk deploy` or a learner's own CreateStack would leave them:
 * openLab reads only the stack and the record, so no lab needs deploying.
 */
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { EnvironmentError, UsageError } from '../../lib/core/errors';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import { openLab } from '../../lib/ops/lab';
import { AwsClients } from '../../lib/targets/clients';
import { accountOfStackId, readArmedRecord, recordArmed } from '../../lib/targets/lab-record';
import type { Target } from '../../lib/targets/target';
import { SCENARIOS } from '../support/catalog';
import { useMoto } from '../support/lab';

const moto = useMoto();
const S3 = SCENARIOS.find((s) => s.id === 's3-delete-access-denied')!;
const template = (stackName: string) =>
  JSON.stringify({
    Resources: { Marker: { Type: 'AWS::SSM::Parameter', Properties: { Name: `${stackName}-marker`, Type: 'String', Value: 'x' } } },
  });

let target: Target;
let clients: AwsClients;
beforeAll(() => {
  target = { kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint };
  clients = new AwsClients(target);
});
afterAll(() => clients.destroy());

async function createLabStack(learner: string, variantTag: string): Promise<string> {
  const stackName = `${learner}-${S3.id}`;
  await clients.cloudformation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: template(stackName),
      Tags: [
        { Key: 'breakfix:managed', Value: 'true' },
        { Key: 'breakfix:scenario', Value: S3.id },
        { Key: 'breakfix:variant', Value: variantTag },
      ],
    }),
  );
  return stackName;
}

async function arm(learner: string, variant: string): Promise<void> {
  const stack = (await describeStack(clients.cloudformation, `${learner}-${S3.id}`))!;
  recordArmed(
    target,
    { stackName: stack.stackName, stackId: stack.stackId, creationTime: stack.raw.CreationTime },
    { scenario: S3.id, learner, variant },
  );
}

test('a lab breakfix never armed (cdk deploy) is refused with the one command that arms it', async () => {
  await createLabStack('ana', 'bucket-policy');
  const err = await openLab(S3, target, { learner: 'ana', clients }).catch((e) => e);
  expect(err).toBeInstanceOf(EnvironmentError);
  expect(err.code).toBe('not-armed-by-breakfix');
  expect(err.message).toBe(
    `Stack ana-${S3.id} was deployed without breakfix's post-deploy steps (by \`cdk deploy\`, for example), so the fault was never armed; run \`breakfix reset ${S3.id} --learner ana\` to arm it.`,
  );
});

test('the variant is the recorded one, whatever the stack tag says after a retag', async () => {
  await createLabStack('ben', 'bucket-policy');
  await arm('ben', 'permissions-boundary');
  // The learner retags the stack to another variant (its criteria would be skipped if the tag decided).
  await clients.cloudformation.send(
    new UpdateStackCommand({
      StackName: `ben-${S3.id}`,
      UsePreviousTemplate: true,
      Tags: [
        { Key: 'breakfix:managed', Value: 'true' },
        { Key: 'breakfix:scenario', Value: S3.id },
        { Key: 'breakfix:variant', Value: 'bucket-policy' },
      ],
    }),
  );
  const { ctx, stack, armed } = await openLab(S3, target, { learner: 'ben', clients });
  expect(stack.tags['breakfix:variant']).toBe('bucket-policy');
  expect(ctx.variant).toBe('permissions-boundary');
  expect(armed?.stackId).toBe(stack.stackId);
  expect(ctx.armed?.stackId).toBe(stack.stackId);
});

test('a stack deleted and created again under the armed name is not the armed one', async () => {
  await createLabStack('cy', 'bucket-policy');
  await arm('cy', 'bucket-policy');
  const before = (await describeStack(clients.cloudformation, `cy-${S3.id}`))!;
  await clients.cloudformation.send(new DeleteStackCommand({ StackName: before.stackId }));
  await createLabStack('cy', 'bucket-policy');
  const err = await openLab(S3, target, { learner: 'cy', clients }).catch((e) => e);
  expect(err).toBeInstanceOf(EnvironmentError);
  expect(err.message).toMatch(new RegExp(`is not the stack breakfix armed \\(${before.stackId.replace(/[/.]/g, '\\$&')}, created `));
  expect(err.message).toMatch(
    /it was replaced outside breakfix; run `breakfix reset s3-delete-access-denied --learner cy` to arm a fresh lab\.$/,
  );
});

test('the record is keyed by target, account and stack: another emulator or account has none', async () => {
  const stack = (await describeStack(clients.cloudformation, `ben-${S3.id}`))!;
  expect(accountOfStackId(stack.stackId)).toBe('123456789012');
  expect(readArmedRecord(target, stack)).toBeDefined();
  expect(readArmedRecord({ ...target, endpoint: 'http://127.0.0.1:1' }, stack)).toBeUndefined();
  expect(readArmedRecord(target, { ...stack, stackId: stack.stackId.replace('123456789012', '999999999999') })).toBeUndefined();
});

test('reset and destroy (requireArmed: false) never take an unknown variant from a tag', async () => {
  await createLabStack('dan', '../../../README');
  const { ctx } = await openLab(S3, target, { learner: 'dan', clients, requireArmed: false });
  expect(S3.meta.variants.map((v) => v.id)).toContain(ctx.variant);
  await createLabStack('eve', 'scp'); // a known variant, but not one moto can arm
  expect((await openLab(S3, target, { learner: 'eve', clients, requireArmed: false })).ctx.variant).not.toBe('scp');
});

test('a record naming a variant the scenario lacks is refused, not used', async () => {
  await createLabStack('fay', 'bucket-policy');
  await arm('fay', '../../x');
  await expect(openLab(S3, target, { learner: 'fay', clients })).rejects.toThrow(UsageError);
});
