import { Aws, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';
import { CLEANUP_POLICY_NAME, EXPIRED_PREFIX, PROTECT_SID, REPORTING_POLICY_NAME } from './lab';

export type S3DeleteStackProps = ScenarioStackProps;

/**
 * A data bucket protected by a bucket policy, a cleanup-job role with s3:* that
 * the nightly job (and the learner) assumes, and an unrelated reporting role
 * with the same broad grant. Each variant blocks the cleanup role's deletes
 * under expired/ in a different layer.
 */
export class S3DeleteStack extends ScenarioStack {
  readonly bucket: s3.Bucket;
  readonly cleanupRole: iam.Role;
  readonly reportingRole: iam.Role;
  readonly boundary?: iam.ManagedPolicy;

  constructor(scope: Construct, props: S3DeleteStackProps) {
    super(scope, props, `breakfix scenario s3-delete-access-denied (${props.variant}): a cleanup job cannot delete expired objects`);

    this.bucket = new s3.Bucket(this, 'DataBucket', {
      bucketName: Fn.join('-', [this.scenario.stackName, 'data', Aws.ACCOUNT_ID]),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    if (props.variant === 'permissions-boundary') {
      this.boundary = new iam.ManagedPolicy(this, 'CleanupBoundary', {
        managedPolicyName: this.physicalName('cleanup-boundary'),
        description: 'Ceiling for the cleanup job: it reads and writes objects',
        statements: [
          new iam.PolicyStatement({
            sid: 'ReadWriteObjects',
            actions: ['s3:GetObject', 's3:PutObject'],
            resources: [this.bucket.arnForObjects('*')],
          }),
          new iam.PolicyStatement({ sid: 'ListBucket', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
        ],
      });
    }

    this.cleanupRole = new iam.Role(this, 'CleanupJobRole', {
      roleName: this.physicalName('cleanup-job'),
      description: 'Assumed by the nightly cleanup job to remove expired objects',
      assumedBy: new iam.AccountRootPrincipal(),
      permissionsBoundary: this.boundary,
      inlinePolicies: {
        [CLEANUP_POLICY_NAME]: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })] }),
      },
    });
    this.reportingRole = new iam.Role(this, 'ReportingRole', {
      roleName: this.physicalName('reporting'),
      description: 'Assumed by the reporting team; reads the bucket',
      assumedBy: new iam.AccountRootPrincipal(),
      inlinePolicies: {
        [REPORTING_POLICY_NAME]: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })] }),
      },
    });

    const steward = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${this.physicalName('data-steward')}`;
    const deletes = ['s3:DeleteObject', 's3:DeleteObjectVersion'];
    const policy = new s3.BucketPolicy(this, 'DataBucketPolicy', { bucket: this.bucket });
    if (props.variant === 'bucket-policy') {
      // The fault: only the steward is exempt, so the cleanup job is denied everywhere.
      policy.document.addStatements(
        new iam.PolicyStatement({
          sid: PROTECT_SID,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: deletes,
          resources: [this.bucket.arnForObjects('*')],
          conditions: { ArnNotLike: { 'aws:PrincipalArn': steward } },
        }),
      );
    } else {
      // The protection done right: retained prefixes for the steward only, expired/ for the steward and the cleanup job.
      policy.document.addStatements(
        new iam.PolicyStatement({
          sid: PROTECT_SID,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: deletes,
          notResources: [this.bucket.arnForObjects(`${EXPIRED_PREFIX}*`)],
          conditions: { ArnNotLike: { 'aws:PrincipalArn': steward } },
        }),
        new iam.PolicyStatement({
          sid: 'ExpiredDataForCleanupOnly',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: deletes,
          resources: [this.bucket.arnForObjects(`${EXPIRED_PREFIX}*`)],
          conditions: { ArnNotLike: { 'aws:PrincipalArn': [steward, this.cleanupRole.roleArn] } },
        }),
      );
    }
  }
}
