import type { ScenarioContext, ScenarioDefinition } from '../scenario/types';
import { AwsClients, AwsClientsOptions } from '../targets/clients';
import type { Target } from '../targets/target';
import { stackNameFor } from '../scenario/naming';
import type { ArmedRecord } from '../targets/lab-record';
import type { ReadView } from '../scenario/read-view';

export interface ContextOptions {
  readonly scenario: ScenarioDefinition;
  readonly target: Target;
  readonly learner?: string;
  readonly variant: string;
  readonly armed?: ArmedRecord;
  readonly clients?: AwsClients;
  /** The round's read view (class grading); its clients must be `clients`. */
  readonly view?: ReadView;
  readonly clientOptions?: AwsClientsOptions;
  readonly progress?: (message: string) => void;
}

export function makeContext(opts: ContextOptions): ScenarioContext {
  return {
    scenarioId: opts.scenario.id,
    stackName: stackNameFor(opts.scenario.id, opts.learner),
    learner: opts.learner,
    variant: opts.variant,
    ...(opts.armed ? { armed: opts.armed } : {}),
    ...(opts.view ? { view: opts.view } : {}),
    target: opts.target,
    clients: opts.clients ?? new AwsClients(opts.target, opts.clientOptions),
    progress: opts.progress ?? (() => undefined),
  };
}
