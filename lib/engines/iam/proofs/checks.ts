/**
 * Least-privilege proofs in the spirit of IAM Access Analyzer's custom policy checks:
 * - checkAccessNotGranted: can any request in a forbidden region (actions x resources, under the
 *   workload's context) be Allowed for this principal?
 * - checkNoNewAccess: does a candidate policy set allow any request that a reference set does not?
 *
 * Both decide over the statements' own patterns (glob languages intersected and complemented exactly,
 * never sampled) and conditions (satisfiable for some value of a free key counts). A Deny removes only
 * what it provably covers. Every "granted" answer names the statements and a witness request, replayed
 * through `evaluate`; "not granted" is a proof, under the assumptions the result lists.
 */
import { classifyPrincipal, type PrincipalInfo } from '../arn';
import { loadPolicy } from '../document';
import { IamPolicyError } from '../errors';
import { evaluate } from '../evaluate';
import type { IamRequest, NamedPolicy, PolicySet, RequestContext, ScpLevel, StatedContext, StatementRef } from '../types';
import { Constraints, satisfiable, type Literal } from './keys';
import { ANY, findString, glob, member, type Lang } from './lang';
import { ACTION_UNIVERSE, actionLang, ARN_UNIVERSE, resourceLang, shapesOf, type Dim, type Shape } from './shapes';

/** A resource-based policy and the resources it is attached to (ARN patterns: a bucket and its objects, a table and its indexes, ...). */
export interface ResourcePolicyAttachment {
  readonly resources: readonly string[];
  readonly policy: NamedPolicy;
}

/** Everything in force for one principal. */
export interface PrincipalPolicies {
  /** The caller as AWS names it: a role session ARN, an IAM user, or a service principal. */
  readonly principalArn: string;
  readonly identity?: NamedPolicy[];
  readonly permissionsBoundary?: NamedPolicy;
  readonly session?: NamedPolicy[];
  readonly scps?: NamedPolicy[] | ScpLevel[];
  readonly vpcEndpoint?: NamedPolicy;
  /**
   * Resource-based policies in play. A resource no attachment covers is taken to have none, except IAM roles
   * and KMS keys, which always have one: theirs is taken to delegate to their account (the default key policy).
   */
  readonly resourcePolicies?: readonly ResourcePolicyAttachment[];
}

/** A region of requests: any of `actions` but none of `exceptActions`, on any of `resources` but none of `exceptResources`. */
export interface AccessSpec {
  readonly actions: readonly string[];
  readonly exceptActions?: readonly string[];
  /** ARN patterns; "*" also covers actions that take no resource ARN. */
  readonly resources: readonly string[];
  readonly exceptResources?: readonly string[];
}

export interface CheckInput extends PrincipalPolicies {
  /**
   * The context every request of the workload carries, as `buildRequestContext` states it: values fixed,
   * absent keys absent, unknown keys free (any value, or absent). Free more keys by listing them as unknown.
   */
  readonly context: StatedContext;
  /** The account that owns the resources in question. @default the principal's account */
  readonly resourceAccount?: string;
}

export interface AccessNotGrantedInput extends CheckInput {
  readonly access: readonly AccessSpec[];
}

export interface Finding {
  /** The index in `access` of the region this request falls in (checkAccessNotGranted). */
  readonly accessIndex?: number;
  /** A request the policies allow: action, resource and the full context. */
  readonly witness: IamRequest;
  /** The Allow statements that let it through (the grant and every ceiling). */
  readonly allowedBy: StatementRef[];
  /** `evaluate` replayed the witness and allowed it. False only where the analysis approximated. */
  readonly verified: boolean;
  readonly approximations: string[];
}

export interface CheckResult {
  /** Access Analyzer's words: PASS when nothing in question can be allowed, FAIL otherwise. */
  readonly result: 'PASS' | 'FAIL';
  readonly findings: Finding[];
  /** What the answer takes for granted beyond the policies given. */
  readonly assumptions: string[];
  /** Where the analysis widened a statement (a PASS stays a proof; a FAIL may then be unverified). */
  readonly notes: string[];
}

interface Product {
  actions: Dim;
  resources: Dim;
  literals: Literal[];
}

const both = (a: Dim, b: Dim): Dim => ({ in: [...a.in, ...b.in], out: [...a.out, ...b.out] });
const meet = (a: Product, b: Product): Product => ({
  actions: both(a.actions, b.actions),
  resources: both(a.resources, b.resources),
  literals: [...a.literals, ...b.literals],
});

