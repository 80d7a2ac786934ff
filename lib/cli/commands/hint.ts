import type { CommandDeps, CommonOptions } from '../common';
import { parsePositiveInt, prepareTarget, validateLearner } from '../common';
import { BreakfixError, UsageError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import { paint } from '../io';
import { findScenario } from '../scenario-lookup';
import { readHints } from '../../scenario/docs';
import { assertKnownVariant } from '../../scenario/naming';
import { openLab } from '../../ops/lab';
import { getProgress, updateProgress } from '../../ops/progress-store';
import type { ScenarioDefinition } from '../../scenario/types';
import type { Target } from '../../targets/target';

export interface HintOptions extends CommonOptions {
  readonly level?: string;
  readonly variant?: string;
  readonly json?: boolean;
}

/** The deployed variant when a lab exists; otherwise --variant or the default. */
export async function labVariant(
  scenario: ScenarioDefinition,
  opts: CommonOptions & { variant?: string },
  deps: CommandDeps,
): Promise<{ variant: string; target?: Target; stackName?: string }> {
  if (opts.variant !== undefined) return { variant: assertKnownVariant(scenario.meta, opts.variant) };
  try {
    const { target, clients, learner } = await prepareTarget(opts, deps);
    // Hints only pick a text by variant, so a lab breakfix did not arm (a tag naming a variant this target runs) still gets its own.
    const { ctx } = await openLab(scenario, target, { learner, clients, requireArmed: false });
    return { variant: ctx.variant, target, stackName: ctx.stackName };
  } catch (err) {
    if (err instanceof BreakfixError && err.fault === 'environment') return { variant: scenario.meta.variants[0].id };
    throw err;
  }
}

export async function runHint(id: string, opts: HintOptions, deps: CommandDeps): Promise<number> {
  const scenario = findScenario(deps.scenarios, id);
  const learner = validateLearner(opts.learner);
  const asked = opts.level !== undefined ? parsePositiveInt(opts.level, '--level') : undefined;
  const { variant, target, stackName } = await labVariant(scenario, opts, deps);
  const hints = readHints(scenario, variant);
  const seen = target && stackName ? (getProgress(target, stackName)?.hintsSeen ?? []) : [];
  const reached = seen.length ? Math.max(...seen) : 0;
  const next = Math.min(hints.length, reached + 1);
  // Every level revealed: say so, rather than repeat the last one as if it were new.
  const noMore = asked === undefined && reached >= hints.length;
  const level = asked ?? next;
  if (level > hints.length)
    throw new UsageError('hint-level', `Scenario ${id} has ${hints.length} hint levels; there is no level ${level}.`);
  if (level > next)
    throw new UsageError(
      'hint-level',
      `Hints are revealed one at a time: level ${next} comes before level ${level} (run \`breakfix hint ${id}\`).`,
    );
  const hint = hints[level - 1];
  const cost = scenario.meta.hints.find((h) => h.level === level)?.cost ?? 0;
  if (target && stackName) {
    updateProgress(target, stackName, { scenario: id, learner }, (p) => {
      if (!p.hintsSeen.includes(level)) p.hintsSeen.push(level);
      p.hintsSeen.sort((a, b) => a - b);
    });
  }
  if (opts.json) {
    deps.io.out(
      JSON.stringify({ scenario: id, variant, level, of: hints.length, cost, title: hint.title, text: hint.body, noMoreHints: noMore }),
    );
  } else {
    if (noMore)
      deps.io.out(
        paint(deps.io, 'yellow', `No more hints: all ${hints.length} are revealed. The last one again, at no extra cost:`) + '\n',
      );
    deps.io.out(paint(deps.io, 'bold', `Hint ${level}/${hints.length}: ${hint.title}`) + paint(deps.io, 'dim', ` (cost ${cost} points)`));
    deps.io.out(hint.body);
    if (level < hints.length) deps.io.out(paint(deps.io, 'dim', `\nMore: breakfix hint ${id}${learner ? ` --learner ${learner}` : ''}`));
    else if (!noMore)
      deps.io.out(
        paint(
          deps.io,
          'dim',
          `\nThat was the last hint; \`breakfix solution ${id}${learner ? ` --learner ${learner}` : ''}\` shows the solution.`,
        ),
      );
  }
  return EXIT.OK;
}
