/**
 * The IAM engine against AWS's documentation: one test per documented case (test/iam-docs/cases/).
 *
 * A failing test prints the decision AWS documents, what the engine said, and the sentence the case was drawn from.
 * Cases the engine's API cannot express yet fail with the adapter's "not expressible yet" reason; none is skipped.
 */
import { describeOutcome, expectedFor, outcomeMatches, runCase } from './adapter';
import type { DocCase } from './case';
import { allTopics } from './cases';

interface Row {
  name: string;
  docCase: DocCase;
}

const rows: Row[] = allTopics.flatMap((t) => t.cases.map((docCase) => ({ name: `${t.topic}: ${docCase.what}`, docCase })));

function citation(c: DocCase): string {
  const lines = [`  page: ${c.source.page}${c.source.url ? ` <${c.source.url}>` : ''}`];
  if (c.source.edition) lines.push(`  read in: ${c.source.edition}`);
  lines.push(`  quote: "${c.source.quote}"`);
  if (c.note) lines.push(`  note: ${c.note}`);
  if (c.conflict) lines.push(`  conflict: pages disagree (${c.conflict}); exactly one case of this pair can pass`);
  return lines.join('\n');
}

describe('IAM engine against AWS documentation', () => {
  test('every case has a unique name and cites a quote', () => {
    const names = rows.map((r) => r.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(rows.filter((r) => r.docCase.source.quote.trim() === '').map((r) => r.name)).toEqual([]);
  });

  test('every conflict names exactly two cases that expect different decisions', () => {
    const byConflict = new Map<string, DocCase[]>();
    for (const { docCase } of rows) {
      if (docCase.conflict) byConflict.set(docCase.conflict, [...(byConflict.get(docCase.conflict) ?? []), docCase]);
    }
    for (const [id, pair] of byConflict) {
      expect({ id, size: pair.length }).toEqual({ id, size: 2 });
      expect(pair[0].expected).not.toEqual(pair[1].expected);
    }
  });

  test.each(rows)('$name', ({ docCase }) => {
    let outcome;
    try {
      outcome = runCase(docCase);
    } catch (error) {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n  AWS documents: ${docCase.expected}\n${citation(docCase)}`,
      );
    }
    if (!outcomeMatches(docCase, outcome)) {
      const { expected: wanted, rejectedReading } = expectedFor(docCase);
      const expected = wanted === 'Error' ? 'the policy refused (IamPolicyError)' : wanted;
      const reading = rejectedReading ? `\n  (expected the other page's answer: ${rejectedReading})` : '';
      throw new Error(`AWS documents: ${expected}${reading}\n  engine said: ${describeOutcome(outcome)}\n${citation(docCase)}`);
    }
  });
});
