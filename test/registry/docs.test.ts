/**
 * What is generated from the scenario folders is up to date: the README's
 * scenario matrix and docs/grader-policy.json (`npm run docs` writes both).
 */
import { readFileSync } from 'node:fs';
import { generatedDocs } from '../../bin/docs';
import { scenarioMatrix, withMatrix, MATRIX_END, MATRIX_START } from '../../lib/scenario/matrix';
import { SCENARIOS } from '../support/catalog';

test.each(Object.entries(generatedDocs()).map(([file, text]) => [file.replace(/^.*?(README\.md|docs\/.*)$/, '$1'), file, text]))(
  '%s is what the scenario folders generate',
  (_name, file, text) => {
    expect(readFileSync(file, 'utf8')).toBe(text);
  },
);

test('the matrix has one row per scenario, from its scenario.json', () => {
  const matrix = scenarioMatrix(SCENARIOS.map((s) => s.meta));
  const rows = matrix.split('\n').slice(2);
  expect(rows.map((r) => r.split(' | ')[0].replace(/^\| `|`$/g, ''))).toEqual(SCENARIOS.map((s) => s.id));
  const s3 = rows.find((r) => r.includes('`s3-delete-access-denied`'))!;
  expect(s3).toContain('`scp` (AWS only)');
  expect(s3).toContain('| derived (tested) |');
  const rollback = rows.find((r) => r.includes('`stack-update-rollback-failed`'))!;
  expect(rollback).toContain('| `log-group-deleted` |');
  expect(rollback).toContain('| unsupported (not run here) |');
});

test('the README keeps its markers; without them generation fails loudly', () => {
  const readme = readFileSync(
    Object.keys(generatedDocs()).find((f) => f.endsWith('README.md'))!,
    'utf8',
  );
  expect(readme).toContain(MATRIX_START);
  expect(readme).toContain(MATRIX_END);
  expect(() => withMatrix('no markers here', '| x |')).toThrow(/has no .* block/);
});
