/**
 * Whether the orders API can run and make its own calls, decided by the IAM engine the way AWS decides them:
 * Lambda assumes the execution role as lambda.amazonaws.com under the role's trust policy, and the function's
 * requests carry the session Lambda names after the function, with every global key the request-context
 * builder (lib/engines/request-context) states. A request counts the role's identity policies, its
 * permissions boundary, the SCPs and, for the table, the table's resource policy.
 */
import {
  canAssumeRole,
  describeDecision,
  describeStatement,
  evaluate,
  type AssumeRoleAnswer,
  type EvaluationResult,
} from '../../lib/engines/iam';
import { buildServiceCallContext, workloadRequest } from '../../lib/engines/request-context';
import type { FunctionRuntime, ParameterTarget } from './gather';

/** The service that assumes a function's execution role. */
export const LAMBDA = 'lambda.amazonaws.com';

/**
 * DynamoDB keys the function's writes do not carry (Service Authorization Reference, Amazon DynamoDB, condition
 * keys): no ReturnValues or ReturnConsumedCapacity parameter, not part of a transaction or PartiQL statement,
 * not a scan or query. dynamodb:LeadingKeys and dynamodb:Attributes stay unknown: the order ID comes from the caller.
 */
const DYNAMODB_KEYS_NOT_SENT = [
  'dynamodb:ReturnValues',
  'dynamodb:ReturnConsumedCapacity',
  'dynamodb:EnclosingOperation',
  'dynamodb:FullTableScan',
  'dynamodb:Select',
];

/** The table writes assets/orders-api.js makes: PutItem for a new order, UpdateItem when checkout is paid. */
export const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

/**
 * Whether Lambda can assume the execution role for the function. Lambda calls sts:AssumeRole as
 * lambda.amazonaws.com on behalf of the function, with aws:SourceAccount (its account) and aws:SourceArn (the
 * function's ARN): the keys AWS recommends trust policies test against the confused deputy.
 */
export function lambdaTrust(r: FunctionRuntime): AssumeRoleAnswer | undefined {
  if (!r.role?.trustPolicy) return undefined;
  return canAssumeRole({
    roleArn: r.roleArn,
    trustPolicy: r.role.trustPolicy,
    caller: LAMBDA,
    context: buildServiceCallContext({ service: LAMBDA, region: r.region, sourceAccount: r.account, sourceArn: r.functionArn }),
  });
}

/** One of the function's own requests, as the session of its execution role makes it. */
export function decideFunctionRequest(
  r: FunctionRuntime,
  action: string,
  resourceArn: string,
  resource: { tags?: Record<string, string>; tagKeys?: string[]; notSent?: readonly string[] } = {},
): EvaluationResult {
  const role = r.role!;
  const onTable = resourceArn === r.tableArn;
  const request = workloadRequest({
    caller: {
      roleArn: role.roleArn,
      // Lambda names the execution role's session after the function.
      sessionName: r.functionArn.split(':')[6] ?? r.functionArn,
      origin: { by: 'service', service: LAMBDA },
      roleId: role.roleId,
      roleTags: role.tags,
      principalOrgId: r.scps && r.scps.length === 0 ? null : undefined,
    },
    request: {
      action,
      resourceArn,
      region: r.region,
      resourceTags: resource.tags,
      serviceResourceTagKeys: resource.tagKeys,
      serviceKeysNotSent: resource.notSent,
    },
    // Outside a VPC the function's calls leave from Lambda's own network: the internet, address unknown.
    network: r.inVpc ? { via: 'unknown' } : { via: 'internet' },
  });
  return evaluate(request, {
    identity: role.identity,
    permissionsBoundary: role.permissionsBoundary,
    scps: r.scps?.length ? r.scps : undefined,
    resource: onTable ? r.tablePolicy : undefined,
  });
}

/** ssm:GetParameter on one parameter the function reads. */
export function decideParameterRead(r: FunctionRuntime, p: ParameterTarget): EvaluationResult {
  return decideFunctionRequest(r, 'ssm:GetParameter', p.arn, { tags: p.tags, tagKeys: ['ssm:resourceTag'] });
}

/** One of the function's writes to the orders table. */
export function decideTableWrite(r: FunctionRuntime, action: (typeof TABLE_WRITES)[number]): EvaluationResult {
  return decideFunctionRequest(r, action, r.tableArn, { tags: r.tableTags, notSent: DYNAMODB_KEYS_NOT_SENT });
}

/** "identity-based policy X statement Y" for the first statement that decided. */
export function decidedBy(result: EvaluationResult): string {
  const first = result.decidingStatements[0];
  return first ? describeStatement(first) : describeDecision(result);
}

/** " Not counted: ..." when the SCPs could not be read, so a pass says what it rests on. */
export function scpCaveat(r: FunctionRuntime): string {
  return r.scps ? '' : ` Not counted: ${r.scpNote ?? 'service control policies'}.`;
}

export { describeDecision };
