/**
 * After the CDK deploy: seed the bucket (and, on emulators whose
 * CloudFormation may drop it, apply the public access block the template
 * declares); for the scp variant, create and attach the guardrail SCP
 * (CloudFormation would need the management account). Then prove the lab is
 * armed: only the cleanup criterion fails, and in the variant's own layer.
 */
import { PutObjectCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribeOrganizationCommand,
  UpdatePolicyCommand,
  paginateListPolicies,
} from '@aws-sdk/client-organizations';
import type { Criterion } from '../../checkers/criterion';
import { EnvironmentError } from '../../lib/core/errors';
import { collectPages } from '../../lib/core/paging';
import type { ArmedResult, ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { isEmulator } from '../../lib/targets/target';
import { ignoring } from '../../lib/toolkit/aws-errors';
import { onlyBlocking } from '../../lib/toolkit/armed';
import { gatherS3Delete } from './gather';
import { derivedSymptom } from './symptom';
import { SEED_KEYS, scpDocument, scpNameFor } from './lab';
import type { S3DeleteSnapshot } from './gather';
import { cleanupRoleCanDeleteExpired } from './criteria/cleanup-role-can-delete-expired';

/** Which layer each variant arms, as the engine reports it. */
const ARMED_BY: Record<string, RegExp> = {
  'bucket-policy': /with an explicit deny in a resource-based policy/,
  'permissions-boundary': /because no permissions boundary allows the s3:DeleteObject action/,
  scp: /with an explicit deny in a service control policy/,
};

/** The lab's guardrail SCP, found by name. */
export async function findLabScp(ctx: ScenarioContext): Promise<string | undefined> {
  const name = scpNameFor(ctx.stackName);
  const policies = await collectPages(
    paginateListPolicies({ client: ctx.clients.organizations }, { Filter: 'SERVICE_CONTROL_POLICY' }),
    (p) => p.Policies,
  );
  return policies.find((p) => p.Name === name)?.Id;
}

/**
 * scp variant: create (or restore) the guardrail SCP and attach it to the lab's
 * account. Needs AWS Organizations with SCPs enabled and credentials allowed
 * to manage them; SCPs never restrict the management account itself.
 */
async function armScp(ctx: ScenarioContext, bucket: string): Promise<void> {
  const org = ctx.clients.organizations;
  const account = (await ctx.clients.sts.send(new GetCallerIdentityCommand({}))).Account!;
  const described = await ignoring(['AWSOrganizationsNotInUseException'], org.send(new DescribeOrganizationCommand({})));
  if (!described)
    throw new EnvironmentError(
      'scenario-prerequisite',
      `Variant scp needs AWS Organizations, and account ${account} is not in an organization.`,
    );
  if (ctx.target.kind === 'aws' && described.Organization?.MasterAccountId === account) {
    throw new EnvironmentError(
      'scenario-prerequisite',
      `Variant scp needs a member account: ${account} is the organization's management account, which service control policies never restrict.`,
    );
  }
  const content = scpDocument(bucket);
  let id = await findLabScp(ctx);
  if (id) await org.send(new UpdatePolicyCommand({ PolicyId: id, Content: content }));
  else {
    const created = await org.send(
      new CreatePolicyCommand({
        Name: scpNameFor(ctx.stackName),
        Description: 'breakfix lab guardrail: only data stewards delete lab data',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: content,
      }),
    );
    id = created.Policy!.PolicySummary!.Id!;
  }
  await ignoring(['DuplicatePolicyAttachmentException'], org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: account })));
}

export async function afterDeploy(ctx: ScenarioContext): Promise<void> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [bucket] = physicalIdsOfType(resources, 'AWS::S3::Bucket');
  if (!bucket) throw new Error(`Stack ${ctx.stackName} lists no S3 bucket.`);
  // Emulators' CloudFormation may drop PublicAccessBlockConfiguration; apply what the template declares.
  if (isEmulator(ctx.target)) {
    await ctx.clients.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
  }
  for (const Key of SEED_KEYS) {
    await ctx.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key, Body: `breakfix seed object ${Key}\n`, ContentType: 'text/plain' }),
    );
  }
  if (ctx.variant === 'scp') await armScp(ctx, bucket);
}

/** The armed proof over the scenario's criteria (index.ts wires them in). */
export const verifyArmed =
  (criteria: readonly Criterion<S3DeleteSnapshot>[]) =>
  async (ctx: ScenarioContext): Promise<ArmedResult> => {
    const s = await gatherS3Delete(ctx);
    const missing = SEED_KEYS.filter((k) => !s.presentKeys.includes(k));
    if (missing.length) return { armed: false, facts: [`Bucket ${s.bucket} is missing seeded objects ${missing.join(', ')}.`] };
    const only = await onlyBlocking(ctx, criteria, s, cleanupRoleCanDeleteExpired.id);
    if (!only.armed) return only;
    const symptom = derivedSymptom(s);
    const expected = ARMED_BY[ctx.variant];
    if (expected && !expected.test(symptom.summary))
      return { armed: false, facts: [`Variant ${ctx.variant} should deny in its own layer, but: ${symptom.summary}`] };
    return {
      armed: true,
      facts: [
        only.message,
        `Bucket ${s.bucket} holds ${SEED_KEYS.length} seeded objects; the reporting role and other principals are still refused deletes of retained data.`,
      ],
    };
  };
