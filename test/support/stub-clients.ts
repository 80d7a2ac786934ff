/**
 * Real SDK clients whose answers come from a test instead of a server, for
 * the documented-shapes tests: a middleware at the front of each client's
 * stack answers a command from `respond`, so paginators, the observer and
 * the code under test run exactly as against AWS. `respond` may return
 * PASS_THROUGH to send the command on to the target (a test moto).
 */
import { AwsClients, type AwsClientsOptions } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';

export const PASS_THROUGH = Symbol('send the command to the target');

/** Answers a command by its name (e.g. `ListRolesCommand`) and input; throws to answer with an AWS error. */
export type Respond = (command: string, input: any) => unknown | Promise<unknown>;

export function stubbedClients(target: Target, respond: Respond, opts: AwsClientsOptions = {}): AwsClients {
  return new AwsClients(target, {
    ...opts,
    customize: (client) => {
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
          const answer = await respond(context.commandName ?? 'unknown', args.input);
          if (answer === PASS_THROUGH) return next(args);
          return { output: { $metadata: {}, ...(answer as object) }, response: {} };
        },
        { step: 'initialize', name: 'breakfixDocumentedShapes', priority: 'low' },
      );
      opts.customize?.(client);
    },
  });
}

/** A target for documented-shapes tests: real AWS's code paths, no endpoint, no credentials needed. */
export const AWS_TARGET: Target = { kind: 'aws', region: 'eu-west-1' };
