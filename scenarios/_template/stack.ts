import { Aws, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';

/**
 * A reports bucket without versioning: the fault is in the stack itself.
 * (A scenario whose fault comes later, from a learner-like action, breaks it
 * in arm.ts instead.)
 */
export class ReportsStack extends ScenarioStack {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, props: ScenarioStackProps) {
    super(scope, props, `breakfix scenario ${props.scenarioId}: a reports bucket that keeps no earlier versions`);
    this.bucket = new s3.Bucket(this, 'ReportsBucket', {
      bucketName: Fn.join('-', [this.scenario.stackName, 'reports', Aws.ACCOUNT_ID]),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
