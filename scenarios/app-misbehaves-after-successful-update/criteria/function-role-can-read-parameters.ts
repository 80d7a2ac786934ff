import { Criterion, fail, pass } from '../../../checkers/criterion';
import { decideParameterRead, decidedBy, describeDecision, scpCaveat } from '../access';
import type { OrdersServiceSnapshot } from '../gather';

/** The execution role's session may ssm:GetParameter each parameter the function's environment names. */
export const functionRoleCanReadParameters: Criterion<OrdersServiceSnapshot> = {
  id: 'function-role-can-read-parameters',
  title: 'The orders API function may read the parameters it reads on every request',
  rationale:
    "The orders API reads its write mode and its payment client timeout from Parameter Store on every request; SSM decides each GetParameter on the execution role's session, counting its identity policies, its permissions boundary and the SCPs. A refused read fails the request, whatever the parameter holds.",
  references: [
    'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  ],
  evaluate(s) {
    const r = s.runtime;
    if (!r) return fail(`Lambda function ${s.config.functionName} does not exist.`);
    if (!r.role) return fail(`Execution role ${r.roleArn} of Lambda function ${s.config.functionName} could not be read: ${r.roleError}.`);
    const grants: string[] = [];
    for (const p of r.parameters) {
      const result = decideParameterRead(r, p);
      if (result.decision !== 'Allowed') {
        return fail(
          `Execution role ${r.roleArn} of Lambda function ${s.config.functionName} may not ssm:GetParameter ${p.arn} (named by ${p.variable}): ${describeDecision(result)}.`,
        );
      }
      grants.push(`${p.arn} (${decidedBy(result)})`);
    }
    return pass(`Per the IAM engine, execution role ${r.roleArn} may ssm:GetParameter ${grants.join(' and ')}.${scpCaveat(r)}`);
  },
};
