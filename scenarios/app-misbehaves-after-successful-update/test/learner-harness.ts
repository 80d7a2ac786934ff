/**
 * The grader's one adapter into breakfix: every call the learner-behaviour
 * suite makes into the kit goes through here, so a refactor of the kit's
 * entry points touches this file only. Learner actions themselves use the
 * SDK v3 or the `aws` CLI, as a learner would.
 */
import { CloudFormationClient, GetTemplateCommand, UpdateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parse as parseYaml } from 'yaml';
import scenario from '../index';
import { startTestMoto, TestMoto } from '../../../test/support/moto';
import { awsCli as kitAwsCli, labContext, isolateBreakfixHome } from '../../../test/support/lab';
import { deployScenario } from '../../../lib/ops/deploy';
import { checkScenario } from '../../../lib/ops/check';
import { resetScenario } from '../../../lib/ops/reset';
import { destroyScenario } from '../../../lib/ops/destroy';
import type { ScenarioContext } from '../../../lib/scenario/types';

export { scenario };
export type { TestMoto };

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export function startMoto(): Promise<TestMoto> {
  isolateBreakfixHome();
  return startTestMoto();
}

/** A lab of one variant, with the learner's SDK clients pointed at it. */
export interface GraderLab {
  readonly ctx: ScenarioContext;
  readonly endpoint: string;
  readonly stack: string;
  readonly cfn: CloudFormationClient;
  readonly lambda: LambdaClient;
  readonly ssm: SSMClient;
  readonly dynamodb: DynamoDBClient;
}

export function labFor(endpoint: string, learner: string, variant: string): GraderLab {
  const ctx = labContext(scenario, endpoint, { learner, variant });
  const cfg = ctx.clients.clientConfig() as ConstructorParameters<typeof LambdaClient>[0];
  return {
    ctx,
    endpoint,
    stack: ctx.stackName,
    cfn: ctx.clients.cloudformation,
    lambda: new LambdaClient(cfg as never),
    ssm: new SSMClient(cfg as never),
    dynamodb: ctx.clients.dynamodb,
  };
}

export async function deploy(lab: GraderLab): Promise<void> {
  await deployScenario(scenario, lab.ctx);
}

export interface Verdict {
  readonly verdict: 'fixed' | 'not-fixed';
  /** IDs of required criteria that failed or errored. */
  readonly failing: string[];
  readonly all: { id: string; status: string; kind?: string; message: string }[];
}

export async function check(lab: GraderLab): Promise<Verdict> {
  const report = await checkScenario(scenario, lab.ctx);
  const all = report.criteria.map((c: any) => ({ id: c.id, status: c.status, kind: c.kind, message: c.message }));
  return {
    verdict: report.verdict,
    failing: all.filter((c) => c.kind !== 'advice' && (c.status === 'fail' || c.status === 'error')).map((c) => c.id),
    all,
  };
}

export async function reset(lab: GraderLab): Promise<void> {
  await resetScenario(scenario, lab.ctx);
}

export async function destroy(lab: GraderLab): Promise<{ leftovers: string[]; stackGone: boolean }> {
  const r = await destroyScenario(scenario, lab.ctx);
  let stackGone = false;
  try {
    const d = await lab.cfn.send(new DescribeStacksCommand({ StackName: lab.stack }));
    stackGone = !d.Stacks?.length || d.Stacks[0].StackStatus === 'DELETE_COMPLETE';
  } catch {
    stackGone = true;
  }
  return { leftovers: r.leftovers, stackGone };
}

export function awsCli(lab: GraderLab, args: string[]): Promise<any> {
  return kitAwsCli(lab.endpoint, args);
}

/** The stack's current template as the learner downloads it. */
export async function currentTemplate(lab: GraderLab): Promise<any> {
  const t = await lab.cfn.send(new GetTemplateCommand({ StackName: lab.stack }));
  // GetTemplate may answer in YAML (moto returns the stored template that way); JSON is a subset of YAML.
  return parseYaml(t.TemplateBody ?? '{}');
}

/** An update with an edited template, as a learner would run `aws cloudformation update-stack`. */
export async function updateWithTemplate(lab: GraderLab, template: any): Promise<void> {
  const d = await lab.cfn.send(new DescribeStacksCommand({ StackName: lab.stack }));
  // Previous values only for parameters the new template still declares (CloudFormation rejects the others).
  const declared = new Set(Object.keys(template.Parameters ?? {}));
  const params = (d.Stacks?.[0].Parameters ?? [])
    .filter((p) => declared.has(p.ParameterKey!))
    .map((p) => ({ ParameterKey: p.ParameterKey, UsePreviousValue: true }));
  await lab.cfn.send(
    new UpdateStackCommand({
      StackName: lab.stack,
      TemplateBody: JSON.stringify(template),
      Parameters: params,
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  for (let i = 0; i < 300; i++) {
    const s = await lab.cfn.send(new DescribeStacksCommand({ StackName: lab.stack }));
    const status = s.Stacks?.[0].StackStatus ?? '';
    if (!status.endsWith('IN_PROGRESS')) {
      if (status !== 'UPDATE_COMPLETE') throw new Error(`update of ${lab.stack} ended ${status}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`update of ${lab.stack} did not finish`);
}
