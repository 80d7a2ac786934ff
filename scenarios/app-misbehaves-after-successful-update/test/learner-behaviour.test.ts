/**
 * Learner behaviour, written by an outside grader from the brief (README.md),
 * issue 14's remedies and shortcuts, issue 17's classes of wrong verdicts and
 * AWS's documentation, without reading the checker. One moto, one lab per
 * variant deployed once; each case is undone to the armed state and the
 * checker must say not-fixed again before the next case.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  DeleteItemCommand,
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DetectStackDriftCommand } from '@aws-sdk/client-cloudformation';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  ACCOUNT,
  REGION,
  GraderLab,
  TestMoto,
  awsCli,
  check,
  currentTemplate,
  deploy,
  destroy,
  labFor,
  reset,
  startMoto,
  updateWithTemplate,
} from './learner-harness';

// A case runs a check, a stack update or two and an undo on a busy machine.
jest.setTimeout(5 * 60_000);

interface Armed {
  template: any;
  writeMode: string;
  clientTimeout: string;
  timeout: number;
  memory: number;
  env: Record<string, string>;
  trust: string;
  items: Record<string, any>[];
}

const names = (lab: GraderLab) => ({
  fn: `${lab.stack}-orders-api`,
  writeMode: `/${lab.stack}/orders/write-mode`,
  clientTimeout: `/${lab.stack}/payments/client-timeout-ms`,
  table: `${lab.stack}-orders`,
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const ofType = (tpl: any, type: string): any => Object.values(tpl.Resources).find((r: any) => r.Type === type) as any;
const fnProps = (tpl: any) => tpl.Resources.OrdersApiFunction.Properties;
const policyDoc = (tpl: any) => ofType(tpl, 'AWS::IAM::Policy').Properties.PolicyDocument;
const roleProps = (tpl: any) => ofType(tpl, 'AWS::IAM::Role').Properties;

async function putParam(lab: GraderLab, name: string, value: string): Promise<void> {
  await lab.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
}
async function paramValue(lab: GraderLab, name: string): Promise<string | undefined> {
  try {
    return (await lab.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch {
    return undefined;
  }
}

async function snapshot(lab: GraderLab): Promise<Armed> {
  const n = names(lab);
  const fn = await lab.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: n.fn }));
  const role = await lab.ctx.clients.iam.send(new GetRoleCommand({ RoleName: fn.Role!.split('/').pop()! }));
  const items = await lab.dynamodb.send(new ScanCommand({ TableName: n.table }));
  return {
    template: await currentTemplate(lab),
    writeMode: (await paramValue(lab, n.writeMode))!,
    clientTimeout: (await paramValue(lab, n.clientTimeout))!,
    timeout: fn.Timeout!,
    memory: fn.MemorySize!,
    env: { ...(fn.Environment?.Variables ?? {}) },
    trust: decodeURIComponent(role.Role!.AssumeRolePolicyDocument!),
    items: items.Items ?? [],
  };
}

/** Undoes any learner change: the armed template, then the armed live values the incident left. */
async function restore(lab: GraderLab, armed: Armed): Promise<void> {
  const n = names(lab);
  const now = await currentTemplate(lab);
  if (JSON.stringify(now) !== JSON.stringify(armed.template)) await updateWithTemplate(lab, armed.template);
  const fn = await lab.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: n.fn }));
  const roleName = fn.Role!.split('/').pop()!;
  await lab.ctx.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: armed.trust }));
  await lab.ctx.clients.iam.send(new UntagRoleCommand({ RoleName: roleName, TagKeys: ['app'] }));
  await lab.dynamodb
    .send(new DeleteResourcePolicyCommand({ ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${n.table}` }))
    .catch(() => undefined);
  await lab.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: n.fn })).catch(() => undefined);
  await lab.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: n.fn,
      Timeout: armed.timeout,
      MemorySize: armed.memory,
      Environment: { Variables: armed.env },
    }),
  );
  if ((await paramValue(lab, n.writeMode)) !== armed.writeMode) await putParam(lab, n.writeMode, armed.writeMode);
  if ((await paramValue(lab, n.clientTimeout)) !== armed.clientTimeout) await putParam(lab, n.clientTimeout, armed.clientTimeout);
  await lab.ssm.send(new DeleteParameterCommand({ Name: `/${lab.stack}/orders/write-mode-v2` })).catch(() => undefined);
  for (const item of armed.items) await lab.dynamodb.send(new PutItemCommand({ TableName: n.table, Item: item }));
}

interface Case {
  /** Short name. */
  readonly name: string;
  /** Why it is valid or invalid: the brief's goal or the AWS doc page. */
  readonly why: string;
  readonly expected: 'fixed' | 'not-fixed';
  /** For shortcuts: criterion IDs expected among the failing ones; empty = any failing required criterion (the fact may be unchecked). */
  readonly criteria?: string[];
  apply(lab: GraderLab, armed: Armed): Promise<void>;
}

const DOCS = {
  drift: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html',
  resolveDrift: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-resolve-drift.html',
  updateBehaviour: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html',
  putParameter: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html',
  getParameter: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html',
  lambdaTimeout: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html',
  concurrency: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
  executionRole: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  globalKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  intrinsic: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html',
  ddbPolicy: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html',
};
void DOCS;

// ---- template edits a learner would make -------------------------------------------------------

function withParamValue(tpl: any, logical: string, value: unknown): any {
  const t = clone(tpl);
  t.Resources[logical].Properties.Value = value;
  return t;
}

/** Adds the role tag and makes the SSM read statements conditional on it: AWS sets aws:PrincipalTag from the role's tags. */
function withPrincipalTagCondition(tpl: any): any {
  const t = clone(tpl);
  roleProps(t).Tags = [...(roleProps(t).Tags ?? []), { Key: 'app', Value: 'orders' }];
  for (const s of policyDoc(t).Statement) {
    const actions = ([] as string[]).concat(s.Action);
    if (actions.some((a: string) => a.startsWith('ssm:'))) s.Condition = { StringEquals: { 'aws:PrincipalTag/app': 'orders' } };
  }
  return t;
}

/** Conditions every statement on keys a Lambda function's own requests always carry. */
/**
 * The tag remedy as live state: the template carries the tag and the condition;
 * moto's CloudFormation does not write a role's Tags on update (AWS does), so
 * the same tag is also put on the role, as CloudFormation would have.
 */
async function applyPrincipalTagRemedy(lab: GraderLab, tpl: any): Promise<void> {
  await updateWithTemplate(lab, withPrincipalTagCondition(tpl));
  const fn = await lab.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: names(lab).fn }));
  await lab.ctx.clients.iam.send(new TagRoleCommand({ RoleName: fn.Role!.split('/').pop()!, Tags: [{ Key: 'app', Value: 'orders' }] }));
}

function withRegionAndAccountConditions(tpl: any): any {
  const t = clone(tpl);
  for (const s of policyDoc(t).Statement) {
    s.Condition = { StringEquals: { 'aws:RequestedRegion': REGION, 'aws:PrincipalAccount': ACCOUNT } };
  }
  return t;
}

function withoutSsmReadOf(tpl: any, logical: string): any {
  const t = clone(tpl);
  const doc = policyDoc(t);
  doc.Statement = doc.Statement.filter((s: any) => !JSON.stringify(s.Resource ?? '').includes(`"${logical}"`));
  return t;
}

function withTrustPrincipal(tpl: any, service: string): any {
  const t = clone(tpl);
  roleProps(t).AssumeRolePolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
  return t;
}

/** The working settings codified: the client waits longer than the provider's p99, the function outlasts the wait. */
function codified(tpl: any, clientTimeoutMs: unknown, fnTimeout: unknown): any {
  const t = withParamValue(tpl, 'PaymentClientTimeoutParameter', clientTimeoutMs);
  fnProps(t).Timeout = fnTimeout;
  return t;
}

async function cliUpdateStack(lab: GraderLab, template: any): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'grader-tpl-'));
  const file = join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(template));
  await awsCli(lab, [
    'cloudformation',
    'update-stack',
    '--stack-name',
    lab.stack,
    '--template-body',
    `file://${file}`,
    '--capabilities',
    'CAPABILITY_IAM',
  ]);
  await awsCli(lab, ['cloudformation', 'wait', 'stack-update-complete', '--stack-name', lab.stack]);
}

