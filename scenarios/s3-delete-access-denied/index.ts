import {
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  AttachPolicyCommand,
  CreatePolicyCommand as CreateOrgPolicyCommand,
  DeletePolicyCommand as DeleteOrgPolicyCommand,
  DescribeOrganizationCommand,
  DetachPolicyCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { EnvironmentError } from '../../lib/core/errors';
import type { ArmedResult, ScenarioContext, ScenarioDefinition } from '../../lib/scenario/types';
import { defineScenario } from '../../lib/scenario/define';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { runCheck } from '../../checkers/runner';
import { S3DeleteStack, CLEANUP_POLICY_NAME, REPORTING_POLICY_NAME, SEED_KEYS, scpDocument, scpNameFor } from './stack';
import { gatherS3Delete, S3DeleteSnapshot } from './gather';
import { derivedSymptom, s3DeleteSymptom } from './symptom';
import { cleanupRoleCanDeleteExpired } from './criteria/cleanup-role-can-delete-expired';
import { retainedDataProtectedFromOthers } from './criteria/retained-data-protected-from-others';
import { bucketNotPublic } from './criteria/bucket-not-public';
import { cleanupRoleNotOverGranted } from './criteria/cleanup-role-not-over-granted';

const criteria = [cleanupRoleCanDeleteExpired, retainedDataProtectedFromOthers, bucketNotPublic, cleanupRoleNotOverGranted];

/** Which layer each variant arms, as the engine reports it. */
const ARMED_BY: Record<string, RegExp> = {
  'bucket-policy': /with an explicit deny in a resource-based policy/,
  'permissions-boundary': /because no permissions boundary allows the s3:DeleteObject action/,
  scp: /with an explicit deny in a service control policy/,
};

/** The lab's guardrail SCP, found by name. */
async function findLabScp(ctx: ScenarioContext): Promise<string | undefined> {
  const name = scpNameFor(ctx.stackName);
  let token: string | undefined;
  do {
    const page = await ctx.clients.organizations.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', NextToken: token }));
    const hit = (page.Policies ?? []).find((p) => p.Name === name);
    if (hit) return hit.Id;
    token = page.NextToken;
  } while (token);
  return undefined;
}

/**
 * scp variant: create (or restore) the guardrail SCP and attach it to the lab's
 * account. Needs AWS Organizations with SCPs enabled and credentials allowed
 * to manage them; SCPs never restrict the management account itself.
 */
async function armScp(ctx: ScenarioContext, bucket: string): Promise<void> {
  const org = ctx.clients.organizations;
  const account = (await ctx.clients.sts.send(new GetCallerIdentityCommand({}))).Account!;
  const described = await org.send(new DescribeOrganizationCommand({})).catch((err: { name?: string }) => {
    if (err.name === 'AWSOrganizationsNotInUseException')
      throw new EnvironmentError(
        'scenario-prerequisite',
        `Variant scp needs AWS Organizations, and account ${account} is not in an organization.`,
      );
    throw err;
  });
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
      new CreateOrgPolicyCommand({
        Name: scpNameFor(ctx.stackName),
        Description: 'breakfix lab guardrail: only data stewards delete lab data',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: content,
      }),
    );
    id = created.Policy!.PolicySummary!.Id!;
  }
  await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: account })).catch((err: { name?: string }) => {
    if (err.name !== 'DuplicatePolicyAttachmentException') throw err;
  });
}

async function removeLabScp(ctx: ScenarioContext): Promise<string[]> {
  const id = await findLabScp(ctx);
  if (!id) return [];
  const org = ctx.clients.organizations;
  const targets = (await org.send(new ListTargetsForPolicyCommand({ PolicyId: id }))).Targets ?? [];
  for (const t of targets) await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: t.TargetId }));
  await org.send(new DeleteOrgPolicyCommand({ PolicyId: id }));
  return [`service control policy ${scpNameFor(ctx.stackName)} (${id})`];
}

