/**
 * `check`, `status` and `hint` run a scenario's gather, criteria and symptom;
 * none of them synthesizes, so none should pay for loading aws-cdk-lib (over
 * a second of start-up per command on a busy machine). Every scenario module
 * is loaded and its non-CDK parts touched with aws-cdk-lib and constructs
 * replaced by modules that record being loaded.
 */
const mockLoaded: string[] = [];
jest.mock('aws-cdk-lib', () => {
  mockLoaded.push('aws-cdk-lib');
  return {};
});
jest.mock('constructs', () => {
  mockLoaded.push('constructs');
  return {};
});

import { scenarioCatalog } from '../../bin/catalog';

describe('CLI start-up', () => {
  it('loading every scenario for check and status does not load aws-cdk-lib', () => {
    const scenarios = scenarioCatalog({ eager: true });
    expect(scenarios.length).toBeGreaterThan(0);
    for (const s of scenarios) {
      expect(typeof s.gather).toBe('function');
      expect(typeof s.symptom).toBe('function');
      expect(typeof s.verifyArmed).toBe('function');
      expect(s.criteria.length).toBeGreaterThan(0);
    }
    expect(mockLoaded).toEqual([]);
  });
});