async function deleteFirstOrder(lab: GraderLab, armed: Armed): Promise<void> {
  await lab.dynamodb.send(new DeleteItemCommand({ TableName: names(lab).table, Key: { orderId: armed.items[0].orderId } }));
}

async function denyTableWrites(lab: GraderLab): Promise<void> {
  const fn = await lab.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: names(lab).fn }));
  const tableArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${names(lab).table}`;
  await awsCli(lab, [
    'dynamodb',
    'put-resource-policy',
    '--resource-arn',
    tableArn,
    '--policy',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: { AWS: fn.Role }, Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: tableArn }],
    }),
  ]);
}

// ---- proofs that an action really reached moto's live state ----------------------------------

async function roleName(lab: GraderLab): Promise<string> {
  const fn = await lab.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: names(lab).fn }));
  return fn.Role!.split('/').pop()!;
}
async function expectConcurrencyZero(lab: GraderLab): Promise<void> {
  const c = await lab.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: names(lab).fn }));
  expect(c.ReservedConcurrentExecutions).toBe(0);
}
async function expectTrusts(lab: GraderLab, service: string): Promise<void> {
  const r = await lab.ctx.clients.iam.send(new GetRoleCommand({ RoleName: await roleName(lab) }));
  const doc = decodeURIComponent(r.Role!.AssumeRolePolicyDocument!);
  expect(doc).toContain(service);
  expect(doc).not.toContain('lambda.amazonaws.com');
}
async function expectNoInlineGrantOn(lab: GraderLab, parameterName: string): Promise<void> {
  const role = await roleName(lab);
  const names_ = (await lab.ctx.clients.iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames ?? [];
  expect(names_.length).toBeGreaterThan(0);
  for (const pn of names_) {
    const doc = decodeURIComponent(
      (await lab.ctx.clients.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: pn }))).PolicyDocument!,
    );
    expect(doc).not.toContain(parameterName);
  }
}
async function expectTablePolicy(lab: GraderLab): Promise<void> {
  const p = await lab.dynamodb.send(
    new GetResourcePolicyCommand({ ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${names(lab).table}` }),
  );
  expect(p.Policy).toContain('Deny');
}

