/**
 * The facts of this lab that the stack, the arming step, the checker and the
 * clean-up share.
 */

/**
 * The password the stack was first deployed with: the value the security
 * review found, so it counts as compromised wherever it still appears or
 * still opens the database.
 */
export const EXPOSED_PASSWORD = 'OrdersLaunch-2024!';

/** The template parameter the orders stack took the password through. */
export const PASSWORD_PARAMETER = 'DbPassword';

export const DB_USERNAME = 'orders_admin';
export const DB_NAME = 'orders';

/** Logical IDs in the lab's template (a learner's edited template may rename them; the checker finds resources by type). */
export const DB_LOGICAL_ID = 'OrdersDb';
export const FUNCTION_LOGICAL_ID = 'OrdersApi';

/** Variants, as scenario.json names them. */
export const VARIANTS = { plain: 'plain-parameter', noEcho: 'noecho-default' } as const;

/**
 * Where breakfix records, outside the stack, which stack and database it
 * deployed: a stack deleted and created again gets a new StackId, and its
 * database is a new, empty one. A plain String parameter: it holds IDs, no secret.
 */
export const labRecordName = (stackName: string): string => `/breakfix/${stackName}/deployed`;

/** What the lab record holds. */
export interface LabRecord {
  readonly stackId: string;
  readonly dbiResourceId: string;
}

/** Passwords shorter than this are never searched for (a short string matches too much by chance). */
export const MIN_PASSWORD_LENGTH = 8;