const KMS_KEYS: Lang = { seqs: [glob('arn:*:kms:*:*:key/', { excludes: ':' }).concat({ kind: 'star', excludes: '' })] };
const IAM_ROLES: Lang = { seqs: [glob('arn:*:iam::*:role/', { excludes: ':' }).concat({ kind: 'star', excludes: '' })] };
const TRUST_ACTIONS: Lang = actionLang(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext']);

type Strict = 'trust policy' | 'key policy' | undefined;
type Mode = 'arn' | 'none';

interface Group {
  readonly label: string;
  readonly shapes: Shape[];
}

interface Loaded {
  caller: PrincipalInfo;
  identity: Shape[];
  boundary?: Shape[];
  session?: Shape[];
  scpLevels: { target: string; shapes: Shape[] }[];
  endpoint?: Shape[];
  attachments: { lang: Lang; policy: NamedPolicy; shapes: Shape[] }[];
  notes: string[];
}

function load(input: PrincipalPolicies, c: Constraints): Loaded {
  const caller = classifyPrincipal(input.principalArn);
  if (caller.kind === 'root') throw new IamPolicyError('least-privilege checks do not cover the account root user');
  const notes: string[] = [];
  const shapes = (p: NamedPolicy, type: Parameters<typeof loadPolicy>[1]) => {
    const s = shapesOf(loadPolicy(p, type), caller, c);
    for (const x of s) notes.push(...x.notes);
    return s;
  };
  const scps = input.scps ?? [];
  const levels: ScpLevel[] =
    scps.length === 0
      ? []
      : (scps as Array<NamedPolicy | ScpLevel>).every((x) => (x as ScpLevel).policies !== undefined)
        ? (scps as ScpLevel[])
        : [{ target: 'the account', policies: scps as NamedPolicy[] }];
  return {
    caller,
    identity: (input.identity ?? []).flatMap((p) => shapes(p, 'identity')),
    boundary: input.permissionsBoundary ? shapes(input.permissionsBoundary, 'permissions-boundary') : undefined,
    session: input.session?.length ? input.session.flatMap((p) => shapes(p, 'session')) : undefined,
    scpLevels:
      caller.kind === 'service' ? [] : levels.map((l) => ({ target: l.target, shapes: l.policies.flatMap((p) => shapes(p, 'scp')) })),
    endpoint: input.vpcEndpoint ? shapes(input.vpcEndpoint, 'vpc-endpoint').filter((s) => s.principal !== 'none') : undefined,
    attachments: (input.resourcePolicies ?? []).map((a) => ({
      lang: resourceLang(a.resources, undefined, false, true, notes, 'attachment'),
      policy: a.policy,
      shapes: shapes(a.policy, 'resource'),
    })),
    notes,
  };
}

const allowsOf = (shapes: Shape[]) => shapes.filter((s) => s.effect === 'Allow');
const deniesOf = (shapes: Shape[]) => shapes.filter((s) => s.effect === 'Deny');

/** The ways a request can be allowed, each a list of groups that must each contribute one Allow statement. */
function grantPaths(l: Loaded, resourceShapes: Shape[] | undefined, strict: Strict, crossAccount: boolean): Group[][] {
  const ceilings: Group[] = [
    ...l.scpLevels.map((lv) => ({ label: `SCPs of ${lv.target}`, shapes: allowsOf(lv.shapes) })),
    ...(l.endpoint ? [{ label: 'VPC endpoint policy', shapes: allowsOf(l.endpoint) }] : []),
  ];
  const identity: Group = { label: 'identity-based policies', shapes: allowsOf(l.identity) };
  const boundary: Group[] = l.boundary ? [{ label: 'permissions boundary', shapes: allowsOf(l.boundary) }] : [];
  const session: Group[] = l.session ? [{ label: 'session policies', shapes: allowsOf(l.session) }] : [];
  const res = (m: Shape['principal']): Group => ({
    label: `resource policy (${m})`,
    shapes: allowsOf(resourceShapes ?? []).filter((s) => s.principal === m),
  });
  const paths: Group[][] = [];
  if (l.caller.kind === 'service') {
    if (resourceShapes) paths.push([res('direct')]);
  } else if (crossAccount) {
    if (resourceShapes) for (const m of ['direct', 'issuer', 'account'] as const) paths.push([identity, ...boundary, ...session, res(m)]);
  } else if (strict) {
    if (!resourceShapes) paths.push([identity, ...boundary, ...session]);
    else {
      paths.push([res('direct'), ...(strict === 'trust policy' ? boundary : [])]);
      paths.push([res('issuer'), ...boundary, ...session]);
      paths.push([res('account'), identity, ...boundary, ...session]);
    }
  } else {
    paths.push([identity, ...boundary, ...session]);
    if (resourceShapes) paths.push([res('direct')], [res('issuer'), ...boundary, ...session]);
  }
  return paths.map((p) => [...p, ...ceilings]);
}

function productOf(s: Shape, mode: Mode): Product {
  return mode === 'arn'
    ? { actions: s.actions, resources: s.resources, literals: s.literals }
    : { actions: both(s.actions, s.noResourceActions), resources: { in: [], out: [] }, literals: s.literals };
}

interface Point {
  action: string;
  resource: string;
  context: RequestContext;
  approximations: string[];
}

class Budget {
  steps = 0;
  constructor(readonly max: number) {}
  spend(): boolean {
    return ++this.steps <= this.max;
  }
}

/** Picks a member of the dimension, preferring the given strings. */
function pick(dim: Dim, preferred: string[]): { value?: string; empty: boolean; approx?: string } {
  const ok = (s: string) => dim.in.every((l) => member(l, s)) && !dim.out.some((l) => member(l, s));
  const hit = preferred.find(ok);
  if (hit !== undefined) return { value: hit, empty: false };
  const r = findString(dim.in.length ? dim.in : [ANY], dim.out);
  if (r.found === null) return { empty: true };
  if (r.found === undefined) return { empty: false, approx: r.reason };
  return { value: r.found, empty: false };
}

class Searcher {
  constructor(
    readonly c: Constraints,
    readonly mode: Mode,
    readonly preferredActions: string[],
    readonly preferredResources: string[],
    readonly budget: Budget,
  ) {}

  /** A point of `p`, or undefined when `p` is empty. */
  point(p: Product): Point | undefined {
    const a = pick(p.actions, this.preferredActions);
    if (a.empty) return undefined;
    const r = this.mode === 'arn' ? pick(p.resources, this.preferredResources) : { value: '*', empty: false };
    if (r.empty) return undefined;
    const s = satisfiable(p.literals, this.c);
    if (!s.sat) return undefined;
    const approximations = [...s.approximations];
    if (a.approx) approximations.push(`actions: ${a.approx}`);
    if ('approx' in r && r.approx) approximations.push(`resources: ${r.approx}`);
    return { action: a.value ?? '(undetermined)', resource: r.value ?? '(undetermined)', context: s.witness, approximations };
  }

  /** The ways to be outside product m: outside one of its languages, or failing one of its conditions. */
  escapes(m: Product): Product[] {
    const none: Dim = { in: [], out: [] };
    const out: Product[] = [];
    for (const l of m.actions.in) out.push({ actions: { in: [], out: [l] }, resources: none, literals: [] });
    for (const l of m.actions.out) out.push({ actions: { in: [l], out: [] }, resources: none, literals: [] });
    if (this.mode === 'arn') {
      for (const l of m.resources.in) out.push({ actions: none, resources: { in: [], out: [l] }, literals: [] });
      for (const l of m.resources.out) out.push({ actions: none, resources: { in: [l], out: [] }, literals: [] });
    }
    for (const lit of m.literals) out.push({ actions: none, resources: none, literals: [{ ...lit, holds: !lit.holds }] });
    return out;
  }

  /** A point of p outside every product in `minus`, or undefined if there is none. */
  outside(p: Product, minus: Product[]): Point | undefined {
    if (!this.budget.spend()) throw new BudgetExceeded();
    const here = this.point(p);
    if (!here) return undefined;
    const [m, ...rest] = minus;
    if (!m) return here;
    // A product that does not meet p removes nothing.
    if (!this.point(meet(p, m))) return this.outside(p, rest);
    for (const e of this.escapes(m)) {
      const found = this.outside(meet(p, e), rest);
      if (found) return found;
    }
    return undefined;
  }
}

class BudgetExceeded extends Error {}

/** Splits the resource space into parts decided alike: by resource policy attachment, and by trust/key strictness. */
function parts(l: Loaded, mode: Mode): { product: Product; strict: Strict; attachment?: Loaded['attachments'][number] }[] {
  const none: Dim = { in: [], out: [] };
  const byStrictness: { product: Product; strict: Strict }[] =
    mode === 'none'
      ? [{ product: { actions: none, resources: none, literals: [] }, strict: undefined }]
      : [
          { product: { actions: none, resources: { in: [KMS_KEYS], out: [] }, literals: [] }, strict: 'key policy' },
          {
            product: { actions: { in: [TRUST_ACTIONS], out: [] }, resources: { in: [IAM_ROLES], out: [] }, literals: [] },
            strict: 'trust policy',
          },
          { product: { actions: none, resources: { in: [], out: [KMS_KEYS, IAM_ROLES] }, literals: [] }, strict: undefined },
          {
            product: { actions: { in: [], out: [TRUST_ACTIONS] }, resources: { in: [IAM_ROLES], out: [] }, literals: [] },
            strict: undefined,
          },
        ];
  const out: { product: Product; strict: Strict; attachment?: Loaded['attachments'][number] }[] = [];
  for (const s of byStrictness) {
    if (mode === 'none') {
      out.push(s);
      continue;
    }
    for (const a of l.attachments)
      out.push({ ...s, product: meet(s.product, { actions: none, resources: { in: [a.lang], out: [] }, literals: [] }), attachment: a });
    out.push({
      ...s,
      product: meet(s.product, { actions: none, resources: { in: [], out: l.attachments.map((a) => a.lang) }, literals: [] }),
    });
  }
  return out;
}

/** Every Deny statement that can apply to this principal. */
function denyShapes(l: Loaded, attachment: Loaded['attachments'][number] | undefined): Shape[] {
  return [
    ...deniesOf(l.identity),
    ...deniesOf(l.boundary ?? []),
    ...deniesOf(l.session ?? []),
    ...l.scpLevels.flatMap((lv) => deniesOf(lv.shapes)),
    ...deniesOf(l.endpoint ?? []),
    ...deniesOf(attachment?.shapes ?? []).filter((s) => s.principal !== 'none' || (!!l.boundary && s.notPrincipal)),
  ];
}

/** Assumed key or trust policy for a role or key no attachment covers: it delegates to its own account. */
function delegating(account: string): NamedPolicy {
  return {
    name: 'assumed default (delegates to the account)',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: '*', Resource: '*' }],
    },
  };
}

