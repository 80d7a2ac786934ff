/**
 * Adapter to @cloud-copilot/iam-simulate (AGPL), used ONLY as a test oracle: this file lives under
 * test/ and the package is a devDependency; nothing under lib/ may import it.
 *
 * runSimulation() validates against its AWS action catalogue and drops context keys it does not know
 * for an action, and runUnsafeSimulation() ignores session and endpoint policies, so we call the
 * package's core `authorize` directly, the function both of those end in.
 */
import path from 'path';
import type { IamRequest, NamedPolicy, PolicySet, ScpLevel } from '../../lib/engines/iam';

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

const simulateDir = path.dirname(require.resolve('@cloud-copilot/iam-simulate'));
const core = require(path.join(simulateDir, 'core_engine/CoreSimulatorEngine.js'));
const { AwsRequestImpl } = require(path.join(simulateDir, 'request/request.js'));
const { RequestContextImpl } = require(path.join(simulateDir, 'requestContext.js'));
const { DiscoveryContextKeyConstraints } = require(path.join(simulateDir, 'context_keys/discoveryContextKeyConstraints.js'));
const { loadPolicy } = require(require.resolve('@cloud-copilot/iam-policy', { paths: [simulateDir] }));

function load(p: NamedPolicy, fallback: string): unknown {
  const doc = typeof p.document === 'string' ? JSON.parse(p.document) : p.document;
  return loadPolicy(doc, { name: p.name ?? p.arn ?? fallback });
}

function scpLevels(scps: PolicySet['scps']): ScpLevel[] {
  if (!scps || scps.length === 0) return [];
  const entries = scps as Array<NamedPolicy | ScpLevel>;
  if (entries.every((e) => (e as ScpLevel).policies !== undefined)) return entries as ScpLevel[];
  return [{ target: 'account', policies: entries as NamedPolicy[] }];
}

/** The oracle's decision for a request and policy set (one session policy at most). */
export function oracleDecision(request: IamRequest, policies: PolicySet): Decision {
  if ((policies.session?.length ?? 0) > 1) throw new Error('the oracle takes one session policy');
  const context: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(request.context ?? {})) context[key] = Array.isArray(value) ? value.map(String) : String(value);
  const awsRequest = new AwsRequestImpl(
    request.principalArn,
    { resource: request.resourceArn, accountId: request.resourceAccount },
    request.action,
    new RequestContextImpl(context),
  );
  const analysis = core.authorize({
    request: awsRequest,
    sessionPolicy: policies.session?.length ? load(policies.session[0], 'session') : undefined,
    identityPolicies: (policies.identity ?? []).map((p, i) => load(p, `identity-${i}`)),
    serviceControlPolicies: scpLevels(policies.scps).map((level) => ({
      orgIdentifier: level.target,
      policies: level.policies.map((p, i) => load(p, `scp-${i}`)),
    })),
    resourceControlPolicies: [],
    resourcePolicy: policies.resource ? load(policies.resource, 'resource') : undefined,
    permissionBoundaries: policies.permissionsBoundary ? [load(policies.permissionsBoundary, 'boundary')] : undefined,
    vpcEndpointPolicies: policies.vpcEndpoint ? [load(policies.vpcEndpoint, 'vpce')] : undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  return analysis.result as Decision;
}