async function afterDeploy(ctx: ScenarioContext): Promise<void> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [bucket] = physicalIdsOfType(resources, 'AWS::S3::Bucket');
  if (!bucket) throw new Error(`Stack ${ctx.stackName} lists no S3 bucket.`);
  // Emulators' CloudFormation may drop PublicAccessBlockConfiguration; apply what the template declares.
  if (ctx.target.kind !== 'aws') {
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

async function verifyArmed(ctx: ScenarioContext): Promise<ArmedResult> {
  const s: S3DeleteSnapshot = await gatherS3Delete(ctx);
  const facts: string[] = [];
  const missing = SEED_KEYS.filter((k) => !s.presentKeys.includes(k));
  if (missing.length) return { armed: false, facts: [`Bucket ${s.bucket} is missing seeded objects ${missing.join(', ')}.`] };
  const report = await runCheck({ scenario: ctx.scenarioId, target: ctx.target.kind, gather: async () => s, criteria });
  const failing = report.criteria.filter((c) => c.status !== 'pass');
  if (failing.length !== 1 || failing[0].id !== cleanupRoleCanDeleteExpired.id) {
    return {
      armed: false,
      facts: [
        `Expected only ${cleanupRoleCanDeleteExpired.id} to fail; got: ${report.criteria.map((c) => `${c.id}=${c.status} (${c.message})`).join(' ')}`,
      ],
    };
  }
  const symptom = derivedSymptom(s);
  const expected = ARMED_BY[ctx.variant];
  if (expected && !expected.test(symptom.summary))
    return { armed: false, facts: [`Variant ${ctx.variant} should deny in its own layer, but: ${symptom.summary}`] };
  facts.push(
    failing[0].message,
    `Bucket ${s.bucket} holds ${SEED_KEYS.length} seeded objects; the reporting role and other principals are still refused deletes of retained data.`,
  );
  return { armed: true, facts };
}

interface Names {
  bucket: string;
  roles: string[];
  boundaryArn: string;
}

async function namesOf(ctx: ScenarioContext): Promise<Names> {
  const id = await ctx.clients.sts.send(new GetCallerIdentityCommand({}));
  const partition = id.Arn?.split(':')[1] ?? 'aws';
  return {
    bucket: `${ctx.stackName}-data-${id.Account}`,
    roles: [`${ctx.stackName}-cleanup-job`, `${ctx.stackName}-reporting`],
    boundaryArn: `arn:${partition}:iam::${id.Account}:policy/${ctx.stackName}-cleanup-boundary`,
  };
}

const TEMPLATE_INLINE = new Set([CLEANUP_POLICY_NAME, REPORTING_POLICY_NAME]);

/**
 * Before the stack goes: empty the bucket (CloudFormation will not delete a
 * bucket with objects; the bucket policy is removed first because its Deny
 * would stop these deletes), take off the policies the learner put on the
 * roles, which would block role deletion, and drop extra versions of the
 * boundary policy, which would block its deletion.
 */
async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const names = await namesOf(ctx);
  const removed: string[] = [];
  const s3 = ctx.clients.s3;
  const bucketExists = await s3.send(new HeadBucketCommand({ Bucket: names.bucket })).then(
    () => true,
    () => false,
  );
  if (bucketExists) {
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: names.bucket }));
    let count = 0;
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectVersionsCommand({ Bucket: names.bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
      );
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key!,
        VersionId: v.VersionId && v.VersionId !== 'null' ? v.VersionId : undefined,
      }));
      if (objects.length) await s3.send(new DeleteObjectsCommand({ Bucket: names.bucket, Delete: { Objects: objects, Quiet: true } }));
      count += objects.length;
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    removed.push(`bucket policy of ${names.bucket}`, `${count} object version(s) in ${names.bucket}`);
  }
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName).catch(() => []);
  const templateManaged = new Set(physicalIdsOfType(resources, 'AWS::IAM::ManagedPolicy'));
  for (const roleName of names.roles) {
    const exists = await ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName })).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const inline = (await ctx.clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
    for (const name of inline.filter((n) => !TEMPLATE_INLINE.has(n))) {
      await ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      removed.push(`inline policy ${name} of IAM role ${roleName}`);
    }
    const attached = (await ctx.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
    for (const p of attached.filter((a) => !templateManaged.has(a.PolicyArn!))) {
      await ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: p.PolicyArn }));
      removed.push(`attachment of ${p.PolicyArn} to IAM role ${roleName}`);
    }
  }
  if (ctx.variant === 'scp') removed.push(...(await removeLabScp(ctx)));
  // A managed policy with more than one version cannot be deleted; keep only the default one for CloudFormation to delete.
  const versions = await ctx.clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: names.boundaryArn })).then(
    (o) => o.Versions ?? [],
    () => [],
  );
  for (const v of versions.filter((x) => !x.IsDefaultVersion)) {
    await ctx.clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: names.boundaryArn, VersionId: v.VersionId }));
    removed.push(`version ${v.VersionId} of IAM policy ${names.boundaryArn}`);
  }
  return removed;
}

/**
 * moto's CloudFormation leaves AWS::IAM::ManagedPolicy behind on stack delete
 * (a gap, not a retain policy); AWS deletes it. Remove it if it is still there.
 */
async function afterStackDeleted(ctx: ScenarioContext): Promise<string[]> {
  const names = await namesOf(ctx);
  const exists = await ctx.clients.iam.send(new GetPolicyCommand({ PolicyArn: names.boundaryArn })).then(
    () => true,
    () => false,
  );
  if (!exists) return [];
  const versions = (await ctx.clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: names.boundaryArn }))).Versions ?? [];
  for (const v of versions.filter((x) => !x.IsDefaultVersion))
    await ctx.clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: names.boundaryArn, VersionId: v.VersionId }));
  await ctx.clients.iam.send(new DeletePolicyCommand({ PolicyArn: names.boundaryArn }));
  return [`IAM policy ${names.boundaryArn} (left by the emulator's CloudFormation)`];
}

async function leftovers(ctx: ScenarioContext): Promise<string[]> {
  const names = await namesOf(ctx);
  const left: string[] = [];
  if (
    await ctx.clients.s3.send(new HeadBucketCommand({ Bucket: names.bucket })).then(
      () => true,
      () => false,
    )
  )
    left.push(`S3 bucket ${names.bucket}`);
  for (const roleName of names.roles) {
    if (
      await ctx.clients.iam.send(new GetRoleCommand({ RoleName: roleName })).then(
        () => true,
        () => false,
      )
    )
      left.push(`IAM role ${roleName}`);
  }
  if (
    await ctx.clients.iam.send(new GetPolicyCommand({ PolicyArn: names.boundaryArn })).then(
      () => true,
      () => false,
    )
  )
    left.push(`IAM policy ${names.boundaryArn}`);
  if (ctx.variant === 'scp') {
    const id = await findLabScp(ctx);
    if (id) left.push(`service control policy ${scpNameFor(ctx.stackName)} (${id})`);
  }
  return left;
}

const scenario: ScenarioDefinition<S3DeleteSnapshot> = defineScenario(__dirname, {
  buildStack: (scope, props) => new S3DeleteStack(scope, props),
  gather: gatherS3Delete,
  criteria,
  symptom: s3DeleteSymptom,
  verifyArmed,
  afterDeploy,
  sweepLearnerResources,
  afterStackDeleted,
  leftovers,
});

export default scenario;
