/**
 * CloudFormation stack policies: whether an update action on one stack
 * resource is allowed, and which statement decided it. The semantics are the
 * CloudFormation User Guide's "Prevent updates to stack resources"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html):
 *
 * - No stack policy: "all update actions are allowed on all resources".
 * - Once one is set, "any update not explicitly allowed is denied by default".
 * - "a Deny statement always overrides an Allow statement".
 * - Actions are Update:Modify, Update:Replace, Update:Delete and the wildcard
 *   Update:*; NotAction is the complement.
 * - Resources are `LogicalResourceId/<logical ID>`, wildcards allowed, or `*`;
 *   NotResource is the complement.
 * - Principal "is required, but supports only the wild card (*)".
 * - Condition names resource types with StringEquals or StringLike on the key
 *   ResourceType ("You must use the StringLike condition when you use wild cards").
 *
 * Anything else the page does not define is a StackPolicyError, never skipped:
 * a checker must not guess what a policy it cannot read would do.
 *
 * Hand-written: no library evaluates stack policies, and the IAM engine's
 * evaluator expects IAM's elements and keys; its glob matcher is reused.
 */
import { globMatch } from '../iam/wildcard';

export type StackUpdateAction = 'Update:Modify' | 'Update:Replace' | 'Update:Delete';

/** One resource change an update would make, as the change set or the release names it. */
export interface StackResourceChange {
  readonly action: StackUpdateAction;
  readonly logicalId: string;
  /** The template's resource type, e.g. AWS::Logs::LogGroup. */
  readonly resourceType: string;
}

export class StackPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackPolicyError';
  }
}

interface ParsedStackStatement {
  /** 1-based position in the policy, as a reader counts them. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notAction: boolean;
  readonly resources: readonly string[];
  readonly notResource: boolean;
  /** Each entry must hold (AND); within one, any value may match (OR). */
  readonly resourceTypeConditions: readonly { readonly operator: 'StringEquals' | 'StringLike'; readonly values: readonly string[] }[];
}

export interface ParsedStackPolicy {
  readonly statements: readonly ParsedStackStatement[];
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Principal', 'Resource', 'NotResource', 'Condition']);
const RESOURCE_PREFIX = 'LogicalResourceId/';

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string' || v === ''))
    throw new StackPolicyError(`${where} must be a string or a non-empty list of strings.`);
  return list as string[];
}

