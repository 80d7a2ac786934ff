import { Criterion, CriterionOutcome, blockingResults, fail, isBlocking, notApplicable, pass, verdictOf } from './criterion';
import { runCheck } from './runner';

type Snap = { readonly value: number };

const crit = (id: string, evaluate: Criterion<Snap>['evaluate']): Criterion<Snap> => ({
  id,
  title: `Title of ${id}`,
  rationale: `Why ${id} matters.`,
  references: ['https://docs.aws.amazon.com/'],
  evaluate,
});
const passing = crit('passes', (s) => pass(`Value ${s.value} is fine.`));
const failing = crit('fails', (s) => fail(`Value ${s.value} is wrong.`));
const na = crit('does-not-apply', () => notApplicable('Nothing to read here.'));

/** A clock that advances by `step` ms per reading. */
function clock(start: number, step: number): () => number {
  let t = start - step;
  return () => (t += step);
}

async function run(criteria: Criterion<Snap>[], gather: () => Promise<Snap> = async () => ({ value: 7 })) {
  return runCheck({ scenario: 'demo', target: 'moto', gather, criteria, now: clock(1000, 12.4) });
}

describe('verdict', () => {
  test('fixed when every criterion passes', async () => {
    const r = await run([passing]);
    expect(r.verdict).toBe('fixed');
    expect(r.criteria).toEqual([{ id: 'passes', title: 'Title of passes', status: 'pass', message: 'Value 7 is fine.' }]);
  });

  test('not-applicable never blocks a fix', async () => {
    expect((await run([passing, na])).verdict).toBe('fixed');
  });

  test('one failure makes it not-fixed, and every criterion is still reported', async () => {
    const r = await run([passing, failing, na]);
    expect(r.verdict).toBe('not-fixed');
    expect(r.criteria.map((c) => [c.id, c.status])).toEqual([
      ['passes', 'pass'],
      ['fails', 'fail'],
      ['does-not-apply', 'not-applicable'],
    ]);
  });

  test('verdictOf: fixed only when nothing failed or errored', () => {
    const base = { id: 'x', title: 'x', message: 'm.' };
    expect(verdictOf([])).toBe('fixed');
    expect(
      verdictOf([
        { ...base, status: 'pass' },
        { ...base, status: 'not-applicable' },
      ]),
    ).toBe('fixed');
    expect(
      verdictOf([
        { ...base, status: 'pass' },
        { ...base, status: 'error' },
      ]),
    ).toBe('not-fixed');
    expect(verdictOf([{ ...base, status: 'fail' }])).toBe('not-fixed');
  });
});

describe('a criterion that throws is an error, never a pass', () => {
  test.each<[string, Criterion<Snap>['evaluate'], string]>([
    [
      'sync Error',
      () => {
        throw new Error('boom');
      },
      'Criterion raised an error: boom',
    ],
    ['TypeError', (s) => (s as unknown as { missing: { deep: CriterionOutcome } }).missing.deep, 'Criterion raised an error: TypeError: '],
    [
      'rejected promise',
      async () => {
        throw new RangeError('too far');
      },
      'Criterion raised an error: RangeError: too far',
    ],
    [
      'thrown string',
      () => {
        throw 'just a string';
      },
      'Criterion raised an error: just a string',
    ],
    [
      'thrown undefined',
      () => {
        throw undefined;
      },
      'Criterion raised an error: undefined',
    ],
  ])('%s', async (_name, evaluate, message) => {
    const r = await run([passing, crit('throws', evaluate), passing]);
    const thrown = r.criteria[1];
    expect(thrown.status).toBe('error');
    expect(thrown.message.startsWith(message)).toBe(true);
    expect(r.criteria.map((c) => c.status)).toEqual(['pass', 'error', 'pass']);
    expect(r.verdict).toBe('not-fixed');
  });

  test.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['an unknown status', { status: 'passed', message: 'Looks fine.' }],
    ['status error smuggled in', { status: 'error', message: 'Pretends to be an error.' }],
    ['no message', { status: 'pass' }],
    ['an empty message', { status: 'pass', message: '' }],
  ])('a criterion returning %s is an error, not a pass', async (_name, outcome) => {
    const r = await run([crit('malformed', () => outcome as CriterionOutcome)]);
    expect(r.criteria[0].status).toBe('error');
    expect(r.criteria[0].message).toMatch(/^Criterion returned an invalid outcome/);
    expect(r.verdict).toBe('not-fixed');
  });
});

