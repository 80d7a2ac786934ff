/**
 * The one place the learner-behaviour suite touches breakfix's own code: start
 * a moto, deploy a fresh lab, grade it, reset it, destroy it. Everything a
 * learner does to the lab goes through the `aws` CLI or the SDK, as it would
 * against a real account. A refactor of breakfix's entry points should only
 * need to change this file.
 */
import { appendFileSync } from 'node:fs';
import { ListStacksCommand, StackStatus } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
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
  /** `aws <args>` against the lab's emulator; parsed JSON output. */
  aws(args: string[]): Promise<any>;
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
    aws: (args) => awsCli(moto.endpoint, args),
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
