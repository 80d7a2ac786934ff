/** Small builders that keep the cases close to the policies the documentation prints. */
import type { CasePolicy, CaseRequest, ContextValue, OrgLevel, PolicyJson } from './case';

/** The account most cases run in, and a second, separate account. */
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

export const userArn = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:user/${name}`;
export const roleArn = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
export const sessionArn = (role: string, session: string, account = ACCOUNT) => `arn:aws:sts::${account}:assumed-role/${role}/${session}`;
export const federatedUserArn = (name: string, account = ACCOUNT) => `arn:aws:sts::${account}:federated-user/${name}`;
export const rootArn = (account = ACCOUNT) => `arn:aws:iam::${account}:root`;

export type Statement = Record<string, unknown>;

export function statement(
  effect: 'Allow' | 'Deny',
  action: string | string[],
  resource: string | string[],
  rest: Statement = {},
): Statement {
  return { Effect: effect, Action: action, Resource: resource, ...rest };
}
export const allow = (action: string | string[], resource: string | string[], rest: Statement = {}) =>
  statement('Allow', action, resource, rest);
export const deny = (action: string | string[], resource: string | string[], rest: Statement = {}) =>
  statement('Deny', action, resource, rest);

/** A policy document in the current policy language version. */
export function document(...statements: Statement[]): PolicyJson {
  return { Version: '2012-10-17', Statement: statements };
}

export function policy(name: string, ...statements: Statement[]): CasePolicy {
  return { name, document: document(...statements) };
}

/** A policy whose document is given whole, for the few cases about the document's own shape. */
export function rawPolicy(name: string, json: PolicyJson): CasePolicy {
  return { name, document: json };
}

/** AWS's FullAWSAccess SCP (and the shape of RCPFullAWSAccess). */
export const fullAccess = (name = 'FullAWSAccess') => policy(name, allow('*', '*'));

export const level = (target: string, ...policies: CasePolicy[]): OrgLevel => ({ target, policies });

/** Root, OU and account levels that each carry FullAWSAccess, with extra policies per level. */
export function orgPath(account: string, extra: { root?: CasePolicy[]; ou?: CasePolicy[]; account?: CasePolicy[] } = {}): OrgLevel[] {
  return [
    level('r-abcd', fullAccess(), ...(extra.root ?? [])),
    level('ou-abcd-11111111', fullAccess(), ...(extra.ou ?? [])),
    level(account, fullAccess(), ...(extra.account ?? [])),
  ];
}

export type Context = Record<string, ContextValue>;

/** A request whose context lists every key AWS would have that the case's policies name; keys not listed are absent. */
export function complete(principal: string, action: string, resource: string, resourceAccount: string, context: Context = {}): CaseRequest {
  return { principal, action, resource, resourceAccount, context, contextComplete: true };
}
