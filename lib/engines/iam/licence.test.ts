import fs from 'fs';
import path from 'path';

/**
 * @cloud-copilot/iam-simulate is AGPL and serves only as the test oracle (test/iam-oracle).
 * breakfix ships Apache-2.0, so no shipped source may import it or its companion packages.
 */
describe('licence boundary', () => {
  const root = path.resolve(__dirname, '../../..');
  const shipped = ['bin', 'lib', 'checkers', 'scenarios'];

  function sources(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
      return /\.(ts|js)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
    });
  }

  it('no shipped source imports @cloud-copilot packages', () => {
    const offenders = shipped
      .flatMap((d) => sources(path.join(root, d)))
      .filter((file) => /['"]@cloud-copilot\//.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('the oracle is a devDependency only', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@cloud-copilot/'))).toEqual([]);
  });
});
