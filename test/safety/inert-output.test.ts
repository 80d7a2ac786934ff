/**
 * Live strings reach the terminal through breakfix's text outputs. A resource
 * name or policy Sid carrying ANSI escapes (clear screen, move the cursor up
 * and overwrite a FAIL with a PASS) must print inert: visible, not obeyed.
 */
import type { CheckReport } from '../../checkers/criterion';
import { toText } from '../../checkers/reporters/text';
import { classToText } from '../../lib/class/report';
import type { ClassReport } from '../../lib/class/grade';
import { inert } from '../../lib/core/inert';
import { main } from '../../lib/cli/main';
import { capturingIo } from '../cli/harness';

const ESC = '\u001b';
const FORGED = `Deny${ESC}[1A${ESC}[2K${ESC}[32mPASS${ESC}[0m\rOK\u0007`;
const plain = { paint: (_s: string, t: string) => t };

test('inert shows control characters as escapes and keeps newlines and tabs', () => {
  expect(inert(FORGED)).toBe('Deny\\x1b[1A\\x1b[2K\\x1b[32mPASS\\x1b[0m\\rOK\\x07');
  expect(inert('a\tb\nc')).toBe('a\tb\nc');
  expect(inert('\u009b2J')).toBe('\\x9b2J');
});

test('a criterion message naming a policy Sid with ANSI escapes prints inert in the text report', () => {
  const report: CheckReport = {
    scenario: 's3-delete-access-denied',
    target: 'moto',
    variant: 'bucket-policy',
    verdict: 'not-fixed',
    durationMs: 1,
    criteria: [
      {
        id: 'cleanup-role-can-delete-expired',
        title: 'The cleanup role may delete expired objects',
        status: 'fail',
        message: `Denied by bucket policy statement ${FORGED}.`,
        rationale: 'r',
        references: [],
      },
    ],
  } as unknown as CheckReport;
  const text = toText(report, plain);
  expect(text).not.toContain(ESC);
  expect(text).not.toContain('\r');
  expect(text).toContain('statement Deny\\x1b[1A');
});

test('a class grid cell and an error line carrying escapes print inert', async () => {
  const report = {
    roster: 'r',
    generatedAt: new Date().toISOString(),
    durationMs: 1,
    learners: ['ana'],
    scenarios: ['x'],
    counts: { fixed: 0, 'not-fixed': 1, error: 0, 'not-deployed': 0 },
    cells: [
      {
        learner: 'ana',
        scenario: 'x',
        status: 'not-fixed',
        failing: [],
        hints: { seen: [], cost: 0 },
        solutionSeen: false,
        durationMs: 1,
        message: `Role ${FORGED}`,
      },
    ],
  } as unknown as ClassReport;
  expect(classToText(report)).not.toContain(ESC);

  // An error sentence quoting what it was given (here an unknown scenario ID) prints it inert too.
  const io = capturingIo();
  const code = await main(['status', `x${FORGED}`], { io, env: {}, scenarios: [] });
  expect(code).toBe(2);
  const err = io.stderr.join('\n');
  expect(err).toMatch(/x?Deny\\x1b\[1A/);
  expect(err).not.toContain(ESC);
});
