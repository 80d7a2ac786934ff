/**
 * Variant scp runs only on real AWS (it needs Organizations and a member
 * account), so `deploy` refuses it elsewhere and `list` says so. Its checker,
 * symptom, arming and clean-up are exercised here against moto's
 * Organizations API, with moto's account standing in for the member account.
 */
import { AttachRolePolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateOrganizationCommand,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import type { CheckReport } from '../../../checkers/criterion';
import { checkScenario } from '../../../lib/ops/check';
import { deployScenario } from '../../../lib/ops/deploy';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { useLab } from '../../../test/support/lab';
import { failing } from '../../../test/support/report';
import { runMain } from '../../../test/cli/harness';
import scenario from '..';
import { SCP_SID } from '../lab';

const ACCOUNT = '123456789012';
const LAB = 'scp-s3-delete-access-denied';
const BUCKET = `${LAB}-data-${ACCOUNT}`;
const CLEANUP = `arn:aws:iam::${ACCOUNT}:role/${LAB}-cleanup-job`;
const SCP_NAME = `${LAB}-protect-deletes`;

const messageOf = (r: CheckReport, id: string) => r.criteria.find((c) => c.id === id)!.message;

async function labScpId(): Promise<string> {
  const out = await lab.ctx.clients.organizations.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
  return out.Policies!.find((p) => p.Name === SCP_NAME)!.Id!;
}

function scp(exempt: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: SCP_SID,
        Effect: 'Deny',
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
      },
    ],
  });
}

const lab = useLab(scenario, { learner: 'scp', variant: 'scp', deploy: false });

beforeAll(async () => {
  const org = lab.ctx.clients.organizations;
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const root = (await org.send(new ListRootsCommand({}))).Roots![0];
  if (!root.PolicyTypes?.some((t) => t.Type === 'SERVICE_CONTROL_POLICY' && t.Status === 'ENABLED')) {
    await org.send(new EnablePolicyTypeCommand({ RootId: root.Id, PolicyType: 'SERVICE_CONTROL_POLICY' }));
  }
  await deployScenario(scenario, lab.ctx);
});

test('list says the scp variant is AWS-only, and deploy refuses it on moto', async () => {
  const list = await runMain(['list']);
  expect(list.stdout).toContain('variants: bucket-policy, permissions-boundary, scp (aws only)');
  const deploy = await runMain(['deploy', 's3-delete-access-denied', '--variant', 'scp', '--target', 'moto', '--endpoint', lab.endpoint]);
  expect(deploy.code).toBe(2);
  expect(deploy.stderr).toMatch(/Variant scp of s3-delete-access-denied cannot run on moto; it needs aws\./);
});

test('armed: the guardrail SCP denies the cleanup role, and status names a service control policy', async () => {
  const report = await checkScenario(scenario, lab.ctx);
  expect(failing(report)).toEqual(['cleanup-role-can-delete-expired']);
  expect(messageOf(report, 'cleanup-role-can-delete-expired')).toBe(
    `Cleanup role ${CLEANUP} cannot delete arn:aws:s3:::${BUCKET}/expired/2024-01-31/orders.csv: denied by service control policy ${SCP_NAME} statement ${SCP_SID}.`,
  );
  const symptom = await scenario.symptom(lab.ctx);
  expect(symptom.summary).toMatch(
    /is not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::\S+\/expired\/2024-01-31\/orders\.csv" with an explicit deny in a service control policy$/,
  );
  expect(symptom.derivation).toMatch(/the service control policies in force for the account/);
});

describe('after each case the lab is reset', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('remedy: the SCP exempts the cleanup role as well as stewards', async () => {
    await lab.ctx.clients.organizations.send(
      new UpdatePolicyCommand({ PolicyId: await labScpId(), Content: scp(['arn:aws:iam::*:role/*-data-steward', CLEANUP]) }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual([]);
    expect(report.verdict).toBe('fixed');
  });

  test('shortcut: detaching the SCP from the account', async () => {
    await lab.ctx.clients.organizations.send(new DetachPolicyCommand({ PolicyId: await labScpId(), TargetId: ACCOUNT }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toBe(
      `Service control policy ${SCP_NAME} is no longer attached to account ${ACCOUNT} or any of its parents.`,
    );
  });

  test('shortcut: exempting every role from the SCP', async () => {
    await lab.ctx.clients.organizations.send(
      new UpdatePolicyCommand({ PolicyId: await labScpId(), Content: scp(['arn:aws:iam::*:role/*']) }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-not-over-granted']);
    expect(messageOf(report, 'cleanup-role-not-over-granted')).toMatch(
      /no longer keeps any other role of account \d+ with s3:\* .* from deleting retained data: s3:DeleteObject(Version)? on arn:aws:s3:::\S+\/(exports|ledger)\/\S*, allowed by identity-based policy S3FullAccess statement \[0\]\.$/,
    );
  });

  test('shortcut: admin for the cleanup role', async () => {
    const created = await lab.ctx.clients.iam.send(
      new CreatePolicyCommand({
        PolicyName: 'ScpFullAdmin',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    );
    await lab.ctx.clients.iam.send(new AttachRolePolicyCommand({ RoleName: `${LAB}-cleanup-job`, PolicyArn: created.Policy!.Arn }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['cleanup-role-can-delete-expired', 'cleanup-role-not-over-granted']);
  });
});

test('destroy removes the SCP with the lab', async () => {
  const result = await destroyScenario(scenario, lab.ctx);
  expect(result.leftovers).toEqual([]);
  expect(result.removed.some((r) => r.startsWith(`service control policy ${SCP_NAME}`))).toBe(true);
  const left = await lab.ctx.clients.organizations.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
  expect((left.Policies ?? []).map((p) => p.Name)).not.toContain(SCP_NAME);
});