interface Allowed {
  point: Point;
  allowedBy: StatementRef[];
  attachment?: Loaded['attachments'][number];
  strict: Strict;
}

/**
 * Enumerates every way the policies can allow a request within `region` (minus `extraMinus`) and returns
 * the first request found, or undefined when there is none.
 */
function findAllowed(
  l: Loaded,
  region: Product,
  extraMinus: Product[],
  mode: Mode,
  searcher: Searcher,
  crossAccount: boolean,
): Allowed | undefined {
  for (const part of parts(l, mode)) {
    const base = meet(region, part.product);
    if (!searcher.point(base)) continue;
    const resourceShapes = part.attachment?.shapes.filter((s) => s.effect === 'Allow' && s.principal !== 'none');
    const denies = denyShapes(l, part.attachment).map((s) => productOf(s, mode));
    const minus = [...denies, ...extraMinus];
    for (const path of grantPaths(l, part.attachment ? (resourceShapes ?? []) : undefined, part.strict, crossAccount)) {
      const chosen: Shape[] = [];
      const walk = (i: number, acc: Product): Point | undefined => {
        if (i === path.length) return searcher.outside(acc, minus);
        for (const s of path[i].shapes) {
          const next = meet(acc, productOf(s, mode));
          if (!searcher.point(next)) continue;
          chosen.push(s);
          const found = walk(i + 1, next);
          if (found) return found;
          chosen.pop();
        }
        return undefined;
      };
      const found = walk(0, base);
      if (found) return { point: found, allowedBy: chosen.map((s) => s.ref), attachment: part.attachment, strict: part.strict };
    }
  }
  return undefined;
}

