/**
 * A variant name is one of the scenario's own before any use (criteria, file
 * names), and a target a scenario does not run on is refused in one sentence
 * by every command that would act there: deploy (with or without --variant)
 * and class grading. No emulator is needed: each refusal comes before any call.
 */
import { tmpdir } from 'node:os';
import { gradeClass } from '../../lib/class/grade';
import { parseRoster } from '../../lib/class/roster';
import { docPath, readDoc, readHints } from '../../lib/scenario/docs';
import { chooseVariant } from '../../lib/scenario/naming';
import { SCENARIOS } from '../support/catalog';
import { cleanEnv, expectOneErrorLine, runMain } from '../cli/harness';

const ROLLBACK = 'stack-update-rollback-failed';
const S3 = SCENARIOS.find((s) => s.id === 's3-delete-access-denied')!;
const env = cleanEnv({ BREAKFIX_HOME: tmpdir() });

describe('variant names', () => {
  test.each(['../../README', '../stack-update-rollback-failed/solution', 'scp/../../x', ''])(
    'a variant "%s" never becomes part of a file path',
    (variant) => {
      expect(() => docPath(S3, 'solution', variant)).toThrow(/^Scenario s3-delete-access-denied has no variant "/);
      expect(() => readHints(S3, variant)).toThrow(/has no variant/);
      expect(() => readDoc(S3, 'solution', variant)).toThrow(/has no variant/);
    },
  );

  test('a known variant reads its own doc, inside the scenario folder', () => {
    expect(docPath(S3, 'solution', 'scp')).toBe(`${S3.dir}/solution.scp.md`);
    expect(docPath(S3, 'hints', 'bucket-policy')).toBe(`${S3.dir}/hints.md`);
  });

  test('hint and solution refuse an unknown --variant in one sentence (exit 2)', async () => {
    for (const argv of [
      ['hint', S3.id, '--variant', '../../../README'],
      ['solution', S3.id, '--variant', '../../../README', '--yes'],
    ]) {
      const r = await runMain(argv, { env });
      expect(r.code).toBe(2);
      expectOneErrorLine(r.stderr, {
        matches:
          /^Scenario s3-delete-access-denied has no variant "\.\.\/\.\.\/\.\.\/README"; it has bucket-policy, permissions-boundary, scp\.$/,
      });
    }
  });

  test('chooseVariant checks an explicit variant against the scenario and the target', () => {
    expect(() => chooseVariant(S3.meta, 'moto', { variant: 'nope' })).toThrow(/has no variant "nope"/);
    expect(() => chooseVariant(S3.meta, 'moto', { variant: 'scp' })).toThrow(
      /^Variant scp of s3-delete-access-denied cannot run on moto; it needs aws\.$/,
    );
    expect(chooseVariant(S3.meta, 'aws', { variant: 'scp' })).toBe('scp');
  });
});

describe('unsupported targets', () => {
  test.each([[[]], [['--variant', 'log-group-deleted']]])(
    'deploy %j of the rollback lab on floci is refused before any call (exit 2)',
    async (extra) => {
      const r = await runMain(['deploy', ROLLBACK, '--target', 'floci', ...extra], { env });
      expect(r.code).toBe(2);
      expectOneErrorLine(r.stderr, { matches: /^Scenario stack-update-rollback-failed does not run on floci; it runs on moto, aws\.$/ });
    },
  );

  test('class grading marks a learner on a target the scenario does not run on with that sentence, without calling it', async () => {
    const roster = parseRoster('class.yaml', { defaults: { target: 'localstack' }, learners: [{ name: 'ana' }] });
    const rollback = SCENARIOS.find((s) => s.id === ROLLBACK)!;
    const report = await gradeClass(roster, [rollback], { env });
    const [cell] = report.cells;
    expect(cell.status).toBe('error');
    expect(cell.message).toBe('Scenario stack-update-rollback-failed does not run on localstack; it runs on moto, aws.');
  });
});
