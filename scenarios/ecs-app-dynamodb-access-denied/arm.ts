/**
 * After the CDK deploy: seed the orders the app reads. Then prove the lab is
 * armed: only the task-role criterion fails, and (on emulators) the derived
 * app log line is DynamoDB's implicit deny.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Criterion } from '../../checkers/criterion';
import type { ArmedResult, ScenarioContext } from '../../lib/scenario/types';
import { listStackResources, physicalIdsOfType } from '../../lib/engines/cfn/stack-state';
import { isEmulator } from '../../lib/targets/target';
import { onlyBlocking } from '../../lib/toolkit/armed';
import { gatherOrdersApp, OrdersAppSnapshot } from './gather';
import { derivedSymptom } from './symptom';
import { APP_CUSTOMER, APP_ORDER, SEED_ITEMS } from './lab';
import { taskRoleCanReadOrders } from './criteria/task-role-can-read-orders';

export async function afterDeploy(ctx: ScenarioContext): Promise<void> {
  const resources = await listStackResources(ctx.clients.cloudformation, ctx.stackName);
  const [table] = physicalIdsOfType(resources, 'AWS::DynamoDB::Table');
  if (!table) throw new Error(`Stack ${ctx.stackName} lists no DynamoDB table.`);
  for (const item of SEED_ITEMS) {
    await ctx.clients.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          customerId: { S: item.customerId },
          orderId: { S: item.orderId },
          status: { S: item.status },
          totalCents: { N: String(item.totalCents) },
        },
      }),
    );
  }
}

/** The armed proof over the scenario's criteria (index.ts wires them in). */
export const verifyArmed =
  (criteria: readonly Criterion<OrdersAppSnapshot>[]) =>
  async (ctx: ScenarioContext): Promise<ArmedResult> => {
    const s = await gatherOrdersApp(ctx);
    const seeded = await ctx.clients.dynamodb.send(
      new GetItemCommand({ TableName: s.tableName, Key: { customerId: { S: APP_CUSTOMER }, orderId: { S: APP_ORDER } } }),
    );
    if (!seeded.Item) return { armed: false, facts: [`Table ${s.tableName} has no item ${APP_CUSTOMER}/${APP_ORDER}.`] };
    const only = await onlyBlocking(ctx, criteria, s, taskRoleCanReadOrders.id);
    if (!only.armed) return only;
    const facts = [only.message];
    if (isEmulator(ctx.target)) {
      const symptom = derivedSymptom(s);
      if (!/AccessDeniedException.*because no identity-based policy allows the dynamodb:GetItem action/.test(symptom.summary)) {
        return { armed: false, facts: [`The derived app log line is not DynamoDB's implicit deny: ${symptom.summary}`] };
      }
      facts.push(`Derived app log line: ${symptom.summary}`);
    }
    facts.push(
      `Table ${s.tableName} holds the seeded orders; the execution role ${s.live?.executionRoleArn} still carries the DynamoDB grant.`,
    );
    return { armed: true, facts };
  };
