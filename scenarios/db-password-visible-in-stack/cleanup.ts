/**
 * What lives outside the stack: breakfix's record of the deployed lab, and
 * what the learner created for the fix that the stack does not own: the
 * Secrets Manager secret or Parameter Store parameter the template's
 * dynamic references or the function's environment name. Leftover probes
 * for the stack's types breakfix does not know: the DB instance, the
 * function, and a secret an edited stack may add.
 */
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DeleteSecretCommand, DescribeSecretCommand, paginateListSecrets, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteParameterCommand, paginateDescribeParameters, SSMClient } from '@aws-sdk/client-ssm';
import { collectPages } from '../../lib/core/paging';
import type { ScenarioContext } from '../../lib/scenario/types';
import type { Probes } from '../../lib/cleanup/inventory';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { ignoring } from '../../lib/toolkit/aws-errors';
import { labRecordName } from './lab';

const SECRET_GONE = ['ResourceNotFoundException'];

/** Secrets and parameters the fix refers to that the stack does not own; removed before the stack goes. */
export async function sweepLearnerResources(ctx: ScenarioContext): Promise<string[]> {
  const cfn = ctx.clients.cloudformation;
  const resources = await listStackResources(cfn, ctx.stackName);
  const owned = new Set(resources.map((r) => r.PhysicalResourceId));
  const body = (await cfn.send(new GetTemplateCommand({ StackName: ctx.stackName, TemplateStage: 'Original' }))).TemplateBody ?? '';
  const [fnName] = physicalIdsOfType(resources, 'AWS::Lambda::Function');
  const env = fnName
    ? ((
        await ignoring(
          ['ResourceNotFoundException'],
          ctx.clients.client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: fnName })),
        )
      )?.Environment?.Variables ?? {})
    : {};
  const secretIds = new Set<string>();
  const parameterNames = new Set<string>();
  for (const m of body.matchAll(/\{\{resolve:secretsmanager:(arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:[^:}]+|[^:}]+)/g))
    secretIds.add(m[1]);
  for (const m of body.matchAll(/\{\{resolve:ssm(?:-secure)?:([^:}]+)/g)) parameterNames.add(m[1]);
  for (const v of Object.values(env)) {
    if (/^arn:[^:]+:secretsmanager:/.test(v)) secretIds.add(v);
    else if (v.startsWith('/')) parameterNames.add(v);
  }
  if (env.DB_SECRET_ID) secretIds.add(env.DB_SECRET_ID);
  if (env.DB_PASSWORD_PARAMETER) parameterNames.add(env.DB_PASSWORD_PARAMETER);

  const removed: string[] = [];
  const sm = ctx.clients.client(SecretsManagerClient);
  for (const id of secretIds) {
    const d = await ignoring(SECRET_GONE, sm.send(new DescribeSecretCommand({ SecretId: id })));
    // A secret the stack owns goes with it; one RDS manages goes with the DB instance.
    if (!d?.ARN || owned.has(d.ARN) || owned.has(d.Name) || d.OwningService || d.DeletedDate) continue;
    await sm.send(new DeleteSecretCommand({ SecretId: d.ARN, ForceDeleteWithoutRecovery: true }));
    removed.push(`Secrets Manager secret ${d.Name}`);
  }
  const ssm = ctx.clients.client(SSMClient);
  for (const name of parameterNames) {
    if (owned.has(name) || name === labRecordName(ctx.stackName)) continue;
    if (await ignoring(['ParameterNotFound'], ssm.send(new DeleteParameterCommand({ Name: name }))))
      removed.push(`Parameter Store parameter ${name}`);
  }
  return removed;
}

/**
 * After the stack: breakfix's record, and the secrets and parameters a learner named after the lab
 * (`<stack>/...`, `<stack>-...`, `/<stack>/...`) whether or not anything still refers to them (a
 * learner's delete-stack leaves no template or function to find them through).
 */
export async function afterStackDeleted(ctx: ScenarioContext): Promise<string[]> {
  const removed: string[] = [];
  const ssm = ctx.clients.client(SSMClient);
  const record = labRecordName(ctx.stackName);
  if (await ignoring(['ParameterNotFound'], ssm.send(new DeleteParameterCommand({ Name: record }))))
    removed.push(`Parameter Store parameter ${record}`);
  const sm = ctx.clients.client(SecretsManagerClient);
  const secrets = await collectPages(
    paginateListSecrets({ client: sm }, { Filters: [{ Key: 'name', Values: [`${ctx.stackName}/`, `${ctx.stackName}-`] }] }),
    (p) => p.SecretList,
  );
  for (const s of secrets) {
    // The name filter matches prefixes of words; keep to the lab's own names.
    if (!s.ARN || s.DeletedDate || s.OwningService || !/^[/-]/.test(s.Name?.slice(ctx.stackName.length) ?? '')) continue;
    if (!s.Name!.startsWith(ctx.stackName)) continue;
    await ignoring(SECRET_GONE, sm.send(new DeleteSecretCommand({ SecretId: s.ARN, ForceDeleteWithoutRecovery: true })));
    removed.push(`Secrets Manager secret ${s.Name}`);
  }
  const parameters = await collectPages(
    paginateDescribeParameters(
      { client: ssm },
      { ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [`/${ctx.stackName}/`] }] },
    ),
    (p) => p.Parameters,
  );
  for (const p of parameters) {
    if (!p.Name?.startsWith(`/${ctx.stackName}/`)) continue;
    if (await ignoring(['ParameterNotFound'], ssm.send(new DeleteParameterCommand({ Name: p.Name }))))
      removed.push(`Parameter Store parameter ${p.Name}`);
  }
  return removed;
}

export const probes: Probes = {
  'AWS::RDS::DBInstance': async (clients, id) => {
    const out = await ignoring(
      ['DBInstanceNotFoundFault', 'DBInstanceNotFound'],
      clients.client(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })),
    );
    return out?.DBInstances?.length ? `DB instance ${id}` : undefined;
  },
  'AWS::Lambda::Function': async (clients, id) => {
    const out = await ignoring(
      ['ResourceNotFoundException'],
      clients.client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: id })),
    );
    return out ? `Lambda function ${id}` : undefined;
  },
  'AWS::SecretsManager::Secret': async (clients, id) => {
    const out = await ignoring(SECRET_GONE, clients.client(SecretsManagerClient).send(new DescribeSecretCommand({ SecretId: id })));
    return out && !out.DeletedDate ? `Secrets Manager secret ${out.Name}` : undefined;
  },
};
