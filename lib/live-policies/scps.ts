import {
  DescribePolicyCommand,
  ListParentsCommand,
  OrganizationsClient,
  PolicySummary,
  paginateListPoliciesForTarget,
} from '@aws-sdk/client-organizations';
import { collectPages } from '../core/paging';
import type { ScpLevel } from '../engines/iam';

export type OrganizationsReader = OrganizationsClient;

async function policiesFor(org: OrganizationsReader, target: string): Promise<PolicySummary[]> {
  return collectPages(
    paginateListPoliciesForTarget({ client: org }, { TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }),
    (p) => p.Policies,
  );
}

/**
 * The SCPs in force for an account, one level per node from the root down to
 * the account, as the engine takes them (every level must allow). Needs
 * Organizations read access (management account or delegated administrator).
 */
export async function readScpLevels(org: OrganizationsReader, accountId: string): Promise<ScpLevel[]> {
  const chain = [accountId];
  for (let child = accountId, depth = 0; depth < 10; depth++) {
    const parents = (await org.send(new ListParentsCommand({ ChildId: child }))).Parents ?? [];
    const parent = parents[0];
    if (!parent?.Id) break;
    chain.unshift(parent.Id);
    if (parent.Type === 'ROOT') break;
    child = parent.Id;
  }
  return Promise.all(
    chain.map(async (target) => {
      const summaries = await policiesFor(org, target);
      const policies = await Promise.all(
        summaries.map(async (p) => {
          const out = await org.send(new DescribePolicyCommand({ PolicyId: p.Id! }));
          return { name: p.Name ?? p.Id!, arn: p.Arn, kind: 'service control policy', document: out.Policy?.Content ?? '{}' };
        }),
      );
      return { target, policies };
    }),
  );
}
