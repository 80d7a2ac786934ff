import type { Command } from 'commander';
import { UsageError } from '../core/errors';
import type { Roster } from '../class/roster';
import { TARGET_KINDS } from '../targets/target';

/** The dashboard's port unless --port names another. Here, beside the options both class commands share, so `class serve --help` needs no roster parser and class.ts and class-serve.ts do not import each other. */
export const DEFAULT_DASHBOARD_PORT = 7878;

/** The common target options, as class commands take them: defaults for learners the roster leaves unspecified. */
export interface ClassTargetOptions {
  readonly target?: string;
  readonly endpoint?: string;
  readonly region?: string;
}

export function addClassTargetOptions(cmd: Command): Command {
  return cmd
    .option('--target <kind>', 'moto | floci | localstack | aws, for learners the roster gives no target')
    .option('--endpoint <url>', 'emulator endpoint for learners the roster gives none (not for target aws)')
    .option('--region <region>', 'AWS region for learners the roster gives none');
}

/**
 * Fills in what the roster (its own `defaults` included) leaves unspecified
 * from the command line; the roster always wins where it says something. A
 * learner on real AWS never takes the command line's endpoint.
 */
export function withTargetDefaults(roster: Roster, o: ClassTargetOptions): Roster {
  if (o.target !== undefined && !(TARGET_KINDS as readonly string[]).includes(o.target))
    throw new UsageError('unknown-target', `Unknown target "${o.target}": use one of ${TARGET_KINDS.join(', ')}.`);
  if (o.target === 'aws' && o.endpoint)
    throw new UsageError('bad-option', '--endpoint cannot be used with --target aws: real AWS has no custom endpoint.');
  if (o.target === undefined && o.endpoint === undefined && o.region === undefined) return roster;
  const learners = roster.learners.map((l) => {
    const target = (l.target ?? o.target) as (typeof l)['target'];
    const endpoint = l.endpoint ?? (target === 'aws' ? undefined : o.endpoint);
    const region = l.region ?? o.region;
    return { ...l, ...(target ? { target } : {}), ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
  });
  return { ...roster, learners };
}
