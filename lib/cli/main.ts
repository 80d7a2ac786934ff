import { Command, CommanderError, Option } from 'commander';
import type { ScenarioDefinition } from '../scenario/types';
import { addCommonOptions, CommandDeps, parsePort, ReachedTarget } from './common';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes';
import { Io, paint, processIo } from './io';
import { classifyError } from '../core/classify';
import { inert } from '../core/inert';
import { registerClassCommands } from './commands/class';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutRoot } from '../targets/moto/server';

/** breakfix's own version, from the package.json of the checkout this runs from. */
export function breakfixVersion(): string {
  return (JSON.parse(readFileSync(join(checkoutRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export { EXIT_CODES_HELP };

export interface MainOptions {
  readonly io?: Io;
  /** The scenario catalog; bin/ assembles it (bin/catalog.ts). */
  readonly scenarios: readonly ScenarioDefinition[];
  readonly env?: NodeJS.ProcessEnv;
}

/** Parses argv (without node and script) and returns the exit code. Errors are caught here, once. */
export async function main(argv: readonly string[], mo: MainOptions): Promise<number> {
  const io = mo.io ?? processIo();
  const reached: ReachedTarget = {};
  const deps: CommandDeps = { io, scenarios: mo.scenarios, env: mo.env, reached };
  let exitCode: number = EXIT.OK;
  const debug = argv.includes('--debug');
  const program = new Command('breakfix')
    .description('Hands-on AWS troubleshooting labs: deploy a broken scenario, diagnose it, fix it, check it.')
    .version(breakfixVersion(), '-V, --version', 'print the version of breakfix')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });

  const withId = (name: string, description: string) =>
    addCommonOptions(program.command(`${name} <id>`).description(description)).addHelpText('after', EXIT_CODES_HELP);
  const set = (code: number) => {
    exitCode = code;
  };

  program
    .command('list')
    .description('list scenarios, their services, difficulty and what each target shows')
    .option('--explain', "instructors: also each variant's cause (spoilers)")
    .option('--json', 'machine-readable output')
    .action(async (o) => set(await (await import('./commands/list')).runList(o, deps)));
  withId('deploy', 'deploy a scenario in its broken state and verify the fault is armed')
    .option('--variant <id>', 'which cause to arm (default: derived from --learner, else the first)')
    .option('--yes', 'do not ask for confirmation (real AWS)')
    .option('--explain', 'instructors: also show the variant and the armed fault (spoilers)')
    .option('--json', 'machine-readable output')
    .action(async (id, o) => set(await (await import('./commands/deploy')).runDeploy(id, o, deps)));
  withId('status', 'show the symptom, as AWS would show it')
    .option('--explain', 'instructors: also show the variant and why the symptom happens (spoilers)')
    .option('--json', 'machine-readable output')
    .action(async (id, o) => set(await (await import('./commands/status')).runStatus(id, o, deps)));
  withId('check', 'grade the live state: exit 0 when fixed, 1 when not yet')
    .option('--json', 'machine-readable output')
    .option('--junit <file>', 'also write a JUnit XML report')
    .action(async (id, o) => set(await (await import('./commands/check')).runCheckCommand(id, o, deps)));
  withId('hint', 'reveal the next hint level (each level has a cost)')
    .option('--level <n>', 'show a level already reached, or the next one')
    .option('--variant <id>', 'hints for a variant when no lab is deployed')
    .option('--json', 'machine-readable output')
    .action(async (id, o) => set(await (await import('./commands/hint')).runHint(id, o, deps)));
  withId('solution', 'show the instructor solution (asks first; recorded as used)')
    .option('--yes', 'do not ask for confirmation')
    .option('--variant <id>', 'solution for a variant when no lab is deployed')
    .action(async (id, o) => set(await (await import('./commands/solution')).runSolution(id, o, deps)));
  withId('reset', 'back to the broken state, whatever the learner changed')
    .option('--yes', 'do not ask for confirmation (real AWS)')
    .option('--json', 'machine-readable output')
    .action(async (id, o) => set(await (await import('./commands/reset')).runReset(id, o, deps)));
  addCommonOptions(
    program.command('env').description('print shell exports that point the aws CLI and SDKs at the lab: eval "$(breakfix env)"'),
  )
    .option('--json', 'machine-readable output')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (o) => set(await (await import('./commands/env')).runEnv(o, deps)));
  addCommonOptions(
    program
      .command('destroy [id]')
      .description('remove the lab and everything the learner created in it; --all: every breakfix lab on the target, found by tags'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .option('--all', "every lab breakfix deployed here (with --learner: that learner's), instead of one scenario")
    .option(
      '--include-unknown',
      "with --all: also labs of scenarios this breakfix does not know (removed without their scenario's cleanup)",
    )
    .option('--yes', 'do not ask for confirmation (real AWS)')
    .option('--json', 'machine-readable output')
    .action(async (id, o) => set(await (await import('./commands/destroy-all')).runDestroyCommand(id, o, deps)));

  addCommonOptions(
    program
      .command('simulate')
      .description(
        "the policy simulator: would this principal be allowed this action on this resource, and which statement decides? (live policies, breakfix's IAM engine; cross-checked with AWS's simulator on --target aws)",
      ),
  )
    .requiredOption('--principal <arn>', 'IAM role or role session (assumed-role) ARN')
    .requiredOption('--action <action>', 'e.g. s3:DeleteObject')
    .requiredOption('--resource <arn>', 'resource ARN, e.g. arn:aws:s3:::bucket/key')
    .option('--resource-account <id>', "account that owns the resource (default: the principal's)")
    .option(
      '--context <key=value>',
      'request context key, repeatable (e.g. aws:SourceVpce=vpce-1a2b3c4d)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--session-name <name>',
      'session name when --principal is a role (default: breakfix-simulate); AWS names the caller by its session',
    )
    .option('--explain', 'show every policy consulted, in AWS evaluation order, and what each did')
    .option('--json', 'machine-readable output')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (o) => set(await (await import('./commands/simulate')).runSimulate(o, deps)));

  registerClassCommands(program, deps, set, EXIT_CODES_HELP);

  const emulator = program.command('emulator').description('manage the embedded moto emulator');
  const port = () => new Option('--port <port>', 'TCP port on 127.0.0.1').argParser(parsePort);
  emulator
    .command('start')
    .description('start it in the background (free port unless --port)')
    .addOption(port())
    .option('--json', 'machine-readable output')
    .option('--debug', 'print stack traces on errors')
    .action(async (o) => set(await (await import('./commands/emulator')).runEmulatorStart(o, deps)));
  emulator
    .command('stop')
    .description('stop the emulator(s) breakfix started')
    .addOption(port())
    .option('--json', 'machine-readable output')
    .option('--debug', 'print stack traces on errors')
    .action(async (o) => set(await (await import('./commands/emulator')).runEmulatorStop(o, deps)));
  emulator
    .command('status')
    .description('show emulators breakfix started')
    .option('--json', 'machine-readable output')
    .option('--debug', 'print stack traces on errors')
    .action(async (o) => set(await (await import('./commands/emulator')).runEmulatorStatus(o, deps)));
  for (const cmd of [...program.commands, ...emulator.commands])
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      // Commander already printed its one-line message.
      return EXIT.USAGE;
    }
    const classified = classifyError(err);
    io.err(`${paint(io, 'red', 'error:')} ${inert(unreachableWording(classified, reached) ?? classified.message)}`);
    if (debug) {
      io.err(`code: ${classified.code} (fault: ${classified.fault})`);
      io.err(String((err as Error)?.stack ?? err));
    }
    return exitCodeFor(classified.fault);
  }
}

/**
 * An unreachable endpoint, worded for where it was: real AWS is not an
 * emulator that may be stopped, and an endpoint from AWS_ENDPOINT_URL is
 * fixed there, not with --endpoint.
 */
export function unreachableWording(classified: { code: string; message: string }, reached: ReachedTarget): string | undefined {
  if (classified.code !== 'endpoint-unreachable' || !reached.target) return undefined;
  const cause = /\(([^)]*)\)/.exec(classified.message)?.[1] ?? 'no answer';
  const t = reached.target;
  if (t.kind === 'aws') return `AWS in ${t.region} is unreachable from here (${cause}); check the network connection, proxy or firewall.`;
  if (reached.endpointSource === 'AWS_ENDPOINT_URL')
    return `The endpoint ${t.endpoint}, taken from AWS_ENDPOINT_URL, is unreachable (${cause}); start the emulator there, or unset AWS_ENDPOINT_URL to use the embedded emulator.`;
  if (reached.endpointSource === 'embedded')
    return `The embedded emulator at ${t.endpoint} stopped answering (${cause}); run \`breakfix emulator status\`, or \`breakfix emulator stop\` and deploy again.`;
  return undefined;
}
