/**
 * The checker against documented shapes of S3's responses (not recordings):
 * GetBucketVersioning with MFADelete, the NoSuchLifecycleConfiguration error
 * of a bucket without rules, and a refusal, which must never read as "no
 * lifecycle rules".
 */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { runCheck } from '../../../checkers/runner';
import type { ScenarioContext } from '../../../lib/scenario/types';
import { AWS_TARGET, stubbedClients } from '../../../test/support/stub-clients';
import { criterion } from '../../../test/support/report';
import scenario from '..';

const STACK = 'ana-template';
const BUCKET = `${STACK}-reports-111122223333`;

function s3Error(name: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

function context(versioning: object, lifecycle: () => object): ScenarioContext {
  const clients = stubbedClients(AWS_TARGET, (command) => {
    switch (command) {
      case 'ListStackResourcesCommand':
        return {
          StackResourceSummaries: [
            {
              LogicalResourceId: 'ReportsBucket5B3F4A1D',
              ResourceType: 'AWS::S3::Bucket',
              PhysicalResourceId: BUCKET,
              ResourceStatus: 'CREATE_COMPLETE',
            },
          ],
        };
      case 'GetBucketVersioningCommand':
        return versioning;
      case 'GetBucketLifecycleConfigurationCommand':
        return lifecycle();
      default:
        throw new Error(`the documented world has no answer for ${command}`);
    }
  });
  return {
    scenarioId: scenario.id,
    stackName: STACK,
    learner: 'ana',
    variant: 'versioning-off',
    target: AWS_TARGET,
    clients,
    progress: () => undefined,
  };
}

const check = (ctx: ScenarioContext) =>
  runCheck({ scenario: scenario.id, target: 'aws', variant: ctx.variant, gather: () => scenario.gather(ctx), criteria: scenario.criteria });

const noRules = () => {
  throw s3Error('NoSuchLifecycleConfiguration', 404, 'The lifecycle configuration does not exist');
};

test('a bucket never versioned answers with no Status: not fixed', async () => {
  const report = await check(context({}, noRules));
  expect(report.verdict).toBe('not-fixed');
  expect(criterion(report, 'bucket-versioning-enabled').message).toBe(
    `Versioning of S3 bucket ${BUCKET} is not enabled (never turned on), so an overwrite keeps no earlier version.`,
  );
});

test('Enabled with MFADelete Disabled is fixed; no lifecycle configuration is advice, not a failure', async () => {
  const report = await check(context({ Status: 'Enabled', MFADelete: 'Disabled' }, noRules));
  expect(report.verdict).toBe('fixed');
  expect(criterion(report, 'noncurrent-versions-expire')).toMatchObject({ status: 'pass', kind: 'advice' });
});

test('a refused lifecycle read is never read as "no rules": the gather fails and every criterion errors', async () => {
  const denied = () => {
    throw s3Error('AccessDenied', 403, 'Access Denied');
  };
  const report = await check(context({ Status: 'Enabled' }, denied));
  expect(report.criteria.map((c) => c.status)).toEqual(['error', 'error']);
  // The gather failed, so the required criterion errors too: a refusal must not pass as a fix.
  expect(report.verdict).toBe('not-fixed');
});