// ---- orders-refused: the incident's write-mode change must be reverted --------------------------

const revertWriteMode = async (lab: GraderLab, armed: Armed) =>
  putParam(lab, names(lab).writeMode, armed.template.Resources.OrdersWriteModeParameter.Properties.Value);

const ORDERS_REFUSED: Case[] = [
  {
    name: 'V1 revert write-mode to the template value with the aws CLI',
    why: 'brief: new orders accepted, template and live agree; PutParameter with Overwrite updates the value in place (API_PutParameter)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      await awsCli(lab, [
        'ssm',
        'put-parameter',
        '--name',
        names(lab).writeMode,
        '--type',
        'String',
        '--overwrite',
        '--value',
        armed.template.Resources.OrdersWriteModeParameter.Properties.Value,
      ]);
    },
  },
  {
    name: 'V2 detect drift first, then revert with the SDK',
    why: 'issue 14: detect, then revert the resource to the template (using-cfn-stack-drift)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      await lab.cfn.send(new DetectStackDriftCommand({ StackName: lab.stack }));
      await revertWriteMode(lab, armed);
    },
  },
  {
    name: 'V3 stack update that touches the parameter (new Description) rewrites the template value',
    why: 'CloudFormation updates a resource whose properties changed and writes its template Value (using-cfn-updating-stacks-update-behaviors: Description is no-interruption)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      const t = clone(armed.template);
      t.Resources.OrdersWriteModeParameter.Properties.Description = 'Orders API write mode (read-write accepts new orders)';
      await updateWithTemplate(lab, t);
    },
  },
  {
    name: 'V4 revert, and the function reads the parameter by ARN instead of name (edited template)',
    why: 'class 5: GetParameter takes the name or the ARN of the parameter (API_GetParameter); the env var change is codified',
    expected: 'fixed',
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      const t = clone(armed.template);
      fnProps(t).Environment.Variables.WRITE_MODE_PARAMETER = {
        'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${OrdersWriteModeParameter}',
      };
      await updateWithTemplate(lab, t);
    },
  },
  {
    name: 'V5 revert, and SSM reads made conditional on a role tag put on the role (template)',
    why: 'class 1: aws:PrincipalTag/app is set from the role tags for the function session (reference_policies_condition-keys)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await applyPrincipalTagRemedy(lab, armed.template);
    },
  },
  {
    name: 'V6 revert, and every role statement conditioned on aws:RequestedRegion and aws:PrincipalAccount (template)',
    why: 'class 1: the function calls us-east-1 from its own account, so both keys always match (reference_policies_condition-keys)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await updateWithTemplate(lab, withRegionAndAccountConditions(armed.template));
    },
  },
  {
    name: 'V7 revert, and SSM reads conditioned on aws:userid = <RoleId>:* (template)',
    why: 'class 1: a role session request carries aws:userid <RoleId>:<session> (reference_policies_condition-keys, aws:userid)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      const t = clone(armed.template);
      const roleLogical = Object.keys(t.Resources).find((k) => t.Resources[k].Type === 'AWS::IAM::Role')!;
      for (const st of policyDoc(t).Statement) {
        st.Condition = { StringLike: { 'aws:userid': { 'Fn::Join': ['', [{ 'Fn::GetAtt': [roleLogical, 'RoleId'] }, ':*']] } } };
      }
      await updateWithTemplate(lab, t);
    },
  },
  {
    name: 'V8 revert, and every role statement requires aws:SecureTransport (template)',
    why: 'class 1: the SDK in Lambda calls SSM and DynamoDB over HTTPS, so aws:SecureTransport is true (reference_policies_condition-keys)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      const t = clone(armed.template);
      for (const st of policyDoc(t).Statement) st.Condition = { Bool: { 'aws:SecureTransport': 'true' } };
      await updateWithTemplate(lab, t);
    },
  },
  {
    name: 'S1 detect drift only',
    why: 'issue 14 shortcut: detecting drift without fixing it leaves orders refused',
    expected: 'not-fixed',
    criteria: ['orders-api-accepts-writes', 'resources-match-template'],
    apply: async (lab) => {
      await awsCli(lab, ['cloudformation', 'detect-stack-drift', '--stack-name', lab.stack]);
    },
  },
  {
    name: 'S2 codify the broken write mode into the template',
    why: 'issue 14 shortcut: in sync, yet new orders are still refused',
    expected: 'not-fixed',
    criteria: ['orders-api-accepts-writes'],
    apply: async (lab, armed) => {
      await updateWithTemplate(lab, withParamValue(armed.template, 'OrdersWriteModeParameter', armed.writeMode));
    },
  },
  {
    name: 'S3 point the function at a new parameter out of band (drift left in place)',
    why: 'issue 14 shortcut: fixing the app by another path leaves the function and parameter differing from the template',
    expected: 'not-fixed',
    criteria: ['resources-match-template'],
    apply: async (lab, armed) => {
      const v2 = `/${lab.stack}/orders/write-mode-v2`;
      await putParam(lab, v2, armed.template.Resources.OrdersWriteModeParameter.Properties.Value);
      await lab.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: names(lab).fn,
          Environment: { Variables: { ...armed.env, WRITE_MODE_PARAMETER: v2 } },
        }),
      );
    },
  },
  {
    name: 'S4 revert with the wrong case (READ-WRITE)',
    why: 'brief: the template says read-write; SSM values are case-sensitive strings, so the live value still differs',
    expected: 'not-fixed',
    criteria: ['resources-match-template'],
    apply: async (lab, armed) => {
      const v = String(armed.template.Resources.OrdersWriteModeParameter.Properties.Value).toUpperCase();
      await putParam(lab, names(lab).writeMode, v);
    },
  },
  {
    name: 'S5 revert, but an order is deleted',
    why: 'brief: lose no order',
    expected: 'not-fixed',
    criteria: ['orders-table-keeps-its-orders'],
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await deleteFirstOrder(lab, armed);
    },
  },
  {
    name: 'S6 revert, but the function memory is changed out of band',
    why: 'brief: template and what runs must agree; MemorySize is in the template (using-cfn-stack-drift)',
    expected: 'not-fixed',
    criteria: ['resources-match-template'],
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await lab.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: names(lab).fn, MemorySize: armed.memory * 2 }));
    },
  },
  {
    name: 'S7 revert, but reserved concurrency 0 (every invocation throttled)',
    why: 'brief: the API works; reserved concurrency 0 stops the function from running (configuration-concurrency); unchecked fact possible, any criterion',
    expected: 'not-fixed',
    criteria: [],
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await lab.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: names(lab).fn, ReservedConcurrentExecutions: 0 }));
      await expectConcurrencyZero(lab);
    },
  },
  {
    name: 'S8 revert, but the role trusts ecs-tasks instead of lambda (template)',
    why: 'class 3: Lambda must be able to assume the execution role (lambda-intro-execution-role); in sync, yet the function cannot run',
    expected: 'not-fixed',
    criteria: [],
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await updateWithTemplate(lab, withTrustPrincipal(armed.template, 'ecs-tasks.amazonaws.com'));
      await expectTrusts(lab, 'ecs-tasks.amazonaws.com');
    },
  },
  {
    name: 'S9 revert, but the role may no longer read the write-mode parameter (template)',
    why: 'class 1/4: the function reads the parameter on every request (brief); without ssm:GetParameter it cannot decide to accept orders',
    expected: 'not-fixed',
    criteria: [],
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await updateWithTemplate(lab, withoutSsmReadOf(armed.template, 'OrdersWriteModeParameter'));
      await expectNoInlineGrantOn(lab, names(lab).writeMode);
    },
  },
  {
    name: 'S10 revert, but a table resource policy denies the function PutItem',
    why: 'class 2: same account, an explicit Deny in a resource policy wins (access-control-resource-based); new orders still fail',
    expected: 'not-fixed',
    criteria: [],
    apply: async (lab, armed) => {
      await revertWriteMode(lab, armed);
      await denyTableWrites(lab);
      await expectTablePolicy(lab);
    },
  },
];