function parseStatement(raw: unknown, index: number): ParsedStackStatement {
  const where = `Statement ${index}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new StackPolicyError(`${where} is not an object.`);
  const s = raw as Record<string, unknown>;
  const unknown = Object.keys(s).filter((k) => !STATEMENT_KEYS.has(k));
  if (unknown.length) throw new StackPolicyError(`${where} has ${unknown.join(', ')}, which stack policies do not define.`);
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new StackPolicyError(`${where}: Effect must be Allow or Deny.`);
  if (s.Principal !== '*') throw new StackPolicyError(`${where}: Principal is required and stack policies support only "*".`);
  if ('Action' in s === 'NotAction' in s) throw new StackPolicyError(`${where} needs exactly one of Action and NotAction.`);
  if ('Resource' in s === 'NotResource' in s) throw new StackPolicyError(`${where} needs exactly one of Resource and NotResource.`);
  const notAction = 'NotAction' in s;
  const actions = stringList(notAction ? s.NotAction : s.Action, `${where} ${notAction ? 'NotAction' : 'Action'}`);
  for (const a of actions)
    if (!/^update:/i.test(a))
      throw new StackPolicyError(`${where}: action ${a} is not an update action (Update:Modify, Update:Replace, Update:Delete, Update:*).`);
  const notResource = 'NotResource' in s;
  const resources = stringList(notResource ? s.NotResource : s.Resource, `${where} ${notResource ? 'NotResource' : 'Resource'}`);
  for (const r of resources)
    if (r !== '*' && !r.startsWith(RESOURCE_PREFIX))
      throw new StackPolicyError(`${where}: resource ${r} is neither "*" nor ${RESOURCE_PREFIX}<logical ID>.`);
  const resourceTypeConditions: { operator: 'StringEquals' | 'StringLike'; values: string[] }[] = [];
  if (s.Condition !== undefined) {
    if (!s.Condition || typeof s.Condition !== 'object' || Array.isArray(s.Condition))
      throw new StackPolicyError(`${where}: Condition is not an object.`);
    for (const [operator, block] of Object.entries(s.Condition as Record<string, unknown>)) {
      if (operator !== 'StringEquals' && operator !== 'StringLike')
        throw new StackPolicyError(`${where}: condition operator ${operator} is not one stack policies define (StringEquals, StringLike).`);
      if (!block || typeof block !== 'object' || Array.isArray(block))
        throw new StackPolicyError(`${where}: ${operator} is not an object.`);
      for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
        // Condition keys are case-insensitive in AWS's policy languages.
        if (key.toLowerCase() !== 'resourcetype')
          throw new StackPolicyError(`${where}: condition key ${key} is not one stack policies define (ResourceType).`);
        resourceTypeConditions.push({ operator, values: stringList(values, `${where} ${operator} ResourceType`) });
      }
    }
  }
  return {
    index,
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: s.Effect,
    actions,
    notAction,
    resources,
    notResource,
    resourceTypeConditions,
  };
}

/**
 * Parses GetStackPolicy's StackPolicyBody. Undefined for a stack with no
 * policy (an empty or absent body), which allows every update.
 */
export function parseStackPolicy(body: string | undefined | null): ParsedStackPolicy | undefined {
  if (body === undefined || body === null || body.trim() === '') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new StackPolicyError('The stack policy is not a JSON document.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new StackPolicyError('The stack policy is not a JSON object.');
  const top = doc as Record<string, unknown>;
  const extra = Object.keys(top).filter((k) => k !== 'Statement' && k !== 'Version');
  if (extra.length) throw new StackPolicyError(`The stack policy has ${extra.join(', ')}, which stack policies do not define.`);
  if (top.Statement === undefined) throw new StackPolicyError('The stack policy has no Statement.');
  const raw = Array.isArray(top.Statement) ? top.Statement : [top.Statement];
  return { statements: raw.map((s, i) => parseStatement(s, i + 1)) };
}

function statementApplies(st: ParsedStackStatement, change: StackResourceChange): boolean {
  // Update actions compare without case, as IAM actions do.
  const actionListed = st.actions.some((a) => globMatch(a, change.action, true));
  if (actionListed === st.notAction) return false;
  const resource = `${RESOURCE_PREFIX}${change.logicalId}`;
  const resourceListed = st.resources.some((r) => r === '*' || globMatch(r, resource));
  if (resourceListed === st.notResource) return false;
  return st.resourceTypeConditions.every((c) =>
    c.values.some((v) => (c.operator === 'StringEquals' ? v === change.resourceType : globMatch(v, change.resourceType))),
  );
}

export interface StackPolicyDecision {
  readonly change: StackResourceChange;
  readonly allowed: boolean;
  /** no-policy: none set; allow/deny: a statement decided; default-deny: a policy is set and nothing allows. */
  readonly decidedBy: 'no-policy' | 'allow' | 'deny' | 'default-deny';
  /** The statement that decided (the first matching Deny, else the first matching Allow). */
  readonly statement?: { readonly index: number; readonly sid?: string };
  /** One factual sentence, naming the statement. */
  readonly sentence: string;
}

function statementName(st: { index: number; sid?: string }): string {
  return st.sid ? `statement ${st.index} (Sid ${st.sid})` : `statement ${st.index}`;
}

/** Whether the stack policy lets an update make this change, and which statement decided. */
export function decideStackUpdate(policy: ParsedStackPolicy | undefined, change: StackResourceChange): StackPolicyDecision {
  const what = `${change.action} on ${change.logicalId} (${change.resourceType})`;
  if (!policy) return { change, allowed: true, decidedBy: 'no-policy', sentence: `No stack policy is set, so ${what} is allowed.` };
  const applying = policy.statements.filter((st) => statementApplies(st, change));
  const deny = applying.find((st) => st.effect === 'Deny');
  if (deny) {
    const statement = { index: deny.index, sid: deny.sid };
    return { change, allowed: false, decidedBy: 'deny', statement, sentence: `The stack policy's ${statementName(deny)} denies ${what}.` };
  }
  const allow = applying.find((st) => st.effect === 'Allow');
  if (allow) {
    const statement = { index: allow.index, sid: allow.sid };
    return { change, allowed: true, decidedBy: 'allow', statement, sentence: `The stack policy's ${statementName(allow)} allows ${what}.` };
  }
  return {
    change,
    allowed: false,
    decidedBy: 'default-deny',
    sentence: `The stack policy has no statement allowing ${what}, and once a stack policy is set every update it does not allow is denied.`,
  };
}
