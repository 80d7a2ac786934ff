/**
 * Class grading: every learner x scenario, in parallel under a concurrency
 * limit. Each cell is graded with the same read-only checker `breakfix check`
 * runs; a learner who cannot be reached, or a check that cannot run, is an
 * `error` cell and never stops the others.
 */
import { classifyError } from '../core/classify';
import { blockingResults } from '../../checkers/criterion';
import { checkScenario } from '../ops/check';
import { makeContext } from '../ops/context';
import { getProgress, updateProgress } from '../ops/progress-store';
import { StackState, busySentence, isBusy } from '../engines/cfn/stack-state';
import { ReadView } from '../scenario/read-view';
import { TAG_VARIANT, assertKnownVariant, assertRunsOn, chooseVariant, stackNameFor, variantsFor } from '../scenario/naming';
import { ArmedRecord, readArmedRecord, recordMatches } from '../targets/lab-record';
import type { ScenarioDefinition } from '../scenario/types';
import { AwsClients, AwsClientsOptions } from '../targets/clients';
import { resolveTarget } from '../targets/resolve';
import type { Target } from '../targets/target';
import { assumeRoleCredentials } from './assume-role';
import { mapWithLimit } from '../core/pool';
import type { Roster, RosterLearner } from './roster';

export type CellStatus = 'fixed' | 'not-fixed' | 'error' | 'not-deployed';

/**
 * Where a graded lab's variant came from. Never a stack tag and never the
 * learner's name: a learner can change the one, and deploy another variant
 * than the other suggests.
 * - `breakfix-record`: this machine's record of arming this very stack (StackId and CreationTime match);
 * - `roster`: the variant the instructor assigned in the roster; this machine has no record of arming the stack;
 * - `only-variant`: the scenario has one variant on the target; this machine has no record of arming the stack;
 * - `missing`: none of these, so the lab is not graded.
 */
export type EvidenceSource = 'breakfix-record' | 'roster' | 'only-variant' | 'missing';

export interface LabEvidence {
  readonly source: EvidenceSource;
  /** One sentence when the arm evidence is missing or partial; absent for `breakfix-record`. */
  readonly note?: string;
}

export interface GradeCell {
  readonly learner: string;
  readonly scenario: string;
  readonly status: CellStatus;
  /** One sentence: the first failing criterion, the error, or why nothing is graded. */
  readonly message: string;
  readonly variant?: string;
  /** Where the variant and arm evidence came from, for a lab whose stack is there. */
  readonly evidence?: LabEvidence;
  /** Criteria that did not pass, when a check ran. */
  readonly failing: readonly { id: string; status: string; message: string }[];
  /** Hint levels the learner revealed, and what they cost (scenario.json). */
  readonly hints: { readonly seen: readonly number[]; readonly cost: number };
  readonly solutionSeen: boolean;
  /** When the lab was deployed: breakfix's progress store, else the stack's creation time. */
  readonly deployedAt?: string;
  /** When a check (or class grading) first saw it fixed. */
  readonly firstFixedAt?: string;
  /** When this cell's live state was read (the end of its grading), ISO 8601. */
  readonly gradedAt: string;
  readonly durationMs: number;
}

export interface ClassReport {
  readonly roster: string;
  readonly generatedAt: string;
  readonly durationMs: number;
  readonly learners: readonly string[];
  readonly scenarios: readonly string[];
  readonly cells: readonly GradeCell[];
  readonly counts: Record<CellStatus, number>;
}

export interface GradeOptions {
  /** Cells graded at once in one account (one target, Region and grader role). @default 8 */
  readonly concurrency?: number;
  /** Accounts graded at once; each has its own `concurrency`, clients and read view. @default 16 */
  readonly accountConcurrency?: number;
  /** SDK attempts per call; the SDK's adaptive retry mode backs off on throttling and slows its own sending. @default 8 */
  readonly maxAttempts?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Extra client options (tests observe calls through this). */
  readonly clientOptions?: Omit<AwsClientsOptions, 'credentials' | 'maxAttempts'>;
  readonly now?: () => Date;
  /** Called with each account's grading clients once built (benchmarks record calls through this). */
  readonly onClients?: (clients: AwsClients) => void;
  /** Called with each cell as soon as it is graded (the dashboard fills in while a round runs). */
  readonly onCell?: (cell: GradeCell) => void;
}

interface LearnerPlace {
  readonly target: Target;
  readonly clients: AwsClients;
  /** This round's reads of the account, shared by every lab graded in it. */
  readonly view: ReadView;
}

/**
 * Learners whose labs are read the same way share one account place: the same target, endpoint, Region and
 * grader role mean the same account and the same permissions. On one emulator that is the whole class.
 */
function accountKey(learner: RosterLearner): string {
  return JSON.stringify([learner.target, learner.endpoint ?? '', learner.region ?? '', learner.roleArn ?? '', learner.externalId ?? '']);
}

/** Resolves where an account's labs are and the clients that read them (through its grader role, if any). */
async function openAccount(learner: RosterLearner, opts: GradeOptions): Promise<LearnerPlace> {
  const place = await openAccountPlace(learner, opts);
  opts.onClients?.(place.clients);
  return { ...place, view: new ReadView(place.clients) };
}

