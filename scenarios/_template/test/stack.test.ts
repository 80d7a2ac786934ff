import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addScenarioStack } from '../../../lib/app/build-app';
import scenario from '..';
import { ReportsStack } from '../stack';

function build(learner?: string): { stack: ReportsStack; t: Template } {
  const stack = addScenarioStack(new App(), { scenario, targetKind: 'moto', learner, region: 'us-east-1' });
  expect(stack).toBeInstanceOf(ReportsStack);
  return { stack: stack as ReportsStack, t: Template.fromStack(stack) };
}

test('one private, encrypted bucket without versioning, removed with the stack', () => {
  const { t } = build();
  t.resourceCountIs('AWS::S3::Bucket', 1);
  t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  const bucket = Object.values(t.findResources('AWS::S3::Bucket'))[0] as { Properties: Record<string, unknown> };
  expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
  t.hasResourceProperties('AWS::S3::Bucket', {
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
});

test('the bucket name carries the stack name, so a learner prefix reaches it', () => {
  const { t } = build('ada');
  t.hasResourceProperties('AWS::S3::Bucket', { BucketName: { 'Fn::Join': ['-', ['ada-template-reports', { Ref: 'AWS::AccountId' }]] } });
});
