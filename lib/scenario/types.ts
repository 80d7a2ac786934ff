import type { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Criterion } from '../../checkers/criterion';
import type { AwsClients } from '../targets/clients';
import type { Target, TargetKind } from '../targets/target';
import type { ScenarioMeta } from './meta';
import type { Probes } from '../cleanup/inventory';
import type { ArmedRecord } from '../targets/lab-record';
import type { ReadView } from './read-view';

/** How faithfully a target shows a scenario's symptom. */
export type Fidelity = 'authentic' | 'derived' | 'unsupported';

export interface ScenarioStackProps {
  /** Stack name: the scenario ID, prefixed with the learner name when given. */
  readonly stackName: string;
  readonly scenarioId: string;
  readonly learner?: string;
  /** Variant ID from scenario.json; the first variant is the default. */
  readonly variant: string;
  /** Which target the stack is synthesized for; emulators get no Lambda-backed steps. */
  readonly targetKind: TargetKind;
  readonly region?: string;
  readonly account?: string;
}

/** Everything a scenario hook or checker needs at run time. */
export interface ScenarioContext {
  readonly scenarioId: string;
  readonly stackName: string;
  readonly learner?: string;
  readonly variant: string;
  /** breakfix's own record of arming this lab (BREAKFIX_HOME), when the command found one; never a stack tag. */
  readonly armed?: ArmedRecord;
  readonly target: Target;
  readonly clients: AwsClients;
  /**
   * The round's per-account read view, when class grading shares one across the labs of an account;
   * absent elsewhere (a gather that wants one makes its own with withReadView). Optional: a gather may
   * read through `clients` alone.
   */
  readonly view?: ReadView;
  /** Progress for slow steps (stderr); never used for results. */
  readonly progress: (message: string) => void;
}

/** The symptom as AWS would show it; `derived` when computed from live state on an emulator. */
export interface Symptom {
  readonly source: 'authentic' | 'derived';
  /** The headline, in AWS's own format (e.g. a stopped reason). */
  readonly summary: string;
  /** Supporting lines (events, resources involved). */
  readonly details: string[];
  /** Why it is derived and from what; present when `source` is `derived`. */
  readonly derivation?: string;
  /**
   * Why the symptom happens (the cause: which statement, which route table).
   * A spoiler AWS would not show: `status` prints it only with `--explain`.
   */
  readonly explanation?: string[];
}

export interface ArmedResult {
  readonly armed: boolean;
  /** Facts observed, each naming a resource. */
  readonly facts: string[];
}

/**
 * A scenario: one folder under scenarios/<id>/. The folder name is the ID,
 * the stack name and the CLI argument.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- catalogs hold scenarios of different snapshot types side by side.
export interface ScenarioDefinition<S = any> {
  readonly id: string;
  readonly meta: ScenarioMeta;
  /** Absolute path of the scenario folder (docs live there). */
  readonly dir: string;
  /** Absolute path of the folder its code runs from (dist/scenarios/<id> when compiled; `dir` under ts-jest). */
  readonly codeDir?: string;
  buildStack(scope: Construct, props: ScenarioStackProps): Stack;
  /** Reads all live state the criteria need, in parallel where possible. Read-only. */
  gather(ctx: ScenarioContext): Promise<S>;
  readonly criteria: readonly Criterion<S>[];
  /** The symptom the learner would see. Read-only. */
  symptom(ctx: ScenarioContext): Promise<Symptom>;
  /** After deploy: is the broken property really present in live state? Read-only. */
  verifyArmed(ctx: ScenarioContext): Promise<ArmedResult>;
  /** Steps after the CloudFormation deploy (seed an image, trigger a failing update, ...). */
  afterDeploy?(ctx: ScenarioContext): Promise<void>;
  /**
   * Removes what the learner may have created outside the stack (endpoints,
   * routes, gateways). Returns one line per resource removed.
   */
  sweepLearnerResources?(ctx: ScenarioContext): Promise<string[]>;
  /** After the stack is gone: removes what the stack retained (DeletionPolicy Retain). */
  afterStackDeleted?(ctx: ScenarioContext): Promise<string[]>;
  /** Resources left after destroy, each one line; empty means clean. */
  leftovers?(ctx: ScenarioContext): Promise<string[]>;
  /** Leftover probes for resource types of this scenario's stack that breakfix's own probes do not cover. */
  readonly probes?: Probes;
}
