import { Option, type Command } from 'commander';
import type { CommandDeps } from '../common';
import { parsePort } from '../common';
import { addClassTargetOptions, DEFAULT_DASHBOARD_PORT } from '../class-target';

/** `breakfix class grade|serve`: the instructor's view of a whole workshop. */
export function registerClassCommands(program: Command, deps: CommandDeps, set: (code: number) => void, exitHelp: string): void {
  const cls = program.command('class').description('instructors: grade a whole class from a roster, or serve a live dashboard');
  addClassTargetOptions(cls.command('grade'))
    .description('grade every learner x scenario of a roster, in parallel')
    .requiredOption('--roster <file>', 'roster file (.csv, .yaml or .yml)')
    .option('--scenarios <ids>', 'comma-separated scenario IDs (default: all)')
    .option('--json', 'machine-readable output')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--concurrency <n>', 'cells graded at once per account (default 8)')
    .option('--debug', 'print stack traces on errors')
    .addHelpText('after', exitHelp)
    .action(async (o) => set(await (await import('./class-grade')).runClassGrade(o, deps)));
  addClassTargetOptions(cls.command('serve'))
    .description('serve a live dashboard: learners x scenarios, hints, time since deploy; regraded in the background')
    .requiredOption('--roster <file>', 'roster file (.csv, .yaml or .yml); re-read every round')
    .addOption(new Option('--port <port>', `TCP port (default ${DEFAULT_DASHBOARD_PORT})`).argParser(parsePort))
    .option('--host <host>', 'address to bind (default 127.0.0.1: this machine only)')
    .option('--scenarios <ids>', 'comma-separated scenario IDs (default: all)')
    .option('--interval <seconds>', 'pause between grading rounds (default 15)')
    .option('--concurrency <n>', 'cells graded at once per account (default 8)')
    .option('--debug', 'print stack traces on errors')
    .addHelpText('after', exitHelp)
    .action(async (o) => set(await (await import('./class-serve')).runClassServe(o, deps)));
  for (const cmd of [cls, ...cls.commands]) {
    cmd
      .exitOverride()
      .configureOutput({ writeOut: (s) => deps.io.out(s.replace(/\n$/, '')), writeErr: (s) => deps.io.err(s.replace(/\n$/, '')) });
  }
}
