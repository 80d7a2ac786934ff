/**
 * The facts of this lab that the stack, the arming step and the checker
 * share: the app's image and script, the policy the stack misplaces, and
 * the orders seeded into the table.
 */

/** The public AWS CLI image: the "app" is a shell loop of CLI calls, so nothing is built or pushed. */
export const APP_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:latest';
/** The inline policy the stack puts on the execution role (the misplaced DynamoDB grant). */
export const EXECUTION_INLINE_POLICY = 'OrdersTableRead';
/** The customer whose orders the app reads, and one of that customer's orders. */
export const APP_CUSTOMER = 'C-1001';
export const APP_ORDER = 'O-5001';
/** Items afterDeploy writes into the table (the same on every target). */
export const SEED_ITEMS: readonly { customerId: string; orderId: string; status: string; totalCents: number }[] = [
  { customerId: APP_CUSTOMER, orderId: APP_ORDER, status: 'SHIPPED', totalCents: 4599 },
  { customerId: APP_CUSTOMER, orderId: 'O-5002', status: 'PENDING', totalCents: 1250 },
  { customerId: 'C-2002', orderId: 'O-6001', status: 'DELIVERED', totalCents: 8900 },
];

/**
 * The container's loop: one GetItem and one Query every 30 seconds with the
 * task's own credentials. The CLI prints AWS's error to stderr, which the
 * awslogs driver ships like stdout, so the log shows AWS's message verbatim.
 */
export function appScript(): string {
  const key = JSON.stringify({ customerId: { S: APP_CUSTOMER }, orderId: { S: APP_ORDER } });
  const values = JSON.stringify({ ':c': { S: APP_CUSTOMER } });
  return [
    'echo "orders-app: starting; table $TABLE_NAME"',
    'while true; do',
    `  if aws dynamodb get-item --table-name "$TABLE_NAME" --key '${key}' --query Item.status.S --output text; then echo "orders-app: GetItem ${APP_ORDER} ok"; fi`,
    `  if aws dynamodb query --table-name "$TABLE_NAME" --key-condition-expression 'customerId = :c' --expression-attribute-values '${values}' --select COUNT --query Count --output text; then echo "orders-app: Query ${APP_CUSTOMER} ok"; fi`,
    '  sleep 30',
    'done',
  ].join('\n');
}

/**
 * Words that give the cause away: none may appear in a learner-visible field the stack sets (the stack's
 * Description, resource descriptions, output descriptions, tags). The names of the two roles are the lab's
 * facts and stay; a description must not say which role the grant sits on or that it is misplaced.
 */
export const SPOILER_WORDS: readonly string[] = [
  'execution role',
  'task role',
  'misplaced',
  'sits on',
  'grant',
  'instead of',
  'wrong role',
];