describe('gathering live state', () => {
  test('happens once, and every criterion sees the same snapshot', async () => {
    const seen: Snap[] = [];
    let gathers = 0;
    const snap = { value: 3 };
    const spy = (id: string) =>
      crit(id, (s) => {
        seen.push(s);
        return pass('Seen.');
      });
    await run([spy('a'), spy('b'), spy('c')], async () => {
      gathers++;
      return snap;
    });
    expect(gathers).toBe(1);
    expect(seen).toEqual([snap, snap, snap]);
    expect(seen.every((s) => s === snap)).toBe(true);
  });

  test('a failed gather makes every criterion an error and evaluates none', async () => {
    let evaluated = 0;
    const counting = crit('counting', () => {
      evaluated++;
      return pass('Should not run.');
    });
    const r = await run([counting, passing, na], async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    expect(evaluated).toBe(0);
    expect(r.criteria.map((c) => c.status)).toEqual(['error', 'error', 'error']);
    for (const c of r.criteria) expect(c.message).toBe('Could not read live state: ThrottlingException: Rate exceeded');
    expect(r.verdict).toBe('not-fixed');
  });

  test('a gather that rejects with a non-Error is still an error', async () => {
    const r = await run([passing], () => Promise.reject('socket hang up'));
    expect(r.criteria[0]).toMatchObject({ status: 'error', message: 'Could not read live state: socket hang up' });
  });
});

describe('report fields', () => {
  test('scenario, target, ids, titles, advice and a whole-millisecond duration', async () => {
    const advising = crit('advises', () => pass('Fine.', 'Consider a tighter policy.'));
    const r = await runCheck({
      scenario: 'demo',
      target: 'localstack',
      gather: async () => ({ value: 1 }),
      criteria: [advising],
      now: clock(1000, 12.4),
    });
    expect(r).toEqual({
      scenario: 'demo',
      target: 'localstack',
      verdict: 'fixed',
      criteria: [{ id: 'advises', title: 'Title of advises', status: 'pass', message: 'Fine.', advice: 'Consider a tighter policy.' }],
      durationMs: 12,
    });
  });
});

describe('criterion metadata the framework acts on', () => {
  const advice = (id: string, evaluate: Criterion<Snap>['evaluate']): Criterion<Snap> => ({ ...crit(id, evaluate), kind: 'advice' });

  test('isBlocking: fail and error block, pass and not-applicable never do', () => {
    expect((['pass', 'fail', 'not-applicable', 'error'] as const).map(isBlocking)).toEqual([false, true, false, true]);
  });

  test('an advice criterion never changes the verdict, whatever it returns, and is marked advice', async () => {
    const r = await run([passing, advice('tip', () => fail('Not as recommended.', 'Turn it on.'))]);
    expect(r.verdict).toBe('fixed');
    expect(r.criteria[1]).toEqual({
      id: 'tip',
      title: 'Title of tip',
      status: 'fail',
      message: 'Not as recommended.',
      advice: 'Turn it on.',
      kind: 'advice',
    });
    expect(blockingResults(r.criteria)).toEqual([]);
  });

  test('an advice criterion that throws is still an error, never a pass; a required one beside it still decides', async () => {
    const r = await run([failing, advice('broken-tip', () => Promise.reject(new Error('boom')))]);
    expect(r.criteria[1]).toMatchObject({ status: 'error', kind: 'advice', message: 'Criterion raised an error: boom' });
    expect(blockingResults(r.criteria).map((c) => c.id)).toEqual(['fails']);
    expect((await run([passing, advice('broken-tip', () => Promise.reject(new Error('boom')))])).verdict).toBe('fixed');
  });

  test('a criterion limited to some variants is not applicable on the others, without being evaluated', async () => {
    let evaluated = 0;
    const scoped: Criterion<Snap> = {
      ...crit('scp-only', () => {
        evaluated++;
        return fail('The guardrail is gone.');
      }),
      variants: ['scp'],
    };
    const other = await runCheck({
      scenario: 'demo',
      target: 'moto',
      variant: 'bucket-policy',
      gather: async () => ({ value: 1 }),
      criteria: [scoped],
    });
    expect(other.criteria[0]).toEqual({
      id: 'scp-only',
      title: 'Title of scp-only',
      status: 'not-applicable',
      message: 'This criterion applies to variant scp; the lab is armed with bucket-policy.',
    });
    expect(evaluated).toBe(0);
    const own = await runCheck({
      scenario: 'demo',
      target: 'moto',
      variant: 'scp',
      gather: async () => ({ value: 1 }),
      criteria: [scoped],
    });
    expect(own.criteria[0].status).toBe('fail');
    expect(evaluated).toBe(1);
  });
});
