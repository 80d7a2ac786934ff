/**
 * The facts of this lab that the stack, the arming step and the checker
 * share: names, the orders the learner must not lose, and the release that
 * fails.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StackResourceChange } from '../../lib/engines/cfn/stack-policy';

/** Stable logical IDs: the learner types them into --resources-to-skip. */
export const TABLE_LOGICAL_ID = 'OrdersTable';
export const LOG_GROUP_LOGICAL_ID = 'OrdersApiLogGroup';

export const tableName = (stackName: string): string => `${stackName}-orders`;
export const logGroupName = (stackName: string): string => `/breakfix/${stackName}/orders-api`;

/** Retention in the deployed template, and in the release that fails. */
export const RETENTION_DAYS = 30;
export const RELEASE_RETENTION_DAYS = 90;

/**
 * What the waiting release changes, in stack-policy terms: it raises the log
 * group's RetentionInDays, an update that requires "No interruption" (AWS
 * CloudFormation User Guide, AWS::Logs::LogGroup), which is Update:Modify
 * ("Prevent updates to stack resources"). The release touches nothing else.
 */
export const WAITING_RELEASE_CHANGES: readonly StackResourceChange[] = [
  { action: 'Update:Modify', logicalId: LOG_GROUP_LOGICAL_ID, resourceType: 'AWS::Logs::LogGroup' },
];

/**
 * Tag on the orders table recording which stack was armed. The table is
 * retained and outlives the stack, so a recreated stack cannot pass for the
 * armed one.
 */
export const ARMED_STACK_TAG = 'breakfix:armed-stack-id';

export interface Order {
  readonly orderId: string;
  readonly customer: string;
  readonly totalCents: number;
  readonly status: string;
}

/** Production data: seeded at deploy, and it must still be there at check. */
export const ORDERS: readonly Order[] = [
  { orderId: 'ord-1001', customer: 'Ada Lovelace', totalCents: 4250, status: 'SHIPPED' },
  { orderId: 'ord-1002', customer: 'Grace Hopper', totalCents: 1999, status: 'PAID' },
  { orderId: 'ord-1003', customer: 'Katherine Johnson', totalCents: 12000, status: 'PAID' },
  { orderId: 'ord-1004', customer: 'Alan Turing', totalCents: 560, status: 'REFUNDED' },
  { orderId: 'ord-1005', customer: 'Margaret Hamilton', totalCents: 31415, status: 'PENDING' },
];

export function orderItem(o: Order): Record<string, AttributeValue> {
  return {
    orderId: { S: o.orderId },
    customer: { S: o.customer },
    totalCents: { N: String(o.totalCents) },
    status: { S: o.status },
  };
}

/** True when a stored item still holds every attribute of the seeded order. */
export function itemMatches(o: Order, item: Record<string, AttributeValue> | undefined): boolean {
  if (!item) return false;
  return (
    item.orderId?.S === o.orderId &&
    item.customer?.S === o.customer &&
    Number(item.totalCents?.N) === o.totalCents &&
    item.status?.S === o.status
  );
}
