import { writeFileSync } from 'node:fs';
import type { CommandDeps, CommonOptions } from '../common';
import { prepareTarget } from '../common';
import { EnvironmentError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import { paint } from '../io';
import { findScenario } from '../scenario-lookup';
import { findLab, openLab } from '../../ops/lab';
import { checkScenario, lostLabEvidence, lostLabReport } from '../../ops/check';
import { updateProgress } from '../../ops/progress-store';
import { toJson } from '../../../checkers/reporters/json';
import { toJunit } from '../../../checkers/reporters/junit';
import { toText } from '../../../checkers/reporters/text';

export interface CheckOptions extends CommonOptions {
  readonly json?: boolean;
  readonly junit?: string;
}

export async function runCheckCommand(id: string, opts: CheckOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  const { target, clients, learner } = await prepareTarget(opts, deps);
  // A lab whose stack is gone although it existed gets a not-fixed verdict that says so, not "run deploy".
  const found = await findLab(scenario, target, { learner, clients });
  const evidence = found.stack ? [] : await lostLabEvidence(scenario, found.ctx, found.record);
  const { ctx } = found.stack || evidence.length ? found : await openLab(scenario, target, { learner, clients });
  const report = found.stack ? await checkScenario(scenario, ctx) : lostLabReport(scenario, ctx, evidence);
  if (opts.junit) {
    try {
      writeFileSync(opts.junit, toJunit([report]));
    } catch (err) {
      throw new EnvironmentError('cannot-write', `Cannot write the JUnit report to ${opts.junit}: ${(err as Error).message}`, err);
    }
  }
  if (report.verdict === 'fixed') {
    updateProgress(target, ctx.stackName, { scenario: id, learner }, (p) => {
      p.firstFixedAt ??= new Date().toISOString();
    });
  }
  deps.io.out(opts.json ? toJson(report) : toText(report, { paint: (s, t) => paint(deps.io, s, t) }));
  return report.verdict === 'fixed' ? EXIT.OK : EXIT.NOT_FIXED;
}