// ---- checkout-times-out: the incident's timeout change was right and must be codified ----------

const CHECKOUT_TIMES_OUT: Case[] = [
  {
    name: 'V1 codify 12000 ms and a 15 s function timeout (SDK update-stack)',
    why: 'issue 14: the console change is right and goes into the template; 12000 ms > p99 8000 ms, 15 s > 12 s (configuration-timeout)',
    expected: 'fixed',
    apply: async (lab, armed) => updateWithTemplate(lab, codified(armed.template, armed.clientTimeout, 15)),
  },
  {
    name: 'V2 codify with the aws CLI update-stack --template-body',
    why: 'same fix with the CLI a learner uses',
    expected: 'fixed',
    apply: async (lab, armed) => cliUpdateStack(lab, codified(armed.template, armed.clientTimeout, 20)),
  },
  {
    name: 'V3 codify other working values (10000 ms, 11 s)',
    why: 'brief: any client timeout covering the p99 with the function outlasting it works; CloudFormation writes the new value',
    expected: 'fixed',
    apply: async (lab, armed) => updateWithTemplate(lab, codified(armed.template, '10000', 11)),
  },
  {
    name: 'V5 values through Fn::Sub and Fn::FindInMap',
    why: 'class 5: intrinsic functions resolve before CloudFormation applies them (intrinsic-function-reference)',
    expected: 'fixed',
    apply: async (lab, armed) => {
      const t = codified(armed.template, { 'Fn::Sub': '12000' }, { 'Fn::FindInMap': ['Tuning', 'Api', 'TimeoutSeconds'] });
      t.Mappings = { ...(t.Mappings ?? {}), Tuning: { Api: { TimeoutSeconds: 15 } } };
      await updateWithTemplate(lab, t);
    },
  },
  {
    name: 'V6 codify with the maximum function timeout (900 s)',
    why: 'configuration-timeout: up to 900 s is allowed; the function outlasts the wait',
    expected: 'fixed',
    apply: async (lab, armed) => updateWithTemplate(lab, codified(armed.template, armed.clientTimeout, 900)),
  },
  {
    name: 'V7 codify, with SSM reads conditioned on a role tag put on the role',
    why: 'class 1: aws:PrincipalTag/app comes from the role tags (reference_policies_condition-keys)',
    expected: 'fixed',
    apply: async (lab, armed) => applyPrincipalTagRemedy(lab, codified(armed.template, armed.clientTimeout, 15)),
  },
  {
    name: 'S1 detect drift only',
    why: 'issue 14 shortcut: detection without a fix',
    expected: 'not-fixed',
    criteria: ['resources-match-template', 'function-outlasts-payment-call'],
    apply: async (lab) => {
      await awsCli(lab, ['cloudformation', 'detect-stack-drift', '--stack-name', lab.stack]);
    },
  },
  {
    name: 'S2 raise the function timeout out of band only',
    why: 'issue 14 shortcut: app works by another path, drift stays (the parameter still differs, and now the timeout too)',
    expected: 'not-fixed',
    criteria: ['resources-match-template'],
    apply: async (lab) => {
      await awsCli(lab, ['lambda', 'update-function-configuration', '--function-name', names(lab).fn, '--timeout', '15']);
    },
  },
  {
    name: 'S3 codify only the client timeout (function timeout stays 5 s)',
    why: 'brief: Lambda stops the function at its own timeout, before a 12 s wait ends (configuration-timeout)',
    expected: 'not-fixed',
    criteria: ['function-outlasts-payment-call'],
    apply: async (lab, armed) =>
      updateWithTemplate(lab, withParamValue(armed.template, 'PaymentClientTimeoutParameter', armed.clientTimeout)),
  },
  {
    name: 'S4 codify a client timeout below the provider p99 (5000 ms, 15 s)',
    why: 'brief: checkout must succeed at the provider slowest time (8000 ms)',
    expected: 'not-fixed',
    criteria: ['payment-client-waits-for-provider'],
    apply: async (lab, armed) => updateWithTemplate(lab, codified(armed.template, '5000', 15)),
  },
  {
    name: 'S5 codify a function timeout equal to the client wait (12000 ms, 12 s)',
    why: 'brief: the function must always get to answer; killed at the same moment the wait ends it cannot',
    expected: 'not-fixed',
    criteria: ['function-outlasts-payment-call'],
    apply: async (lab, armed) => updateWithTemplate(lab, codified(armed.template, '12000', 12)),
  },
  {
    name: 'S6 lower PAYMENT_PROVIDER_LATENCY_MS to fit the template timeouts',
    why: 'brief: the provider latency is a fact of the outside world, not something to change; the real p99 is 8000 ms',
    expected: 'not-fixed',
    criteria: ['payment-client-waits-for-provider'],
    apply: async (lab, armed) => {
      const t = clone(armed.template);
      fnProps(t).Environment.Variables.PAYMENT_PROVIDER_LATENCY_MS = '1000';
      await updateWithTemplate(lab, t);
      // The template's client timeout, now in sync, is below the real p99.
      await putParam(lab, names(lab).clientTimeout, t.Resources.PaymentClientTimeoutParameter.Properties.Value);
    },
  },
  {
    name: 'S7 codify, but memory changed out of band',
    why: 'brief: template and what runs must agree',
    expected: 'not-fixed',
    criteria: ['resources-match-template'],
    apply: async (lab, armed) => {
      await updateWithTemplate(lab, codified(armed.template, armed.clientTimeout, 15));
      await lab.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: names(lab).fn, MemorySize: armed.memory * 2 }));
    },
  },
  {
    name: 'S8 codify, but an order is deleted',
    why: 'brief: lose no order',
    expected: 'not-fixed',
    criteria: ['orders-table-keeps-its-orders'],
    apply: async (lab, armed) => {
      await updateWithTemplate(lab, codified(armed.template, armed.clientTimeout, 15));
      await deleteFirstOrder(lab, armed);
    },
  },
  {
    name: 'S9 codify, but reserved concurrency 0',
    why: 'configuration-concurrency: 0 throttles every invocation; the API does not work (unchecked fact possible)',
    expected: 'not-fixed',
    criteria: [],
    apply: async (lab, armed) => {
      await updateWithTemplate(lab, codified(armed.template, armed.clientTimeout, 15));
      await lab.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: names(lab).fn, ReservedConcurrentExecutions: 0 }));
      await expectConcurrencyZero(lab);
    },
  },
  {
    name: 'S10 codify, but the role trusts ecs-tasks instead of lambda',
    why: 'class 3: Lambda cannot assume the execution role (lambda-intro-execution-role)',
    expected: 'not-fixed',
    criteria: [],
    apply: async (lab, armed) => {
      await updateWithTemplate(lab, withTrustPrincipal(codified(armed.template, armed.clientTimeout, 15), 'ecs-tasks.amazonaws.com'));
      await expectTrusts(lab, 'ecs-tasks.amazonaws.com');
    },
  },
  {
    name: 'S11 codify, but the role may no longer read the client-timeout parameter',
    why: 'class 1/4: the function reads it on every request (brief); without ssm:GetParameter checkout cannot proceed',
    expected: 'not-fixed',
    criteria: [],
    apply: async (lab, armed) => {
      await updateWithTemplate(lab, withoutSsmReadOf(codified(armed.template, armed.clientTimeout, 15), 'PaymentClientTimeoutParameter'));
      await expectNoInlineGrantOn(lab, names(lab).clientTimeout);
    },
  },
];

