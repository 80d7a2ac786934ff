/**
 * Differential test: our IAM engine (lib/engines/iam, Apache-2.0) against @cloud-copilot/iam-simulate
 * (AGPL, devDependency, used only here as an oracle). Every generated case and every hand-written
 * case must get the same decision from both. generators.ts lists, with reasons, the areas left out
 * because AWS's documented behaviour and the oracle differ.
 */
import fc from 'fast-check';
import { evaluate, type Decision, type IamRequest, type RequestContext } from '../../lib/engines/iam';
import { HAND_CASES } from './cases';
import { caseArb, type GeneratedCase } from './generators';
import { oracleDecision } from './oracle';

const GENERATED_RUNS = 10_000;
// Fixed seed: a failure reproduces; change it to explore further.
const SEED = 20240601;

/**
 * The oracle reads a context as complete: what it lacks is absent. The engine reads a plain record the
 * same way except for the keys AWS sends with every request, which it takes as unknown when missing; so
 * generated contexts are stated as complete (nothing unknown) to compare like with like.
 */
function asStated(request: IamRequest): IamRequest {
  return { ...request, context: { values: (request.context ?? {}) as RequestContext, unknown: [] } };
}

interface Disagreement {
  case: GeneratedCase;
  ours: Decision;
  oracle: Decision;
}

describe('IAM engine vs iam-simulate oracle', () => {
  it(`agrees on ${GENERATED_RUNS} generated cases and all hand-written ones`, () => {
    const disagreements: Disagreement[] = [];
    const tally: Record<Decision, number> = { Allowed: 0, ExplicitlyDenied: 0, ImplicitlyDenied: 0 };
    let generated = 0;

    fc.assert(
      fc.property(caseArb(), (c) => {
        const ours = evaluate(asStated(c.request), c.policies).decision;
        const oracle = oracleDecision(c.request, c.policies);
        generated++;
        tally[ours]++;
        if (ours !== oracle) disagreements.push({ case: c, ours, oracle });
      }),
      { numRuns: GENERATED_RUNS, seed: SEED },
    );

    let hand = 0;
    const handFailures: string[] = [];
    for (const hc of HAND_CASES) {
      const ours = evaluate(asStated(hc.request), hc.policies).decision;
      if (ours !== hc.expected) handFailures.push(`${hc.name}: ours ${ours}, expected ${hc.expected}`);
      if (hc.outsideOracle) continue;
      const oracle = oracleDecision(hc.request, hc.policies);
      hand++;
      if (ours !== oracle) handFailures.push(`${hc.name}: ours ${ours}, oracle ${oracle}`);
    }

    const total = disagreements.length + handFailures.filter((f) => f.includes('oracle')).length;
    console.log(
      `iam differential: ${generated} generated + ${hand} hand-written cases compared, ${total} disagreements ` +
        `(generated decisions: ${tally.Allowed} Allowed, ${tally.ExplicitlyDenied} ExplicitlyDenied, ${tally.ImplicitlyDenied} ImplicitlyDenied; ` +
        `${HAND_CASES.length - hand} hand-written cases outside the oracle's subset checked against expected decisions only)`,
    );
    if (disagreements.length > 0) {
      console.log(
        `first disagreements:\n${disagreements
          .slice(0, 3)
          .map((d) => JSON.stringify(d, null, 1))
          .join('\n')}`,
      );
    }
    expect(handFailures).toEqual([]);
    expect(disagreements.length).toBe(0);
    expect(generated).toBeGreaterThanOrEqual(GENERATED_RUNS);
  });
});
