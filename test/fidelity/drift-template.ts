/**
 * One stack with a resource of every type drift detection supports, and the
 * out-of-band changes a learner (or an incident) makes to them. Shared by
 * cfn-drift-detection.test.ts (the emulator's DetectStackDrift) and
 * cfn-drift-agreement.test.ts (the emulator against lib/engines/cfn/drift.ts).
 */
import { CloudWatchLogsClient, DeleteLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { AuthorizeSecurityGroupIngressCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { IAMClient, AttachRolePolicyCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DeleteBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { DriftClients as EngineClients } from '../../lib/engines/cfn/drift';
import { clientConfig, Template } from './cfn-harness';

export const ORDERS_TABLE = 'drift-orders';
export const BUCKET = 'drift-assets';

const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});
export const READ_ORDERS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: { 'Fn::GetAtt': ['Orders', 'Arn'] } }],
};

/** Every supported type, with properties set explicitly where drift is compared, and left to defaults where it must not be. */
export const DRIFT_TEMPLATE: Template = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.90.0.0/16' } },
    AppSg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'app',
        VpcId: { Ref: 'Vpc' },
        // No SecurityGroupEgress: the default egress is not the template's, so never drift.
        SecurityGroupIngress: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            CidrIp: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] },
            Description: 'https from the VPC',
          },
        ],
      },
    },
    Orders: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: ORDERS_TABLE,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    },
    AppRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: trust('lambda.amazonaws.com'),
        Policies: [{ PolicyName: 'read-orders', PolicyDocument: READ_ORDERS }],
        ManagedPolicyArns: [{ Ref: 'LogsPolicy' }],
      },
    },
    LogsPolicy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] },
      },
    },
    Flag: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/drift/feature-flag', Type: 'String', Value: 'safe-mode' } },
    AppLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/drift/app', RetentionInDays: 30 } },
    AuditLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/drift/audit', RetentionInDays: 7 } },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'drift-app',
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['AppRole', 'Arn'] },
        Code: { ZipFile: 'def handler(event, context):\n    return 1\n' },
        Timeout: 10,
        // No MemorySize: its default is not the template's, so never drift.
        Environment: { Variables: { TABLE: { Ref: 'Orders' }, MODE: 'strict' } },
      },
    },
    Assets: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } },
    AssetsPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Assets' },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:DeleteObject',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Assets' }, '/*']] },
            },
          ],
        },
      },
    },
  },
};

export interface DriftClients {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly ddb: DynamoDBClient;
  readonly ssm: SSMClient;
  readonly logs: CloudWatchLogsClient;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
}

/**
 * Out-of-band changes, as someone fixing an incident in the console would
 * make them. `ids` maps logical IDs to physical IDs.
 */
export async function driftEverything(c: DriftClients, ids: Record<string, string>, vpcCidr: string): Promise<void> {
  // A rule removed and a rule added.
  await c.ec2.send(
    new RevokeSecurityGroupIngressCommand({
      GroupId: ids.AppSg,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: vpcCidr }] }],
    }),
  );
  await c.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: ids.AppSg,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'debug' }] }],
    }),
  );
  // The inline policy widened, a managed policy attached, the trust policy changed.
  await c.iam.send(
    new PutRolePolicyCommand({
      RoleName: ids.AppRole,
      PolicyName: 'read-orders',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }),
    }),
  );
  await c.iam.send(
    new AttachRolePolicyCommand({ RoleName: ids.AppRole, PolicyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess' }),
  );
  await c.iam.send(
    new UpdateAssumeRolePolicyCommand({
      RoleName: ids.AppRole,
      PolicyDocument: JSON.stringify(trust('ecs-tasks.amazonaws.com')),
    }),
  );
  // Configuration values.
  await c.ssm.send(new PutParameterCommand({ Name: '/drift/feature-flag', Value: 'fast-mode', Type: 'String', Overwrite: true }));
  await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/drift/app', retentionInDays: 1 }));
  await c.logs.send(new DeleteLogGroupCommand({ logGroupName: '/drift/audit' }));
  await c.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: 'drift-app',
      Timeout: 60,
      MemorySize: 1024, // not in the template: not drift
      Environment: { Variables: { TABLE: ORDERS_TABLE, MODE: 'lenient', DEBUG: '1' } },
    }),
  );
  await c.ddb.send(
    new UpdateTableCommand({ TableName: ORDERS_TABLE, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 5 } }),
  );
  await c.ddb.send(
    new UpdateTimeToLiveCommand({ TableName: ORDERS_TABLE, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false } }),
  );
  await c.s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
}

/** Every client the drift engine and these changes need, for one endpoint; destroy() closes them. */
export function driftClientsFor(endpoint: string): EngineClients & DriftClients & { destroy(): void } {
  const config = clientConfig(endpoint);
  const all = {
    cfn: new CloudFormationClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    lambda: new LambdaClient(config),
    ssm: new SSMClient(config),
    logs: new CloudWatchLogsClient(config),
    dynamodb: new DynamoDBClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ecs: new ECSClient(config),
  };
  return { ...all, ddb: all.dynamodb, destroy: () => Object.values(all).forEach((c) => c.destroy()) };
}