function forbiddenProduct(spec: AccessSpec, mode: Mode): Product {
  const notes: string[] = [];
  const actions: Dim = {
    in: [ACTION_UNIVERSE, actionLang(spec.actions)],
    out: spec.exceptActions?.length ? [actionLang(spec.exceptActions)] : [],
  };
  if (mode === 'none') return { actions, resources: { in: [], out: [] }, literals: [] };
  const resources: Dim = {
    in: [ARN_UNIVERSE, resourceLang(spec.resources, undefined, false, true, notes, 'access')],
    out: spec.exceptResources?.length ? [resourceLang(spec.exceptResources, undefined, false, true, notes, 'access')] : [],
  };
  return { actions, resources, literals: [] };
}

function literalsOf(patterns: readonly string[]): string[] {
  return patterns.filter((p) => !/[*?]/.test(p));
}

/** Witness candidates tried before the automaton: the literal actions and resources of the question, then the policies' own patterns. */
function preferred(spec: AccessSpec, ...loaded: Loaded[]): { actions: string[]; resources: string[] } {
  const example = (r: string) => r.replace(/\*/g, 'example').replace(/\?/g, 'x');
  const statements = loaded.flatMap((l) => [...l.identity, ...l.attachments.flatMap((a) => a.shapes)]);
  const actions = literalsOf(spec.actions).map((a) => a.toLowerCase());
  const resources = [
    ...literalsOf(spec.resources),
    ...spec.resources.map(example),
    ...statements.flatMap((s) => s.patterns.filter((p) => p.startsWith('arn:') && !p.includes('${')).map(example)),
  ];
  return { actions, resources };
}