const VARIANTS: { variant: string; learner: string; cases: Case[]; valid: Case; messy: Case[] }[] = [
  {
    variant: 'orders-refused',
    learner: 'gro',
    cases: ORDERS_REFUSED,
    valid: ORDERS_REFUSED[0],
    messy: [ORDERS_REFUSED[9], ORDERS_REFUSED[10], ORDERS_REFUSED[12], ORDERS_REFUSED[14]],
  },
  {
    variant: 'checkout-times-out',
    learner: 'grc',
    cases: CHECKOUT_TIMES_OUT,
    valid: CHECKOUT_TIMES_OUT[0],
    messy: [CHECKOUT_TIMES_OUT[7], CHECKOUT_TIMES_OUT[8], CHECKOUT_TIMES_OUT[13], CHECKOUT_TIMES_OUT[14]],
  },
];

let moto: TestMoto;
const labs = new Map<string, { lab: GraderLab; armed: Armed }>();

beforeAll(async () => {
  moto = await startMoto();
  // Deployed one after the other: concurrent CDK deploys in one process reach the wrong endpoint.
  for (const v of VARIANTS) {
    const lab = labFor(moto.endpoint, v.learner, v.variant);
    await deploy(lab);
    labs.set(v.variant, { lab, armed: await snapshot(lab) });
  }
}, 10 * 60_000);

