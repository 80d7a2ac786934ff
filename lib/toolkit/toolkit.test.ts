import { NOT_FOUND, errorName, exists, ignoring, isAwsError } from './aws-errors';
import { arnParts, roleNameOf, sessionArnOf } from './arn';
import { collectPages } from '../core/paging';
import { pollPauses, pollUntil } from '../core/poll';
import { DEFAULT_WAITS, waitsOf } from '../targets/target';

const awsError = (name: string) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: 400 } });

describe('expected AWS errors, by name', () => {
  test('an expected name gives the fallback; anything else is rethrown', async () => {
    await expect(ignoring(NOT_FOUND.resource, Promise.reject(awsError('ResourceNotFoundException')))).resolves.toBeUndefined();
    await expect(ignoring(NOT_FOUND.iamEntity, Promise.reject(awsError('NoSuchEntity')), 'gone')).resolves.toBe('gone');
    await expect(ignoring(NOT_FOUND.resource, Promise.reject(awsError('ValidationException')))).rejects.toThrow(
      'ValidationException happened',
    );
    await expect(ignoring(NOT_FOUND.resource, Promise.resolve(7))).resolves.toBe(7);
  });

  test('a refusal or throttling never reads as "not found", and cannot be listed as expected', async () => {
    for (const name of [
      'AccessDenied',
      'AccessDeniedException',
      'ThrottlingException',
      'Throttling',
      'SlowDown',
      'UnauthorizedOperation',
    ]) {
      await expect(exists(NOT_FOUND.bucket, Promise.reject(awsError(name)))).rejects.toThrow(`${name} happened`);
      expect(() => isAwsError(awsError(name), [name])).toThrow(/never an expected outcome/);
    }
  });

  test('exists: true when the call answers, false only for the not-found names given', async () => {
    await expect(exists(NOT_FOUND.bucket, Promise.resolve({}))).resolves.toBe(true);
    await expect(exists(NOT_FOUND.bucket, Promise.reject(awsError('NotFound')))).resolves.toBe(false);
    expect(errorName('not an error')).toBeUndefined();
  });
});

describe('ARNs', () => {
  test("a session ARN keeps the role's partition and account and drops its path", () => {
    expect(sessionArnOf('arn:aws-us-gov:iam::111122223333:role/service-role/jobs/nightly', 'i-0abc')).toBe(
      'arn:aws-us-gov:sts::111122223333:assumed-role/nightly/i-0abc',
    );
    expect(roleNameOf('arn:aws:iam::111122223333:role/x')).toBe('x');
    expect(arnParts('arn:aws-cn:s3:::bucket/key/with:colon')).toMatchObject({
      partition: 'aws-cn',
      service: 's3',
      resource: 'bucket/key/with:colon',
    });
    expect(() => arnParts('not-an-arn')).toThrow(/is not an ARN/);
  });
});

describe('paging and polling', () => {
  async function* pages() {
    yield { Items: [1, 2] };
    yield { Items: undefined };
    yield { Items: [3] };
  }

  test('collectPages gathers every page, or stops after maxPages', async () => {
    expect(await collectPages(pages(), (p) => p.Items)).toEqual([1, 2, 3]);
    expect(await collectPages(pages(), (p) => p.Items, { maxPages: 1 })).toEqual([1, 2]);
  });

  test("pollUntil reads until settled, and throws the caller's error when time runs out", async () => {
    let n = 0;
    await expect(
      pollUntil(
        async () => ++n,
        (v) => v >= 3,
        { pollMs: 1, timeoutMs: 1000, timedOut: () => new Error('late') },
      ),
    ).resolves.toBe(3);
    await expect(
      pollUntil(
        async () => 'busy',
        () => false,
        { pollMs: 1, timeoutMs: 5, timedOut: (v) => new Error(`still ${v}`) },
      ),
    ).rejects.toThrow('still busy');
  });

  test('pollUntil starts with short pauses and backs off to pollMs', async () => {
    const pauses: number[] = [];
    const sleep = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      pauses.push(ms);
      fn();
      return 0;
    }) as never);
    try {
      let n = 0;
      await pollUntil(
        async () => ++n,
        (v) => v >= 8,
        { pollMs: 320, timeoutMs: 60_000, timedOut: () => new Error('late') },
      );
    } finally {
      sleep.mockRestore();
    }
    expect(pauses).toEqual([20, 40, 80, 160, 320, 320, 320]);
    // The emulator's 200 ms and real AWS's 5 s waits: the first reading after a change comes within 13 ms and 313 ms.
    const first = (pollMs: number) => pollPauses(pollMs).next().value;
    expect([first(DEFAULT_WAITS.emulator.pollMs), first(DEFAULT_WAITS.aws.pollMs), first(1)]).toEqual([12.5, 312.5, 1]);
  });

  test('a target carries its waits: its own, else those of its kind', () => {
    expect(waitsOf({ kind: 'moto', region: 'us-east-1', endpoint: 'http://127.0.0.1:1' })).toBe(DEFAULT_WAITS.emulator);
    expect(waitsOf({ kind: 'aws', region: 'us-east-1' })).toBe(DEFAULT_WAITS.aws);
    const fast = { pollMs: 1, stackMs: 2, resourceMs: 3 };
    expect(waitsOf({ kind: 'aws', region: 'us-east-1', waits: fast })).toBe(fast);
  });
});