async function openAccountPlace(learner: RosterLearner, opts: GradeOptions): Promise<Omit<LearnerPlace, 'view'>> {
  const target = await resolveTarget(
    { target: learner.target, endpoint: learner.endpoint, region: learner.region },
    { startEmbedded: false, env: opts.env },
  );
  const maxAttempts = opts.maxAttempts ?? 8;
  // Adaptive retry: each account's clients slow their own sending when that account throttles.
  const retryMode = 'adaptive';
  if (!learner.roleArn) return { target, clients: new AwsClients(target, { ...opts.clientOptions, maxAttempts, retryMode }) };
  const base = new AwsClients(target, { maxAttempts, retryMode });
  const credentials = assumeRoleCredentials({
    roleArn: learner.roleArn,
    externalId: learner.externalId,
    sts: base.sts,
    sessionName: `breakfix-grader-${learner.name}`,
  });
  // Fail here, once per learner, rather than in every cell.
  await credentials();
  return { target, clients: new AwsClients(target, { ...opts.clientOptions, credentials, maxAttempts, retryMode }) };
}

type Evidence =
  | { readonly variant: string; readonly armed?: ArmedRecord; readonly evidence: LabEvidence }
  | { readonly problem: string; readonly evidence: LabEvidence };

/**
 * The variant to grade a live lab with, and the evidence for it: this
 * machine's record of arming the very stack, else the roster's assignment,
 * else the scenario's only variant on the target. A stack tag that disagrees
 * with the roster, a record of another stack under the same name, or no
 * evidence at all leave the lab ungraded with one sentence saying why.
 */
function labEvidence(scenario: ScenarioDefinition, learner: RosterLearner, target: Target, stack: StackState): Evidence {
  const stackName = stack.stackName;
  const live = { stackName, stackId: stack.stackId, creationTime: stack.raw.CreationTime };
  const record = readArmedRecord(target, live);
  const assigned = learner.variants?.[scenario.id];
  const again = `breakfix reset ${scenario.id} --learner ${learner.name}`;
  if (record && record.scenario === scenario.id && recordMatches(record, live)) {
    const variant = assertKnownVariant(scenario.meta, record.variant);
    if (assigned && assigned !== variant)
      return {
        problem: `Stack ${stackName} was armed by breakfix as variant ${variant}, but the roster assigns ${learner.name} variant ${assigned} of ${scenario.id}; \`${again} --variant ${assigned}\` arms the assigned one.`,
        evidence: { source: 'breakfix-record' },
      };
    return { variant, armed: record, evidence: { source: 'breakfix-record' } };
  }
  if (record)
    return {
      problem: `Stack ${stackName} (${stack.stackId}) is not the stack this machine armed (${record.stackId}, created ${record.creationTime}): it was re-created outside breakfix, so its variant and arming are unknown; \`${again}\` arms a fresh lab.`,
      evidence: { source: 'missing', note: 'the stack was re-created outside breakfix' },
    };
  const here = variantsFor(scenario.meta, target.kind);
  const unrecorded = `this machine has no record of arming stack ${stackName}`;
  if (assigned) {
    const variant = chooseVariant(scenario.meta, target.kind, { variant: assigned }); // a name the scenario has, runnable here
    const tagged = stack.tags[TAG_VARIANT];
    if (tagged !== undefined && tagged !== variant)
      return {
        problem: `Stack ${stackName} is tagged ${TAG_VARIANT}=${tagged}, but the roster assigns ${learner.name} variant ${variant} of ${scenario.id} and ${unrecorded}, so which lab it is cannot be told; \`${again} --variant ${variant}\` arms the assigned one.`,
        evidence: { source: 'missing', note: `${unrecorded}, and its tag disagrees with the roster` },
      };
    return { variant, evidence: { source: 'roster', note: `${unrecorded}; graded as variant ${variant}, which the roster assigns` } };
  }
  if (here.length === 1)
    return {
      variant: here[0],
      evidence: { source: 'only-variant', note: `${unrecorded}; graded as the only variant ${scenario.id} has on ${target.kind}` },
    };
  return {
    problem: `No evidence of which variant lab ${stackName} is: ${unrecorded} and the roster assigns ${learner.name} none for ${scenario.id}; add \`variants: { ${scenario.id}: <variant> }\` to the learner in the roster (one of ${here.join(', ')}), or deploy the lab from this machine.`,
    evidence: { source: 'missing', note: `${unrecorded} and the roster assigns no variant` },
  };
}

function hintCost(scenario: ScenarioDefinition, seen: readonly number[]): number {
  return seen.reduce((sum, level) => sum + (scenario.meta.hints.find((h) => h.level === level)?.cost ?? 0), 0);
}

