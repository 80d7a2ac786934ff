/**
 * detectStackDrift against the embedded emulator: the stack's current
 * template (GetTemplate) against live reads, with CloudFormation's drift
 * semantics ("Detect unmanaged configuration changes to stacks and resources
 * with drift detection", CloudFormation User Guide).
 */
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { clone } from '../../../test/fidelity-rollback/harness';
import { createStack, physicalIds, waitForStack } from '../../../test/fidelity/cfn-harness';
import { DRIFT_TEMPLATE, driftClientsFor, driftEverything, ORDERS_TABLE } from '../../../test/fidelity/drift-template';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import { describeDrift, detectStackDrift, StackDrift } from './drift';

const STACK = 'engine-drift';
let moto: TestMoto;
let c: ReturnType<typeof driftClientsFor>;
let ids: Record<string, string>;

beforeAll(async () => {
  moto = await startTestMoto();
  c = driftClientsFor(moto.endpoint);
  expect((await createStack(c.cfn, STACK, DRIFT_TEMPLATE)).status).toBe('CREATE_COMPLETE');
  ids = await physicalIds(c.cfn, STACK);
});

afterAll(async () => {
  c?.destroy();
  await moto?.stop();
});

const statuses = (d: StackDrift) => Object.fromEntries(d.resources.map((r) => [r.logicalId, r.status]));

test('a fresh stack is IN_SYNC; types without drift support are NOT_CHECKED, with the reason', async () => {
  const drift = await detectStackDrift(c, STACK);
  expect(drift).toMatchObject({ status: 'IN_SYNC', driftedCount: 0, failed: [] });
  expect(statuses(drift).Vpc).toBe('NOT_CHECKED');
  expect(drift.resources.find((r) => r.logicalId === 'Vpc')!.reason).toMatch(/does not support AWS::EC2::VPC/);
  const fn = drift.resources.find((r) => r.logicalId === 'Fn')!;
  // Intrinsics resolved from the live stack: Ref to the table, GetAtt of the role's ARN.
  expect(fn.expected).toMatchObject({ Environment: { Variables: { TABLE: ORDERS_TABLE } } });
  expect(fn.expected!.Role).toBe((await c.iam.send(new GetRoleCommand({ RoleName: ids.AppRole }))).Role!.Arn);
  expect(fn.notCompared).toEqual([]);
});

test('out-of-band changes come back as the documented differences, naming resource and property', async () => {
  await driftEverything(c, ids, '10.90.0.0/16');
  const drift = await detectStackDrift(c, STACK);
  expect(drift.status).toBe('DRIFTED');
  expect(drift.driftedCount).toBe(8);
  expect(statuses(drift)).toMatchObject({
    AuditLogs: 'DELETED',
    AssetsPolicy: 'DELETED',
    Assets: 'IN_SYNC',
    LogsPolicy: 'IN_SYNC',
    Fn: 'MODIFIED',
  });
  const fn = drift.resources.find((r) => r.logicalId === 'Fn')!;
  expect(describeDrift(fn)).toEqual([
    'Fn /Timeout is 60; the template has 10',
    'Fn /Environment/Variables/MODE is lenient; the template has strict',
    'Fn /Environment/Variables/DEBUG was added: 1',
  ]);
  expect(describeDrift(drift.resources.find((r) => r.logicalId === 'AuditLogs')!)).toEqual([
    'AuditLogs (AWS::Logs::LogGroup) was deleted outside CloudFormation',
  ]);
});

test('LogicalResourceIds limits the check; an unknown ID is refused', async () => {
  const drift = await detectStackDrift(c, STACK, { logicalIds: ['Flag'] });
  expect(drift.resources.map((r) => [r.logicalId, r.status])).toEqual([['Flag', 'MODIFIED']]);
  await expect(detectStackDrift(c, STACK, { logicalIds: ['Nope'] })).rejects.toThrow(/Nope does not exist/);
});

test("the stack's current template is the reference: codifying the change brings the resource in sync", async () => {
  const template = (await import('../../../test/fidelity/drift-template')).DRIFT_TEMPLATE;
  const codified = clone(template as never) as typeof template;
  codified.Resources.Flag.Properties!.Value = 'fast-mode';
  await c.cfn.send(new UpdateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(codified) }));
  expect(await waitForStack(c.cfn, STACK)).toBe('UPDATE_COMPLETE');
  const drift = await detectStackDrift(c, STACK, { logicalIds: ['Flag'] });
  expect(drift.resources[0]).toMatchObject({ logicalId: 'Flag', status: 'IN_SYNC' });
});

test('a read the service denies is a failed check, never DELETED', async () => {
  const denying = {
    send: async (cmd: { constructor: { name: string } }) => {
      if (cmd.constructor.name === 'GetRoleCommand') throw Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
      return (c.iam as IAMClient).send(cmd as never);
    },
  } as unknown as IAMClient;
  const drift = await detectStackDrift({ ...c, iam: denying }, STACK, { logicalIds: ['AppRole'] });
  expect(drift.failed).toEqual(['AppRole']);
  expect(drift.resources[0]).toMatchObject({ status: 'NOT_CHECKED' });
  expect(drift.resources[0].reason).toMatch(/AccessDenied/);
});
