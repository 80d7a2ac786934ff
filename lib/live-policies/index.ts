import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { collectPages } from '../core/paging';
import type { NamedPolicy } from '../engines/iam';
import { ignoring } from '../toolkit/aws-errors';

/**
 * Reads the policy documents that decide a request, as they are live on the
 * target, for the IAM engine. Read-only; clients are passed in.
 */

/** The clients policies are read with; tests stand documented shapes in through the clients' middleware. */
export type IamReader = IAMClient;
export type S3Reader = Pick<S3Client, 'send'>;

export { accessDeniedMessage } from './access-denied';

/** IAM returns policy documents URL-encoded; some emulators return them plain. */
export function decodePolicyDocument(doc: string | undefined): string | undefined {
  if (doc === undefined) return undefined;
  const trimmed = doc.trim();
  if (trimmed.startsWith('{')) return trimmed;
  return decodeURIComponent(trimmed);
}

export interface RolePolicies {
  readonly roleName: string;
  readonly roleArn: string;
  readonly account: string;
  /** The role's unique ID (AROA...), for aws:userid. */
  readonly roleId?: string;
  /** The role's tags (aws:PrincipalTag/*); GetRole returns them all. */
  readonly tags?: Record<string, string>;
  /** Inline policies (by name) and attached managed policies (by ARN). */
  readonly identity: NamedPolicy[];
  readonly inlinePolicyNames: string[];
  readonly attachedPolicyArns: string[];
  readonly permissionsBoundary?: NamedPolicy;
  readonly trustPolicy?: string;
}

/** The default version of a managed policy. */
export async function readManagedPolicy(iam: IamReader, policyArn: string): Promise<NamedPolicy> {
  const policy = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
  const versionId = policy.Policy?.DefaultVersionId;
  if (!versionId) throw new Error(`Managed policy ${policyArn} reports no default version.`);
  const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }));
  const document = decodePolicyDocument(version.PolicyVersion?.Document);
  if (!document) throw new Error(`Managed policy ${policyArn} version ${versionId} has no document.`);
  return { name: policy.Policy?.PolicyName ?? policyArn, arn: policyArn, document };
}

/** A role's inline and attached policies and its permissions boundary. */
export async function readRolePolicies(iam: IamReader, roleName: string): Promise<RolePolicies> {
  const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  if (!role?.Arn) throw new Error(`IAM role ${roleName} was not found.`);
  const [inlineNames, attached] = await Promise.all([
    collectPages(paginateListRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.PolicyNames),
    collectPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.AttachedPolicies),
  ]);
  const attachedArns = attached.map((p) => p.PolicyArn!).filter(Boolean);
  const [inline, attachedPolicies, boundary] = await Promise.all([
    Promise.all(
      inlineNames.map(async (name) => {
        const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
        return { name, kind: 'inline policy', document: decodePolicyDocument(out.PolicyDocument) ?? '{}' } as NamedPolicy;
      }),
    ),
    Promise.all(attachedArns.map(async (arn) => ({ ...(await readManagedPolicy(iam, arn)), kind: 'managed policy' }))),
    role.PermissionsBoundary?.PermissionsBoundaryArn
      ? readManagedPolicy(iam, role.PermissionsBoundary.PermissionsBoundaryArn)
      : Promise.resolve(undefined),
  ]);
  return {
    roleName,
    roleArn: role.Arn,
    account: role.Arn.split(':')[4],
    roleId: role.RoleId,
    tags: Object.fromEntries((role.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ''])),
    identity: [...inline, ...attachedPolicies],
    inlinePolicyNames: inlineNames,
    attachedPolicyArns: attachedArns,
    permissionsBoundary: boundary ? { ...boundary, kind: 'permissions boundary' } : undefined,
    trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
  };
}

/** The bucket policy, or undefined when the bucket has none. */
export async function readBucketPolicy(s3: S3Reader, bucket: string): Promise<NamedPolicy | undefined> {
  const out = await ignoring(['NoSuchBucketPolicy'], s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
  return out?.Policy ? { name: bucket, kind: 'bucket policy', document: out.Policy } : undefined;
}

export { readScpLevels, type OrganizationsReader } from './scps';
