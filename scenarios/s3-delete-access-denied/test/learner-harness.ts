/**
 * The one place the learner-behaviour suite touches breakfix's own code: start
 * a moto, deploy a fresh lab, grade it, reset it, destroy it. Everything a
 * learner does to the lab goes through the `aws` CLI or the SDK, as it would
 * against a real account. A refactor of breakfix's entry points should only
 * need to change this file.
 */
import { appendFileSync } from 'node:fs';
import { ListStacksCommand, StackStatus } from '@aws-sdk/client-cloudformation';
import * as iamSdk from '@aws-sdk/client-iam';
import { GetRoleCommand, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import * as s3Sdk from '@aws-sdk/client-s3';
import { GetBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import { awsCli, labContext } from '../../../test/support/lab';
import { deployScenario } from '../../../lib/ops/deploy';
import { checkScenario } from '../../../lib/ops/check';
import { resetScenario } from '../../../lib/ops/reset';
import { destroyScenario } from '../../../lib/ops/destroy';
import type { ScenarioContext, ScenarioDefinition } from '../../../lib/scenario/types';
import type { CheckReport, CriterionStatus } from '../../../checkers/criterion';
import * as scenarioModule from '../index';

export const SCENARIO_ID = 's3-delete-access-denied';
export const REGION = 'us-east-1';

/** The scenario object, whether index.ts exports it as default or by name. */
export const scenario: ScenarioDefinition = (() => {
  const candidates = Object.values(scenarioModule as Record<string, unknown>);
  const found = candidates.find(
    (v): v is ScenarioDefinition => !!v && typeof v === 'object' && (v as ScenarioDefinition).id === SCENARIO_ID,
  );
  if (!found) throw new Error(`scenarios/${SCENARIO_ID}/index.ts exports no scenario with id ${SCENARIO_ID}`);
  return found;
})();

export type GraderMoto = TestMoto;
export const startGraderMoto = (): Promise<GraderMoto> => startTestMoto();

export interface Grade {
  readonly verdict: 'fixed' | 'not-fixed';
  /** IDs of criteria that failed or errored, sorted. */
  readonly failing: string[];
  /** Every criterion's status by ID, to compare a reset lab with a fresh one. */
  readonly statuses: Record<string, CriterionStatus>;
  readonly report: CheckReport;
}

function gradeOf(report: CheckReport): Grade {
  return {
    verdict: report.verdict,
    failing: report.criteria
      .filter((c) => c.status === 'fail' || c.status === 'error')
      .map((c) => c.id)
      .sort(),
    statuses: Object.fromEntries(report.criteria.map((c) => [c.id, c.status])),
    report,
  };
}

/** A deployed lab, with the names the brief gives and the identifiers a learner reads from live state. */
export interface Lab {
  readonly learner: string;
  readonly variant: string;
  /** `<learner>-s3-delete-access-denied`: the stack name and the `<lab>` of the brief. */
  readonly name: string;
  readonly account: string;
  readonly bucket: string;
  readonly bucketArn: string;
  readonly cleanupRole: string;
  readonly cleanupRoleArn: string;
  /** The cleanup role's unique ID (AROA…), the first half of `aws:userid` for its sessions. */
  readonly cleanupRoleId: string;
  readonly reportingRole: string;
  readonly reportingRoleArn: string;
  readonly ctx: ScenarioContext;
  /** `aws <args>` against the lab's emulator, in process through the SDK (see sdkAws); parsed JSON output. */
  aws(args: string[]): Promise<any>;
  /** The real `aws` CLI, for the cases that run it. */
  awsCli(args: string[]): Promise<any>;
  /** The bucket policy in force, parsed. */
  bucketPolicy(): Promise<any>;
  check(): Promise<Grade>;
  reset(): Promise<void>;
  destroy(): Promise<void>;
  /** Everything in the region's listing (stacks, buckets, roles, customer managed policies) whose name carries this lab's name. */
  listing(): Promise<string[]>;
}

function labNames(learner: string, account: string) {
  const name = `${learner}-${SCENARIO_ID}`;
  const bucket = `${name}-data-${account}`;
  return {
    name,
    bucket,
    bucketArn: `arn:aws:s3:::${bucket}`,
    cleanupRole: `${name}-cleanup-job`,
    cleanupRoleArn: `arn:aws:iam::${account}:role/${name}-cleanup-job`,
    reportingRole: `${name}-reporting`,
    reportingRoleArn: `arn:aws:iam::${account}:role/${name}-reporting`,
  };
}

async function listingFor(ctx: ScenarioContext, name: string): Promise<string[]> {
  const c = ctx.clients;
  const out: string[] = [];
  const live = Object.values(StackStatus).filter((s) => s !== StackStatus.DELETE_COMPLETE);
  let token: string | undefined;
  do {
    const page = await c.cloudformation.send(new ListStacksCommand({ NextToken: token, StackStatusFilter: live }));
    for (const s of page.StackSummaries ?? []) if (s.StackName?.includes(name)) out.push(`stack ${s.StackName} ${s.StackStatus}`);
    token = page.NextToken;
  } while (token);
  const buckets = await c.s3.send(new ListBucketsCommand({}));
  for (const b of buckets.Buckets ?? []) if (b.Name?.includes(name)) out.push(`bucket ${b.Name}`);
  let marker: string | undefined;
  do {
    const page = await c.iam.send(new ListRolesCommand({ Marker: marker }));
    for (const r of page.Roles ?? []) if (r.RoleName?.includes(name)) out.push(`role ${r.RoleName}`);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await c.iam.send(new ListPoliciesCommand({ Scope: 'Local', Marker: marker }));
    for (const p of page.Policies ?? []) if (p.PolicyName?.includes(name)) out.push(`policy ${p.Arn}`);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out.sort();
}

/** Region listing for a lab that is not deployed yet (to compare with what destroy leaves). */
export async function listingBefore(moto: GraderMoto, learner: string, variant: string): Promise<string[]> {
  const ctx = labContext(scenario, moto.endpoint, { learner, variant });
  return listingFor(ctx, `${learner}-${SCENARIO_ID}`);
}

/** Deploys a fresh lab for one learner name and variant, as `breakfix deploy --learner --variant` would. */
export async function deployLab(moto: GraderMoto, learner: string, variant: string): Promise<Lab> {
  const ctx = labContext(scenario, moto.endpoint, { learner, variant });
  await deployScenario(scenario, ctx);
  const ident = await ctx.clients.sts.send(new GetCallerIdentityCommand({}));
  const account = ident.Account!;
  const n = labNames(learner, account);
  const role = await ctx.clients.iam.send(new GetRoleCommand({ RoleName: n.cleanupRole }));
  return {
    learner,
    variant,
    account,
    ...n,
    cleanupRoleId: role.Role!.RoleId!,
    ctx,
    aws: (args) => sdkAws(ctx, args),
    awsCli: (args) => awsCli(moto.endpoint, args),
    bucketPolicy: async () => {
      const out = await ctx.clients.s3.send(new GetBucketPolicyCommand({ Bucket: n.bucket }));
      return JSON.parse(out.Policy!);
    },
    check: async () => gradeOf(await checkScenario(scenario, ctx)),
    reset: async () => {
      await resetScenario(scenario, ctx);
    },
    destroy: async () => {
      await destroyScenario(scenario, ctx);
    },
    listing: () => listingFor(ctx, n.name),
  };
}

/**
 * When GRADER_VERDICT_LOG names a file, each graded case appends one JSON line
 * (variant, case, expected, today's verdict and failing criteria) for the report.
 */
export function logVerdict(entry: Record<string, unknown>): void {
  const file = process.env.GRADER_VERDICT_LOG;
  if (file) appendFileSync(file, JSON.stringify(entry) + '\n');
}

const camel = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/** CLI shorthand `Key=a,Value=b` (one structure) into an object. */
function shorthand(value: string): Record<string, string> {
  return Object.fromEntries(value.split(',').map((kv) => kv.split('=', 2) as [string, string]));
}

/**
 * `aws s3api|iam <operation> --param value ...` run in process with the SDK: the operation's command
 * (`put-bucket-policy` -> PutBucketPolicyCommand), each `--param` as its input member, JSON values parsed
 * (policy documents stay strings, as the API takes them), shorthand structures and `--tags` lists expanded,
 * bare flags as true. Written by hand because no library runs CLI argument lists through the SDK, and a
 * Python process per learner move would make the suite several times slower; a few cases still run the
 * real CLI (`Case.cli`).
 */
export async function sdkAws(ctx: ScenarioContext, args: string[]): Promise<any> {
  const [service, operation, ...rest] = args;
  const modules: Record<string, { module: Record<string, any>; client: { send(c: any): Promise<any> } }> = {
    s3api: { module: s3Sdk, client: ctx.clients.s3 },
    iam: { module: iamSdk, client: ctx.clients.iam },
  };
  const m = modules[service];
  const Command = m?.module[`${camel(operation)}Command`];
  if (!Command) throw new Error(`sdkAws does not know aws ${service} ${operation}`);
  const input: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i++) {
    const name = camel(rest[i].replace(/^--/, ''));
    const next = rest[i + 1];
    if (next === undefined || next.startsWith('--')) {
      input[name] = true;
      continue;
    }
    i++;
    if (name === 'Policy' || name === 'PolicyDocument') input[name] = next;
    else if (name === 'Tags') input[name] = [shorthand(next)];
    else if (/^[[{]/.test(next)) input[name] = JSON.parse(next);
    else if (/^[A-Za-z]+=/.test(next) && name.endsWith('Configuration')) input[name] = shorthand(next);
    else input[name] = next;
  }
  const { $metadata: _ignored, ...out } = await m.client.send(new Command(input));
  return out;
}

// ---------------------------------------------------------------- back to the armed lab between cases

/** One role as it is live: everything a learner move in this suite can change. */
interface RoleState {
  trust: string;
  tags: Record<string, string>;
  boundary?: string;
  inline: Record<string, string>;
  attached: string[];
}

/** The lab's learner-changeable state; `restoreArmed` puts it back and compares. */
export interface LabState {
  bucketPolicy?: string;
  publicAccessBlock?: unknown;
  lifecycle: unknown;
  objects: string[];
  roles: Record<string, RoleState>;
  /** Customer managed policies whose name carries the lab's name, with their default version and version IDs. */
  policies: Record<string, { defaultVersion: string; versions: string[] }>;
}

/** A policy document as one canonical JSON string, whether the API returned it URL-encoded or plain. */
const canonical = (doc: string) => JSON.stringify(JSON.parse(doc.trim().startsWith('{') ? doc : decodeURIComponent(doc)));

const orUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

async function roleState(lab: Lab, roleName: string): Promise<RoleState> {
  const iam = lab.ctx.clients.iam;
  const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
  const names = (await iam.send(new iamSdk.ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  const inline: Record<string, string> = {};
  for (const n of names)
    inline[n] = canonical((await iam.send(new iamSdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: n }))).PolicyDocument!);
  const attached = (await iam.send(new iamSdk.ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
  return {
    trust: canonical(role.AssumeRolePolicyDocument!),
    tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
    boundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
    inline,
    attached: attached.map((p) => p.PolicyArn!).sort(),
  };
}

export async function labState(lab: Lab): Promise<LabState> {
  const s3 = lab.ctx.clients.s3;
  const iam = lab.ctx.clients.iam;
  const policies: LabState['policies'] = {};
  const local = (await iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1000 }))).Policies ?? [];
  for (const p of local.filter((x) => x.PolicyName?.includes(lab.name))) {
    const versions = (await iam.send(new iamSdk.ListPolicyVersionsCommand({ PolicyArn: p.Arn }))).Versions ?? [];
    policies[p.Arn!] = {
      defaultVersion: versions.find((v) => v.IsDefaultVersion)!.VersionId!,
      versions: versions.map((v) => v.VersionId!).sort(),
    };
  }
  const listed = await s3.send(new s3Sdk.ListObjectsV2Command({ Bucket: lab.bucket }));
  return {
    bucketPolicy: await orUndefined(s3.send(new GetBucketPolicyCommand({ Bucket: lab.bucket })).then((o) => canonical(o.Policy!))),
    publicAccessBlock: (await orUndefined(s3.send(new s3Sdk.GetPublicAccessBlockCommand({ Bucket: lab.bucket }))))
      ?.PublicAccessBlockConfiguration,
    lifecycle: (await orUndefined(s3.send(new s3Sdk.GetBucketLifecycleConfigurationCommand({ Bucket: lab.bucket }))))?.Rules,
    objects: (listed.Contents ?? []).map((o) => o.Key!).sort(),
    roles: { [lab.cleanupRole]: await roleState(lab, lab.cleanupRole), [lab.reportingRole]: await roleState(lab, lab.reportingRole) },
    policies,
  };
}

async function restoreRole(lab: Lab, roleName: string, want: RoleState): Promise<void> {
  const iam = lab.ctx.clients.iam;
  const have = await roleState(lab, roleName);
  if (have.trust !== want.trust)
    await iam.send(new iamSdk.UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: want.trust }));
  for (const name of Object.keys(have.inline))
    if (!(name in want.inline)) await iam.send(new iamSdk.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
  for (const [name, doc] of Object.entries(want.inline))
    if (have.inline[name] !== doc)
      await iam.send(new iamSdk.PutRolePolicyCommand({ RoleName: roleName, PolicyName: name, PolicyDocument: doc }));
  for (const arn of have.attached)
    if (!want.attached.includes(arn)) await iam.send(new iamSdk.DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
  for (const arn of want.attached)
    if (!have.attached.includes(arn)) await iam.send(new iamSdk.AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
  const extraTags = Object.keys(have.tags).filter((k) => !(k in want.tags));
  if (extraTags.length) await iam.send(new iamSdk.UntagRoleCommand({ RoleName: roleName, TagKeys: extraTags }));
  if (have.boundary !== want.boundary) {
    if (want.boundary)
      await iam.send(new iamSdk.PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: want.boundary }));
    else await iam.send(new iamSdk.DeleteRolePermissionsBoundaryCommand({ RoleName: roleName }));
  }
}

/**
 * Undoes whatever a case did, with the SDK, and proves it: the lab's state must equal the armed state
 * read after deploy. Far cheaper than a reset (a rebuild) per case; `reset` has its own tests below.
 */
export async function restoreArmed(lab: Lab, armed: LabState): Promise<void> {
  const s3 = lab.ctx.clients.s3;
  const iam = lab.ctx.clients.iam;
  if (armed.bucketPolicy) await s3.send(new s3Sdk.PutBucketPolicyCommand({ Bucket: lab.bucket, Policy: armed.bucketPolicy }));
  else await s3.send(new s3Sdk.DeleteBucketPolicyCommand({ Bucket: lab.bucket }));
  if (armed.publicAccessBlock)
    await s3.send(
      new s3Sdk.PutPublicAccessBlockCommand({ Bucket: lab.bucket, PublicAccessBlockConfiguration: armed.publicAccessBlock as any }),
    );
  if (!armed.lifecycle) await s3.send(new s3Sdk.DeleteBucketLifecycleCommand({ Bucket: lab.bucket }));
  for (const [roleName, want] of Object.entries(armed.roles)) await restoreRole(lab, roleName, want);
  const now = await labState(lab);
  for (const [arn, p] of Object.entries(now.policies)) {
    const want = armed.policies[arn];
    if (!want) {
      for (const v of p.versions)
        if (v !== p.defaultVersion) await iam.send(new iamSdk.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
      await iam.send(new iamSdk.DeletePolicyCommand({ PolicyArn: arn }));
      continue;
    }
    if (p.defaultVersion !== want.defaultVersion)
      await iam.send(new iamSdk.SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: want.defaultVersion }));
    for (const v of p.versions)
      if (!want.versions.includes(v)) await iam.send(new iamSdk.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
  }
  const after = await labState(lab);
  // Version IDs only grow: a restored policy has the armed default under the same ID; compare documents through the check instead.
  const comparable = (st: LabState) => ({ ...st, policies: Object.keys(st.policies).sort() });
  const [got, want] = [comparable(after), comparable(armed)];
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`restoreArmed left the lab different from its armed state:\n${JSON.stringify(got)}\n!=\n${JSON.stringify(want)}`);
}
