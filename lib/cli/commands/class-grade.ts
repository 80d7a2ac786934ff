import { writeFileSync } from 'node:fs';
import type { CommandDeps } from '../common';
import { parsePositiveInt } from '../common';
import { EnvironmentError, UsageError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import { paint, Style } from '../io';
import { findScenario } from '../scenario-lookup';
import type { ScenarioDefinition } from '../../scenario/types';
import { loadRoster } from '../../class/roster';
import { CellStatus, gradeClass } from '../../class/grade';
import { classToJson, classToJunit, classToText } from '../../class/report';
import { ClassTargetOptions, withTargetDefaults } from '../class-target';

export interface ClassGradeOptions extends ClassTargetOptions {
  readonly roster: string;
  readonly scenarios?: string;
  readonly json?: boolean;
  readonly junit?: string;
  readonly concurrency?: string;
  readonly debug?: boolean;
}

/** `--scenarios a,b`: known IDs (unknown ones suggest the closest), default all. */
export function pickScenarios(all: readonly ScenarioDefinition[], list: string | undefined): ScenarioDefinition[] {
  if (list === undefined) return [...all];
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError('bad-option', '--scenarios needs at least one scenario ID.');
  return [...new Set(ids)].map((id) => findScenario(all, id));
}

const STYLE: Record<CellStatus, Style> = { fixed: 'green', 'not-fixed': 'yellow', error: 'red', 'not-deployed': 'dim' };

/**
 * Grades every learner x scenario of a roster. Exits 0 once every cell is
 * graded, whatever the cells say: an unreachable learner is an `error` cell.
 */
export async function runClassGrade(opts: ClassGradeOptions, deps: CommandDeps): Promise<number> {
  const scenarios = pickScenarios(deps.scenarios, opts.scenarios);
  const concurrency = opts.concurrency !== undefined ? parsePositiveInt(opts.concurrency, '--concurrency') : undefined;
  const roster = withTargetDefaults(loadRoster(opts.roster), opts);
  const report = await gradeClass(roster, scenarios, { concurrency, env: deps.env });
  if (opts.junit) {
    try {
      writeFileSync(opts.junit, classToJunit(report));
    } catch (err) {
      throw new EnvironmentError('cannot-write', `Cannot write the JUnit report to ${opts.junit}: ${(err as Error).message}`, err);
    }
  }
  deps.io.out(opts.json ? classToJson(report) : classToText(report, (s, t) => paint(deps.io, STYLE[s], t)));
  return EXIT.OK;
}