function niceAction(found: string, spec: AccessSpec | undefined): string {
  return spec?.actions.find((a) => a.toLowerCase() === found) ?? found;
}

function verify(
  input: PrincipalPolicies,
  l: Loaded,
  a: Allowed,
  resourceAccount: string,
  context: StatedContext,
  spec?: AccessSpec,
): Finding {
  const values: RequestContext = { ...context.values, ...a.point.context };
  const witness: IamRequest = {
    principalArn: input.principalArn,
    action: niceAction(a.point.action, spec),
    resourceArn: a.point.resource,
    resourceAccount,
    context: { values, unknown: [], absent: [] },
  };
  const policies: PolicySet = {
    identity: input.identity,
    permissionsBoundary: input.permissionsBoundary,
    session: input.session,
    scps: input.scps,
    vpcEndpoint: input.vpcEndpoint,
    resource: a.attachment?.policy ?? (a.strict ? delegating(resourceAccount) : undefined),
  };
  if (l.caller.kind === 'service') {
    delete policies.identity;
    delete policies.permissionsBoundary;
    delete policies.session;
  }
  let verified = false;
  try {
    verified = evaluate(witness, policies).decision === 'Allowed';
  } catch {
    verified = false;
  }
  return { witness, allowedBy: a.allowedBy, verified, approximations: a.point.approximations };
}

const MAX_STEPS = 200_000;

function assumptionsFor(input: PrincipalPolicies): string[] {
  return [
    'resources that no resourcePolicies entry covers have no resource-based policy (IAM roles and KMS keys: one that delegates to their account)',
    'S3 ACLs, KMS grants, resource control policies and AWS managed access outside these policies are not part of the analysis',
    ...(input.scps ? [] : ['no service control policies apply (none given)']),
  ];
}

/**
 * Can the principal be allowed any request in any of the `access` regions, under the workload's context?
 * FAIL names a witness request and the statements that allow it; PASS is a proof over every action,
 * resource and value of the free keys in those regions.
 */
export function checkAccessNotGranted(input: AccessNotGrantedInput): CheckResult {
  const c = new Constraints(input.context);
  const l = load(input, c);
  const resourceAccount = input.resourceAccount ?? l.caller.account ?? '';
  const crossAccount = l.caller.kind !== 'service' && resourceAccount !== l.caller.account;
  const findings: Finding[] = [];
  const notes = [...new Set(l.notes)];
  const budget = new Budget(MAX_STEPS);
  for (const [accessIndex, spec] of input.access.entries()) {
    if (spec.actions.length === 0 || spec.resources.length === 0)
      throw new IamPolicyError(`access[${accessIndex}] needs actions and resources`);
    const prefs = preferred(spec, l);
    const modes: Mode[] = spec.resources.includes('*') ? ['arn', 'none'] : ['arn'];
    for (const mode of modes) {
      const searcher = new Searcher(c, mode, prefs.actions, prefs.resources, budget);
      let a: Allowed | undefined;
      try {
        a = findAllowed(l, forbiddenProduct(spec, mode), [], mode, searcher, crossAccount);
      } catch (e) {
        if (!(e instanceof BudgetExceeded)) throw e;
        notes.push(`access[${accessIndex}]: the search stopped after ${MAX_STEPS} steps; not proved, so reported as possibly granted`);
        findings.push({
          accessIndex,
          witness: { principalArn: input.principalArn, action: spec.actions[0], resourceArn: spec.resources[0], resourceAccount },
          allowedBy: [],
          verified: false,
          approximations: ['search budget exhausted'],
        });
        break;
      }
      if (a) {
        findings.push({ accessIndex, ...verify(input, l, a, resourceAccount, input.context, spec) });
        break;
      }
    }
  }
  return { result: findings.length ? 'FAIL' : 'PASS', findings, assumptions: assumptionsFor(input), notes };
}

