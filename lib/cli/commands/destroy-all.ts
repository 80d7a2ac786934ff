import type { CommandDeps } from '../common';
import { confirmOnRealAws, prepareTarget } from '../common';
import { UsageError } from '../../core/errors';
import { EXIT } from '../exit-codes';
import { paint } from '../io';
import { withProgress } from '../progress';
import { destroyAll, findManagedStacks, partitionKnown } from '../../ops/destroy-all';
import { DestroyOptions, runDestroy } from './destroy';

export interface DestroyCommandOptions extends DestroyOptions {
  readonly all?: boolean;
  readonly includeUnknown?: boolean;
}

/** `destroy <id>` or `destroy --all [--learner NAME] [--include-unknown]`. */
export async function runDestroyCommand(id: string | undefined, opts: DestroyCommandOptions, deps: CommandDeps): Promise<number> {
  if (opts.all) {
    if (id !== undefined)
      throw new UsageError(
        'bad-option',
        `destroy --all removes every breakfix lab, so it takes no scenario ID (got "${id}"); narrow it with --learner.`,
      );
    return runDestroyAll(opts, deps);
  }
  if (opts.includeUnknown) throw new UsageError('bad-option', '--include-unknown goes with --all only.');
  if (id === undefined) throw new UsageError('bad-option', 'destroy needs a scenario ID, or --all for every breakfix lab on the target.');
  return runDestroy(id, opts, deps);
}

/**
 * Removes every lab breakfix deployed on the target (found by its tags),
 * or one learner's, and reports what went. It first lists what it will
 * remove; labs of scenarios this breakfix does not know stay unless
 * --include-unknown. On real AWS it needs the sandbox allow-list, and
 * confirmation unless --yes.
 */
export async function runDestroyAll(opts: DestroyCommandOptions, deps: CommandDeps): Promise<number> {
  const who = opts.learner ? ` of learner ${opts.learner}` : '';
  const result = await withProgress(deps.io, `Destroying every breakfix lab${who}`, async (progress) => {
    const { target, clients, learner } = await prepareTarget(opts, deps, { mutating: true, progress });
    const stacks = await findManagedStacks(clients, learner);
    const { known, unknown } = partitionKnown(stacks, deps.scenarios);
    const going = opts.includeUnknown ? stacks : known;
    if (!opts.json) {
      if (going.length) deps.io.out(`Will remove ${going.length} lab(s):`);
      for (const s of going)
        deps.io.out(`  - ${s.stackName} (scenario ${s.scenario ?? 'unknown'}${s.learner ? `, learner ${s.learner}` : ''}, ${s.status})`);
    }
    if (going.length > 0)
      await confirmOnRealAws(
        target,
        opts.yes,
        deps,
        `Delete ${going.length} breakfix lab(s) from AWS (${going.map((s) => s.stackName).join(', ')}) and everything learners created in them?`,
        'destroy --all',
      );
    if (!opts.includeUnknown && unknown.length && !opts.json)
      deps.io.out(`Leaving ${unknown.length} lab(s) of scenarios this breakfix does not know (--include-unknown removes them).`);
    return destroyAll({ target, clients, scenarios: deps.scenarios, learner, stacks, progress, includeUnknown: opts.includeUnknown });
  });
  if (opts.json) deps.io.out(JSON.stringify(result));
  else if (result.destroyed.length === 0 && result.failed.length === 0) {
    deps.io.out(`No breakfix labs${who} found on ${result.target}; nothing to remove.`);
  } else {
    for (const d of result.destroyed) {
      deps.io.out(`Destroyed ${d.stackName}${d.learner ? ` (learner ${d.learner})` : ''}.`);
      if (d.stackOwned.length) deps.io.out('  Removed with the stack:');
      for (const r of d.stackOwned) deps.io.out(`    - ${r}`);
      if (d.learnerCreated.length) deps.io.out('  Created or changed outside the stack, removed:');
      for (const r of d.learnerCreated) deps.io.out(`    - ${r}`);
    }
    for (const f of result.failed) deps.io.out(`${paint(deps.io, 'red', 'Not removed:')} ${f.stackName}: ${f.message}`);
  }
  if (!opts.json) for (const s of result.skipped) deps.io.out(`${paint(deps.io, 'yellow', 'Left alone:')} ${s.stackName}: ${s.reason}`);
  if (!opts.json && result.leftovers.length)
    for (const l of result.leftovers) deps.io.out(`${paint(deps.io, 'yellow', 'Still there:')} ${l}`);
  if (result.failed.length || result.leftovers.length) {
    deps.io.err(
      `${paint(deps.io, 'red', 'error:')} ${result.failed.length} lab(s) could not be removed and ${result.leftovers.length} resource(s) remain; see above.`,
    );
    return EXIT.ENVIRONMENT;
  }
  return EXIT.OK;
}
