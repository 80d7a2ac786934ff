import { Criterion, fail, pass } from '../../../checkers/criterion';
import { lambdaTrust } from '../access';
import type { OrdersServiceSnapshot } from '../gather';

/** Lambda can assume the orders API's execution role: its trust policy admits lambda.amazonaws.com, per the IAM engine. */
export const lambdaCanAssumeFunctionRole: Criterion<OrdersServiceSnapshot> = {
  id: 'lambda-can-assume-function-role',
  title: "Lambda can assume the orders API function's execution role",
  rationale:
    'Lambda runs a function with credentials it gets by assuming the execution role as lambda.amazonaws.com; a trust policy that does not admit that service leaves every invocation without credentials, so the function cannot run.',
  references: [
    'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  ],
  evaluate(s) {
    const r = s.runtime;
    if (!r) return fail(`Lambda function ${s.config.functionName} does not exist.`);
    if (!r.role) return fail(`Execution role ${r.roleArn} of Lambda function ${s.config.functionName} could not be read: ${r.roleError}.`);
    const trust = lambdaTrust(r);
    if (!trust) return fail(`IAM returned no trust policy for execution role ${r.roleArn}, so Lambda cannot assume it.`);
    if (!trust.allowed) {
      return fail(
        `Execution role of Lambda function ${s.config.functionName}: ${trust.sentence}, so the function gets no credentials to run with.`,
      );
    }
    return pass(
      `Per the IAM engine, the trust policy of execution role ${r.roleArn} lets lambda.amazonaws.com assume it for function ${r.functionArn}.`,
    );
  },
};