async function gradeCell(
  scenario: ScenarioDefinition,
  learner: RosterLearner,
  place: Promise<LearnerPlace>,
  opts: GradeOptions,
): Promise<GradeCell> {
  const started = Date.now();
  const stackName = stackNameFor(scenario.id, learner.name);
  const base = { learner: learner.name, scenario: scenario.id, failing: [] as GradeCell['failing'] };
  let target: Target | undefined;
  const withProgress = (cell: Omit<GradeCell, 'hints' | 'solutionSeen' | 'durationMs' | 'gradedAt'>): GradeCell => {
    const p = target ? getProgress(target, stackName) : undefined;
    const seen = p?.hintsSeen ?? [];
    return {
      ...cell,
      deployedAt: p?.deployedAt ?? cell.deployedAt,
      firstFixedAt: cell.firstFixedAt ?? p?.firstFixedAt,
      hints: { seen, cost: hintCost(scenario, seen) },
      solutionSeen: Boolean(p?.solutionSeenAt),
      gradedAt: (opts.now ?? (() => new Date()))().toISOString(),
      durationMs: Date.now() - started,
    };
  };
  try {
    const { target: t, clients, view } = await place;
    target = t;
    assertRunsOn(scenario.meta, t.kind); // a target the scenario does not run on is refused in one sentence, before any call
    const stack = await view.stack(stackName);
    if (!stack) return withProgress({ ...base, status: 'not-deployed', message: `No stack ${stackName}.` });
    const deployedAt = stack.raw.CreationTime?.toISOString();
    if (isBusy(stack.status))
      return withProgress({ ...base, status: 'error', deployedAt, message: `${busySentence(stackName, stack.status)}.` });
    const found = labEvidence(scenario, learner, t, stack);
    if ('problem' in found) return withProgress({ ...base, status: 'error', deployedAt, evidence: found.evidence, message: found.problem });
    const { variant, armed, evidence } = found;
    const ctx = makeContext({ scenario, target: t, learner: learner.name, variant, armed, clients, view });
    const report = await checkScenario(scenario, ctx);
    const failing = blockingResults(report.criteria).map((c) => ({ id: c.id, status: c.status, message: c.message }));
    let firstFixedAt: string | undefined;
    if (report.verdict === 'fixed') {
      const now = (opts.now ?? (() => new Date()))().toISOString();
      firstFixedAt = updateProgress(t, stackName, { scenario: scenario.id, learner: learner.name, variant }, (p) => {
        p.firstFixedAt ??= now;
      }).firstFixedAt;
      return withProgress({
        ...base,
        status: 'fixed',
        variant,
        evidence,
        deployedAt,
        firstFixedAt,
        message: `All ${report.criteria.length} criteria pass.`,
      });
    }
    const firstFail = failing.find((c) => c.status === 'fail');
    if (firstFail)
      return withProgress({ ...base, status: 'not-fixed', variant, evidence, deployedAt, failing, message: firstFail.message });
    return withProgress({
      ...base,
      status: 'error',
      variant,
      evidence,
      deployedAt,
      failing,
      message: failing[0]?.message ?? 'The check could not decide.',
    });
  } catch (err) {
    return withProgress({ ...base, status: 'error', message: classifyError(err).message });
  }
}

/**
 * Grades every learner x scenario of the roster. Accounts are graded in parallel (`accountConcurrency`),
 * each with its own `concurrency`, clients and read view, so one round reads each account's collections
 * once. Never rejects because of one learner.
 */
export async function gradeClass(roster: Roster, scenarios: readonly ScenarioDefinition[], opts: GradeOptions = {}): Promise<ClassReport> {
  const started = Date.now();
  const now = opts.now ?? (() => new Date());
  const places = new Map<string, Promise<LearnerPlace>>();
  const accounts = new Map<string, { learner: RosterLearner; scenario: ScenarioDefinition; index: number }[]>();
  let index = 0;
  for (const learner of roster.learners) {
    const key = accountKey(learner);
    if (!places.has(key)) {
      const p = openAccount(learner, opts);
      p.catch(() => undefined); // each cell awaits (and reports) it
      places.set(key, p);
      accounts.set(key, []);
    }
    for (const scenario of scenarios) accounts.get(key)!.push({ learner, scenario, index: index++ });
  }
  try {
    const cells = new Array<GradeCell>(index);
    await mapWithLimit([...accounts.entries()], opts.accountConcurrency ?? 16, async ([key, jobs]) => {
      await mapWithLimit(jobs, opts.concurrency ?? 8, async ({ learner, scenario, index: i }) => {
        const cell = await gradeCell(scenario, learner, places.get(key)!, opts);
        cells[i] = cell;
        opts.onCell?.(cell);
      });
    });
    const counts: Record<CellStatus, number> = { fixed: 0, 'not-fixed': 0, error: 0, 'not-deployed': 0 };
    for (const c of cells) counts[c.status]++;
    return {
      roster: roster.file,
      generatedAt: now().toISOString(),
      durationMs: Date.now() - started,
      learners: roster.learners.map((l) => l.name),
      scenarios: scenarios.map((s) => s.id),
      cells,
      counts,
    };
  } finally {
    for (const p of places.values())
      p.then(
        (x) => x.clients.destroy(),
        () => undefined,
      );
  }
}
