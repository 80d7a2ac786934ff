#!/usr/bin/env node
/**
 * `npm run docs`: writes what is generated from the scenario folders, the
 * README's scenario matrix and docs/grader-policy.json. `--check` writes
 * nothing and exits 1 when either is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { graderActions, graderPolicy } from '../lib/class/grader-policy';
import { scenarioMatrix, withMatrix } from '../lib/scenario/matrix';
import { scenarioCatalog } from './catalog';

const ROOT = join(__dirname, '..', ...(__dirname.includes(`${join('dist', 'bin')}`) ? ['..'] : []));

export function generatedDocs(root = ROOT): Record<string, string> {
  const scenarios = scenarioCatalog();
  const readme = join(root, 'README.md');
  return {
    [readme]: withMatrix(readFileSync(readme, 'utf8'), scenarioMatrix(scenarios.map((s) => s.meta))),
    [join(root, 'docs', 'grader-policy.json')]: `${JSON.stringify(graderPolicy(graderActions(scenarios)), null, 2)}\n`,
  };
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of Object.entries(generatedDocs())) {
    const current = readFileSync(file, 'utf8');
    if (current === text) continue;
    stale++;
    if (check) process.stderr.write(`${file} is out of date: run \`npm run docs\`.\n`);
    else writeFileSync(file, text);
  }
  process.exitCode = check && stale ? 1 : 0;
}