export interface NoNewAccessInput extends CheckInput {
  /** What the principal needs: the reference. */
  readonly reference: Omit<PrincipalPolicies, 'principalArn'>;
  /** What is in force (or proposed). */
  readonly candidate: Omit<PrincipalPolicies, 'principalArn'>;
  /** Limit the comparison to these requests. @default every action on every resource */
  readonly scope?: AccessSpec;
}

/** All products the reference allows (before its Denies), for subtraction. */
function allowedProducts(l: Loaded, mode: Mode, crossAccount: boolean, searcher: Searcher): Product[] {
  const out: Product[] = [];
  for (const part of parts(l, mode)) {
    const resourceShapes = part.attachment?.shapes.filter((s) => s.effect === 'Allow' && s.principal !== 'none');
    for (const path of grantPaths(l, part.attachment ? (resourceShapes ?? []) : undefined, part.strict, crossAccount)) {
      const walk = (i: number, acc: Product) => {
        if (out.length > 2000) throw new BudgetExceeded();
        if (i === path.length) {
          out.push(acc);
          return;
        }
        for (const s of path[i].shapes) {
          const next = meet(acc, productOf(s, mode));
          if (searcher.point(next)) walk(i + 1, next);
        }
      };
      walk(0, part.product);
    }
  }
  return out;
}

/**
 * Does the candidate allow any request that the reference does not? FAIL names one such request (for
 * instance an action the reference never grants, or a resource outside its patterns); PASS proves the
 * candidate allows nothing beyond the reference within `scope`.
 */
export function checkNoNewAccess(input: NoNewAccessInput): CheckResult {
  const c = new Constraints(input.context);
  const ref = load({ ...input.reference, principalArn: input.principalArn }, c);
  const cand = load({ ...input.candidate, principalArn: input.principalArn }, c);
  const resourceAccount = input.resourceAccount ?? cand.caller.account ?? '';
  const crossAccount = cand.caller.kind !== 'service' && resourceAccount !== cand.caller.account;
  const scope = input.scope ?? { actions: ['*'], resources: ['*'] };
  const notes = [...new Set([...ref.notes, ...cand.notes])];
  const budget = new Budget(MAX_STEPS);
  const prefs = preferred(scope, cand, ref);
  const findings: Finding[] = [];
  for (const mode of (scope.resources.includes('*') ? ['arn', 'none'] : ['arn']) as Mode[]) {
    const searcher = new Searcher(c, mode, prefs.actions, prefs.resources, budget);
    const region = forbiddenProduct(scope, mode);
    try {
      // 1. Allowed by the candidate and by no way the reference allows.
      const referenceAllows = allowedProducts(ref, mode, crossAccount, searcher);
      let a = findAllowed(cand, region, referenceAllows, mode, searcher, crossAccount);
      // 2. Allowed by the candidate where a reference Deny applies: the principal's own policies' Denies, and each
      // resource policy's Denies on the resources that policy is attached to ("Policy evaluation logic": an explicit
      // deny in any policy, resource-based ones included, overrides every allow).
      if (!a) {
        const none: Dim = { in: [], out: [] };
        const refDenies = [
          ...denyShapes(ref, undefined).map((d) => productOf(d, mode)),
          ...(mode === 'arn'
            ? ref.attachments.flatMap((att) =>
                denyShapes({ ...ref, identity: [], boundary: undefined, session: undefined, scpLevels: [], endpoint: undefined }, att).map(
                  (d) => meet(productOf(d, mode), { actions: none, resources: { in: [att.lang], out: [] }, literals: [] }),
                ),
              )
            : []),
        ];
        for (const d of refDenies) {
          a = findAllowed(cand, meet(region, d), [], mode, searcher, crossAccount);
          if (a) break;
        }
      }
      if (a) {
        findings.push(verify({ ...input.candidate, principalArn: input.principalArn }, cand, a, resourceAccount, input.context, scope));
        break;
      }
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      notes.push('the comparison stopped at its search budget; not proved, so reported as possibly new access');
      findings.push({
        witness: { principalArn: input.principalArn, action: scope.actions[0], resourceArn: scope.resources[0], resourceAccount },
        allowedBy: [],
        verified: false,
        approximations: ['search budget exhausted'],
      });
      break;
    }
  }
  return { result: findings.length ? 'FAIL' : 'PASS', findings, assumptions: assumptionsFor(input.candidate as PrincipalPolicies), notes };
}
