/**
 * breakfix's one lab record: baseline, variant, learner and arm evidence in
 * one entry keyed by target, Region, account and stack; files written by the
 * layout before it (armed-labs.json and labs/<stack>-<hash>.json) are read,
 * and move into the record when the lab is next written.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from './target';
import { readArmedRecord, readLabRecord, recordArmed, recordMatches, removeLabRecord, writeLabRecord } from './lab-record';
import { getProgress, updateProgress } from '../ops/progress-store';

const TARGET: Target = { kind: 'moto', region: 'us-east-1', endpoint: 'http://127.0.0.1:5999' };
const ACCOUNT = '123456789012';
const STACK = 'ana-s3-delete-access-denied';
const STACK_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${STACK}/0a1b2c3d-1111-2222-3333-444455556666`;
const CREATED = new Date('2026-12-01T10:00:00.000Z');
const BASELINE = { types: ['s3:bucket'], lines: ['S3 bucket other-team-bucket'], unlisted: [] };

let home: string;
const previousHome = process.env.BREAKFIX_HOME;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'breakfix-record-'));
  process.env.BREAKFIX_HOME = home;
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.BREAKFIX_HOME;
  else process.env.BREAKFIX_HOME = previousHome;
});

const lab = { scenario: 's3-delete-access-denied', stackName: STACK, learner: 'ana', variant: 'permissions-boundary' };

test('the baseline written before deploy and the arm evidence after it are one entry in one file', () => {
  writeLabRecord(TARGET, ACCOUNT, { ...lab, baseline: BASELINE });
  recordArmed(TARGET, { stackName: STACK, stackId: STACK_ID, creationTime: CREATED }, lab);
  const record = readLabRecord(TARGET, ACCOUNT, STACK)!;
  expect(record).toMatchObject({ ...lab, account: ACCOUNT, target: `moto@${TARGET.endpoint}/us-east-1`, baseline: BASELINE });
  expect(record.armed).toMatchObject({ variant: 'permissions-boundary', stackId: STACK_ID, creationTime: CREATED.toISOString() });
  expect(recordMatches(record.armed!, { stackName: STACK, stackId: STACK_ID, creationTime: CREATED })).toBe(true);
  const file = JSON.parse(readFileSync(join(home, 'lab-records.json'), 'utf8'));
  expect(Object.keys(file.labs)).toEqual([`moto@${TARGET.endpoint}/us-east-1/${ACCOUNT}/${STACK}`]);
  expect(existsSync(join(home, 'armed-labs.json'))).toBe(false);
  expect(existsSync(join(home, 'labs'))).toBe(false);
});

test('a redeploy keeps the first baseline; removing the lab forgets all of it', () => {
  writeLabRecord(TARGET, ACCOUNT, { ...lab, baseline: BASELINE });
  writeLabRecord(TARGET, ACCOUNT, { ...lab, baseline: { ...BASELINE, lines: ['taken during the lab'] } });
  expect(readLabRecord(TARGET, ACCOUNT, STACK)!.baseline).toEqual(BASELINE);
  removeLabRecord(TARGET, ACCOUNT, STACK);
  expect(readLabRecord(TARGET, ACCOUNT, STACK)).toBeUndefined();
  expect(readArmedRecord(TARGET, { stackName: STACK, stackId: STACK_ID })).toBeUndefined();
});

test('another account, Region or emulator has no record of the lab', () => {
  writeLabRecord(TARGET, ACCOUNT, { ...lab, baseline: BASELINE });
  expect(readLabRecord(TARGET, '999999999999', STACK)).toBeUndefined();
  expect(readLabRecord({ ...TARGET, region: 'eu-west-1' }, ACCOUNT, STACK)).toBeUndefined();
  expect(readLabRecord({ ...TARGET, endpoint: 'http://127.0.0.1:1' }, ACCOUNT, STACK)).toBeUndefined();
});

describe('files from the layout before the one record (a user upgrading mid-workshop)', () => {
  const armedKey = `moto@${TARGET.endpoint}/us-east-1/${ACCOUNT}/${STACK}`;
  const oldArmed = {
    scenario: lab.scenario,
    learner: 'ana',
    variant: 'permissions-boundary',
    stackId: STACK_ID,
    creationTime: CREATED.toISOString(),
    armedAt: '2026-12-01T10:05:00.000Z',
  };
  const oldLabFile = () => {
    const hash = createHash('sha256').update(`moto@${TARGET.endpoint}/us-east-1|${STACK}`).digest('hex').slice(0, 16);
    return join(home, 'labs', `${STACK}-${hash}.json`);
  };
  const writeOldLayout = () => {
    writeFileSync(join(home, 'armed-labs.json'), JSON.stringify({ version: 1, labs: { [armedKey]: oldArmed } }));
    mkdirSync(join(home, 'labs'));
    writeFileSync(
      oldLabFile(),
      JSON.stringify({ ...lab, target: `moto@${TARGET.endpoint}/us-east-1`, recordedAt: '2026-12-01T09:59:00.000Z', baseline: BASELINE }),
    );
  };

  test('are read: the arm evidence, variant and baseline of a lab deployed before the upgrade', () => {
    writeOldLayout();
    expect(readArmedRecord(TARGET, { stackName: STACK, stackId: STACK_ID })).toEqual(oldArmed);
    expect(readLabRecord(TARGET, ACCOUNT, STACK)).toMatchObject({
      variant: 'permissions-boundary',
      baseline: BASELINE,
      recordedAt: '2026-12-01T09:59:00.000Z',
      armed: oldArmed,
    });
  });

  test('move into the one record the next time the lab is written, and the old files go', () => {
    writeOldLayout();
    recordArmed(TARGET, { stackName: STACK, stackId: STACK_ID, creationTime: CREATED }, lab);
    expect(existsSync(join(home, 'armed-labs.json'))).toBe(false);
    expect(existsSync(oldLabFile())).toBe(false);
    expect(readLabRecord(TARGET, ACCOUNT, STACK)).toMatchObject({ baseline: BASELINE, recordedAt: '2026-12-01T09:59:00.000Z' });
  });

  test('an old per-lab file naming a stack in another account is not this account’s lab', () => {
    writeOldLayout();
    const file = oldLabFile();
    const old = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...old, stackId: STACK_ID.replace(ACCOUNT, '999999999999') }));
    writeFileSync(join(home, 'armed-labs.json'), JSON.stringify({ version: 1, labs: {} }));
    expect(readLabRecord(TARGET, ACCOUNT, STACK)).toBeUndefined();
  });
});

test('the progress store keeps its entries in the same kind of file', () => {
  updateProgress(TARGET, STACK, { scenario: lab.scenario, learner: 'ana' }, (p) => p.hintsSeen.push(1));
  updateProgress(TARGET, STACK, { scenario: lab.scenario, learner: 'ana' }, (p) => p.hintsSeen.push(2));
  expect(getProgress(TARGET, STACK)).toMatchObject({ hintsSeen: [1, 2], target: `moto@${TARGET.endpoint}/us-east-1` });
  const file = JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8'));
  expect(file.version).toBe(1);
  writeFileSync(join(home, 'progress.json'), '{ not json');
  expect(getProgress(TARGET, STACK)).toBeUndefined();
});
