import type { CommandDeps, CommonOptions } from '../common';
import { prepareTarget } from '../common';
import { UsageError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import { paint } from '../io';
import { describeStatement, parseContext, simulate } from '../../ops/simulate';

export interface SimulateOptions extends CommonOptions {
  readonly principal?: string;
  readonly action?: string;
  readonly resource?: string;
  readonly resourceAccount?: string;
  readonly context?: string[];
  readonly sessionName?: string;
  readonly explain?: boolean;
  readonly json?: boolean;
}

/**
 * The guide's STEP 4, the policy simulator: decides one request from the
 * live policies of the target with breakfix's IAM engine; on real AWS also
 * asks iam:SimulatePrincipalPolicy. Read-only.
 */
export async function runSimulate(opts: SimulateOptions, deps: CommandDeps): Promise<number> {
  for (const [name, value] of [
    ['--principal', opts.principal],
    ['--action', opts.action],
    ['--resource', opts.resource],
  ] as const) {
    if (!value) throw new UsageError('bad-option', `simulate needs ${name}.`);
  }
  if (opts.resourceAccount !== undefined && !/^\d{12}$/.test(opts.resourceAccount))
    throw new UsageError('bad-option', `--resource-account must be a 12-digit account ID, not "${opts.resourceAccount}".`);
  const context = parseContext(opts.context ?? []);
  const { target, clients } = await prepareTarget(opts, deps);
  try {
    const r = await simulate(
      {
        principalArn: opts.principal!,
        action: opts.action!,
        resourceArn: opts.resource!,
        resourceAccount: opts.resourceAccount,
        context,
        sessionName: opts.sessionName,
        explain: opts.explain,
      },
      {
        iam: clients.iam,
        s3: clients.s3,
        crossCheck: target.kind === 'aws',
        organizations: target.kind === 'aws' ? clients.organizations : undefined,
        region: target.region,
      },
    );
    if (opts.json) {
      deps.io.out(
        JSON.stringify({
          target: target.kind,
          ...r.request,
          decision: r.result.decision,
          sentence: r.sentence,
          decidingStatements: r.result.decidingStatements,
          implicitDeny: r.result.implicitDeny ?? null,
          accessDenied: r.accessDenied ?? null,
          policiesRead: r.policiesRead,
          unknownKeys: r.unknownKeys,
          explanation: r.explanation ?? null,
          aws: r.aws ?? null,
        }),
      );
      return EXIT.OK;
    }
    const colour = r.result.decision === 'Allowed' ? 'green' : 'red';
    const as = r.request.callerArn === r.request.principalArn ? '' : ` (a session of ${r.request.roleArn})`;
    deps.io.out(`${paint(deps.io, 'bold', r.request.action)} on ${r.request.resourceArn} by ${r.request.callerArn}${as}`);
    deps.io.out(`${paint(deps.io, colour, r.result.decision)}: ${r.sentence}`);
    for (const ref of r.result.decidingStatements)
      deps.io.out(`  ${ref.effect.padEnd(5)} ${describeStatement(ref)}${ref.policyArn ? ` (${ref.policyArn})` : ''}`);
    if (r.accessDenied) deps.io.out(`AWS would answer: ${r.accessDenied}`);
    if (r.explanation) {
      deps.io.out('Policies AWS consults, in its order:');
      for (const s of r.explanation) deps.io.out(`  ${s.step}. ${s.policy}: ${s.why}`);
    }
    if (r.unknownKeys.length)
      deps.io.out(paint(deps.io, 'dim', `Not read from the target, and not needed for this decision: ${r.unknownKeys.join(', ')}.`));
    deps.io.out(paint(deps.io, 'dim', `Policies read on ${target.kind}: ${r.policiesRead.join('; ') || 'none'}.`));
    if (r.aws) {
      const verdict = r.aws.agrees ? paint(deps.io, 'green', 'agrees') : paint(deps.io, 'yellow', 'differs');
      deps.io.out(
        `AWS policy simulator: ${r.aws.awsDecision}; breakfix over the same inputs: ${r.aws.engineDecision} (${verdict}; ${r.aws.scope}).`,
      );
    } else {
      deps.io.out(
        paint(
          deps.io,
          'dim',
          `Not cross-checked with iam:SimulatePrincipalPolicy: ${target.kind} is an emulator, so only breakfix's engine decides.`,
        ),
      );
    }
    return EXIT.OK;
  } finally {
    clients.destroy();
  }
}
