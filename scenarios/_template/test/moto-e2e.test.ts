/**
 * End to end on the kit's moto: deploy arms the fault, the valid remedies
 * (SDK, aws CLI) are accepted, the shortcut is rejected with the criterion
 * named, advice never changes the verdict, reset re-arms, destroy leaves
 * nothing behind.
 */
import {
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { checkScenario } from '../../../lib/ops/check';
import { destroyScenario } from '../../../lib/ops/destroy';
import { resetScenario } from '../../../lib/ops/reset';
import { awsCli, useLab } from '../../../test/support/lab';
import { criterion, failing } from '../../../test/support/report';
import scenario from '..';
import { gatherReports } from '../gather';

const lab = useLab(scenario);
const bucket = async () => (await gatherReports(lab.ctx)).bucket;

describe('armed', () => {
  test('only the versioning criterion fails, and status shows the setting', async () => {
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('not-fixed');
    expect(failing(report)).toEqual(['bucket-versioning-enabled']);
    expect(criterion(report, 'noncurrent-versions-expire')).toMatchObject({ status: 'not-applicable', kind: 'advice' });
    expect((await scenario.symptom(lab.ctx)).summary).toMatch(/has no earlier version: versioning of the bucket is never enabled\.$/);
  });
});

describe('valid remedies', () => {
  afterEach(async () => {
    await resetScenario(scenario, lab.ctx);
  });

  test('versioning turned on with the SDK is fixed; the missing expiry is advice only', async () => {
    await lab.ctx.clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: await bucket(), VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'noncurrent-versions-expire').advice).toMatch(/NoncurrentVersionExpiration/);
  });

  test('versioning turned on with the aws CLI, and an expiry rule, is fixed with nothing to advise', async () => {
    const b = await bucket();
    await awsCli(lab.endpoint, ['s3api', 'put-bucket-versioning', '--bucket', b, '--versioning-configuration', 'Status=Enabled']);
    await lab.ctx.clients.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: b,
        LifecycleConfiguration: {
          Rules: [
            { ID: 'expire-old-reports', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
          ],
        },
      }),
    );
    const report = await checkScenario(scenario, lab.ctx);
    expect(report.verdict).toBe('fixed');
    expect(criterion(report, 'noncurrent-versions-expire').advice).toBeUndefined();
  });
});

describe('shortcuts are rejected', () => {
  test('versioning turned on and suspended again', async () => {
    const b = await bucket();
    await lab.ctx.clients.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    await lab.ctx.clients.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
    const report = await checkScenario(scenario, lab.ctx);
    expect(failing(report)).toEqual(['bucket-versioning-enabled']);
    expect(criterion(report, 'bucket-versioning-enabled').message).toMatch(/is Suspended/);
    await resetScenario(scenario, lab.ctx);
  });
});

describe('destroy', () => {
  test('removes the stack and the bucket with every version the learner wrote', async () => {
    const b = await bucket();
    await lab.ctx.clients.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    for (const day of ['01', '02']) await lab.ctx.clients.s3.send(new PutObjectCommand({ Bucket: b, Key: 'reports/daily.csv', Body: day }));
    const result = await destroyScenario(scenario, lab.ctx);
    expect(result.leftovers).toEqual([]);
    expect(result.removed).toEqual(expect.arrayContaining([`3 object version(s) in ${b}`, `CloudFormation stack ${lab.ctx.stackName}`]));
    await expect(lab.ctx.clients.s3.send(new HeadBucketCommand({ Bucket: b }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});