afterAll(async () => {
  await moto?.stop();
});

describe.each(VARIANTS)('$variant', ({ variant, cases, valid, messy }) => {
  const get = () => labs.get(variant)!;

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { lab, armed } = get();
    expect((await check(lab)).verdict).toBe('not-fixed'); // armed before the case
    try {
      await c.apply(lab, armed);
      const v = await check(lab);
      if (c.expected === 'fixed') {
        expect({ verdict: v.verdict, failing: v.failing }).toEqual({ verdict: 'fixed', failing: [] });
      } else {
        expect(v.verdict).toBe('not-fixed');
        if (c.criteria?.length) expect(v.failing).toEqual(expect.arrayContaining(c.criteria));
      }
    } finally {
      await restore(lab, armed);
    }
    expect((await check(lab)).verdict).toBe('not-fixed'); // armed again after the undo
  });

  test('reset re-arms after a valid remedy', async () => {
    const { lab, armed } = get();
    await valid.apply(lab, armed);
    expect((await check(lab)).verdict).toBe('fixed');
    await reset(lab);
    expect((await check(lab)).verdict).toBe('not-fixed');
  });

  test('reset re-arms after a messy shortcut, then destroy leaves nothing', async () => {
    const { lab, armed } = get();
    for (const m of messy) await m.apply(lab, armed);
    // A parameter of the learner's own under /<lab>/, which destroy removes too (brief).
    await putParam(lab, `/${lab.stack}/orders/write-mode-v2`, 'read-write');
    expect((await check(lab)).verdict).toBe('not-fixed');
    await reset(lab);
    const after = await check(lab);
    expect(after.verdict).toBe('not-fixed');
    // The reset lab is the armed lab again: it holds every order and keeps the incident's state.
    expect(after.failing).not.toContain('orders-table-keeps-its-orders');
    const gone = await destroy(lab);
    expect(gone).toEqual({ leftovers: [], stackGone: true });
    expect(await paramValue(lab, `/${lab.stack}/orders/write-mode-v2`)).toBeUndefined();
    expect(await paramValue(lab, names(lab).writeMode)).toBeUndefined();
    const tables = await awsCli(lab, ['dynamodb', 'list-tables']);
    expect(tables.TableNames ?? []).not.toContain(names(lab).table);
  });
});
