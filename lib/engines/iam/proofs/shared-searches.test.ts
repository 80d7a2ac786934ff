/**
 * Labs of one class ask the proofs the same questions with their own names: the searches whose
 * languages are identical (the actions their statements name, for one) are run once and their answers
 * reused; a search whose languages differ in any character is run for that lab. Counted, never timed.
 */
import type { NamedPolicy, StatedContext } from '../types';
import { checkNoNewAccess, destructiveActions, type CheckResult } from './index';
import { forgetSearches, searchStats } from './lang';

const A = '111122223333';

/** One learner's lab: its own role and bucket; the cleanup grant is the only thing that may differ. */
function lab(learner: string, cleanupActions: string[]) {
  const role = `arn:aws:iam::${A}:role/${learner}-cleanup`;
  const bucket = `arn:aws:s3:::${learner}-data`;
  const policy = (name: string, ...Statement: object[]): NamedPolicy => ({ name, document: { Version: '2012-10-17', Statement } });
  const context: StatedContext = {
    values: {
      'aws:PrincipalArn': role,
      'aws:PrincipalAccount': A,
      'aws:ResourceAccount': A,
      'aws:SecureTransport': 'true',
      'aws:PrincipalType': 'AssumedRole',
      'aws:RequestedRegion': 'eu-west-1',
    },
    unknown: ['s3:*', 'aws:ResourceTag/*'],
  };
  return () =>
    checkNoNewAccess({
      principalArn: `arn:aws:sts::${A}:assumed-role/${learner}-cleanup/nightly`,
      context,
      reference: { identity: [policy('Needed', { Effect: 'Allow', Action: 's3:DeleteObject', Resource: `${bucket}/expired/*` })] },
      candidate: {
        identity: [
          policy('Live', { Sid: 'Cleanup', Effect: 'Allow', Action: cleanupActions, Resource: `${bucket}/expired/*` }),
          policy('Read', { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [bucket, `${bucket}/*`] }),
        ],
      },
      scope: { actions: destructiveActions(['s3-object', 's3-bucket']), resources: [bucket, `${bucket}/*`] },
    });
}

/** The proof's answer and how many searches it ran (reused answers are not runs). */
function counted(proof: () => CheckResult): { result: CheckResult; searched: number; reused: number } {
  const before = { ...searchStats };
  const result = proof();
  return { result, searched: searchStats.searched - before.searched, reused: searchStats.reused - before.reused };
}

describe('searches shared between labs are only ever those with identical input', () => {
  beforeEach(() => forgetSearches());

  it('the same proof asked again runs no search at all, and answers the same', () => {
    const cold = counted(lab('l01', ['s3:DeleteObject']));
    expect(cold.searched).toBeGreaterThan(0);
    const again = counted(lab('l01', ['s3:DeleteObject']));
    expect(again.searched).toBe(0);
    expect(again.result).toEqual(cold.result);
  });

  it("another learner's lab with its own names reuses the searches over identical languages and runs the rest", () => {
    const first = counted(lab('l01', ['s3:DeleteObject']));
    const second = counted(lab('l02', ['s3:DeleteObject']));
    // Its own bucket and role names make some searches its own; the action languages are the same.
    expect(second.reused).toBeGreaterThan(0);
    expect(second.searched).toBeLessThan(first.searched);
    expect(second.result.result).toBe(first.result.result);
    expect(second.result.result).toBe('PASS');
  });

  it('two labs whose cleanup grant differs in one action get different verdicts, in either order and warm', () => {
    const exact = lab('l01', ['s3:DeleteObject']);
    const wider = lab('l02', ['s3:DeleteObject', 's3:DeleteObjectVersion']);
    const a = exact();
    const b = wider();
    expect(a.result).toBe('PASS');
    expect(b.result).toBe('FAIL');
    expect(b.findings[0].witness.action).toBe('s3:DeleteObjectVersion');
    // The other order, every answer already remembered.
    expect(wider().result).toBe('FAIL');
    expect(exact().result).toBe('PASS');
    forgetSearches();
    expect(wider().result).toBe('FAIL');
    expect(exact().result).toBe('PASS');
  });
});
