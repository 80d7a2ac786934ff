/**
 * Soundness against the concrete engine, on generated policies: whenever some request in the forbidden
 * region is Allowed by `evaluate`, checkAccessNotGranted must answer FAIL; whenever it answers FAIL with
 * a verified witness, that witness lies in the region and `evaluate` allows it. The generator mixes
 * wildcards in Action and Resource, NotAction/NotResource, conditions on fixed and free keys, Denies,
 * boundaries and bucket policies.
 */
import fc from 'fast-check';
import { evaluate } from '../evaluate';
import { actionMatches, resourceMatches } from '../matchers';
import { ContextLookup } from '../context';
import { splitArn } from '../arn';
import type { NamedPolicy, RequestContext } from '../types';
import { checkAccessNotGranted, type AccessSpec } from './index';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/app`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 'dynamodb:GetItem', 'dynamodb:DeleteItem'];
const RESOURCES = [
  'arn:aws:s3:::data/expired/a',
  'arn:aws:s3:::data/retained/b',
  'arn:aws:s3:::data/x',
  'arn:aws:s3:::other/retained/c',
  `arn:aws:dynamodb:eu-west-1:${A}:table/orders`,
  `arn:aws:dynamodb:eu-west-1:${A}:table/orders-archive`,
];
const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:Delete*',
  's3:*Object',
  's3:GetObject',
  's3:DeleteObject',
  'dynamodb:*',
  'dynamodb:Delete*',
  's3:?etObject',
];
const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::data/*',
  'arn:aws:s3:::data/expired/*',
  'arn:aws:s3:::*/retained/*',
  'arn:aws:s3:::data/re?ained/*',
  `arn:aws:dynamodb:*:${A}:table/orders*`,
  `arn:aws:dynamodb:eu-west-1:${A}:table/orders`,
  'arn:aws:dynamodb:*',
];
/** Free keys take these values in the concrete sample; the check must consider every value. */
const FREE: Record<string, Array<string | undefined>> = {
  'aws:SourceVpce': [undefined, 'vpce-1', 'vpce-2'],
  's3:prefix': [undefined, 'expired/', 'retained/'],
};
const FIXED = { 'aws:PrincipalArn': ROLE, 'aws:SecureTransport': 'true', 'aws:ResourceAccount': A, 'aws:PrincipalAccount': A };

const CONDITIONS: object[] = [
  { Bool: { 'aws:SecureTransport': 'true' } },
  { Bool: { 'aws:SecureTransport': 'false' } },
  { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
  { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
  { StringLike: { 's3:prefix': 'expired/*' } },
  { StringNotLike: { 's3:prefix': ['expired/*', 'x*'] } },
  { Null: { 'aws:SourceVpce': 'true' } },
  { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/steward*` } },
  { StringEqualsIfExists: { 's3:prefix': 'retained/' } },
];

const listOf = <T>(pool: T[]) => fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 2 });
const statement = (principal: boolean) =>
  fc
    .record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      notAction: fc.constantFrom(false, false, false, true),
      principalArn: fc.constantFrom(SESSION, ROLE, `arn:aws:iam::${A}:role/other`),
      actions: listOf(ACTION_PATTERNS),
      notResource: fc.constantFrom(false, false, false, true),
      resources: listOf(RESOURCE_PATTERNS),
      condition: fc.option(fc.constantFrom(...CONDITIONS), { freq: 2 }),
    })
    .map((s) => {
      const st: Record<string, unknown> = { Effect: s.Effect };
      st[s.notAction ? 'NotAction' : 'Action'] = s.actions;
      st[s.notResource ? 'NotResource' : 'Resource'] = s.resources;
      if (s.condition) st.Condition = s.condition;
      if (principal) st.Principal = { AWS: s.principalArn };
      return st;
    });
const doc = (principal: boolean) =>
  fc.array(statement(principal), { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: '2012-10-17', Statement }));

const caseArb = fc.record({
  identity: doc(false),
  boundary: fc.option(doc(false), { freq: 4 }),
  bucket: fc.option(doc(true), { freq: 2 }),
  forbiddenActions: listOf(ACTION_PATTERNS.filter((p) => p !== '*')),
  forbiddenResources: listOf(RESOURCE_PATTERNS.filter((p) => p !== '*')),
  exceptResources: fc.option(listOf(RESOURCE_PATTERNS.filter((p) => p !== '*')), { freq: 3 }),
});

function contexts(): RequestContext[] {
  const out: RequestContext[] = [];
  for (const vpce of FREE['aws:SourceVpce'])
    for (const prefix of FREE['s3:prefix']) {
      const ctx: RequestContext = { ...FIXED };
      if (vpce) ctx['aws:SourceVpce'] = vpce;
      if (prefix) ctx['s3:prefix'] = prefix;
      out.push(ctx);
    }
  return out;
}

function inRegion(spec: AccessSpec, action: string, resource: string): boolean {
  const ctx = new ContextLookup({ values: {}, unknown: [] });
  const r = splitArn(resource)!;
  const res = (ps: readonly string[]) => ps.some((p) => resourceMatches(p, r, ctx, false) === true);
  return (
    spec.actions.some((p) => actionMatches(p, action)) &&
    !(spec.exceptActions ?? []).some((p) => actionMatches(p, action)) &&
    res(spec.resources) &&
    !res(spec.exceptResources ?? [])
  );
}

describe('checkAccessNotGranted is sound against evaluate', () => {
  it('never says PASS when a sampled forbidden request is allowed; every verified witness is allowed and forbidden', () => {
    let fails = 0;
    let passes = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const identity: NamedPolicy[] = [{ name: 'identity', document: c.identity }];
        const permissionsBoundary = c.boundary ? { name: 'boundary', document: c.boundary } : undefined;
        const bucketPolicy = c.bucket ? { name: 'data', document: c.bucket } : undefined;
        const spec: AccessSpec = {
          actions: c.forbiddenActions,
          resources: c.forbiddenResources,
          exceptResources: c.exceptResources ?? undefined,
        };
        const result = checkAccessNotGranted({
          principalArn: SESSION,
          identity,
          permissionsBoundary,
          resourcePolicies: bucketPolicy ? [{ resources: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'], policy: bucketPolicy }] : [],
          context: { values: FIXED, unknown: Object.keys(FREE) },
          access: [spec],
        });
        let sampledAllowed: string | undefined;
        for (const action of ACTIONS)
          for (const resource of RESOURCES) {
            if (!inRegion(spec, action, resource)) continue;
            for (const ctx of contexts()) {
              const policies = {
                identity,
                permissionsBoundary,
                resource: resource.startsWith('arn:aws:s3:::data/') ? bucketPolicy : undefined,
              };
              const d = evaluate(
                { principalArn: SESSION, action, resourceArn: resource, resourceAccount: A, context: { values: ctx, unknown: [] } },
                policies,
              );
              if (d.decision === 'Allowed') sampledAllowed ??= `${action} ${resource} ${JSON.stringify(ctx)}`;
            }
          }
        if (sampledAllowed) expect([result.result, sampledAllowed]).toEqual(['FAIL', sampledAllowed]);
        if (result.result === 'FAIL') fails++;
        else passes++;
        for (const f of result.findings) {
          // On these policies nothing is approximated, so every witness must replay as allowed.
          expect(f.verified).toBe(true);
          expect(inRegion(spec, f.witness.action, f.witness.resourceArn)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 20240611 },
    );
    // Both answers come up often enough for the property to mean something.
    expect(fails).toBeGreaterThan(30);
    expect(passes).toBeGreaterThan(30);
  });
});
