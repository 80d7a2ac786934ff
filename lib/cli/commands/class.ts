import type { Command } from 'commander';
import type { CommandDeps } from '../common';
import { runClassGrade } from './class-grade';

/** `breakfix class grade|serve`: the instructor's view of a whole workshop. */
export function registerClassCommands(program: Command, deps: CommandDeps, set: (code: number) => void, exitHelp: string): void {
  const cls = program.command('class').description('instructors: grade a whole class from a roster, or serve a live dashboard');
  cls
    .command('grade')
    .description('grade every learner x scenario of a roster, in parallel')
    .requiredOption('--roster <file>', 'roster file (.csv, .yaml or .yml)')
    .option('--scenarios <ids>', 'comma-separated scenario IDs (default: all)')
    .option('--json', 'machine-readable output')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--concurrency <n>', 'cells graded at once (default 8)')
    .option('--debug', 'print stack traces on errors')
    .addHelpText('after', exitHelp)
    .action(async (o) => set(await runClassGrade(o, deps)));
  for (const cmd of [cls, ...cls.commands]) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => deps.io.out(s.replace(/\n$/, '')), writeErr: (s) => deps.io.err(s.replace(/\n$/, '')) });
  }
}
