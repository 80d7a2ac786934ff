import { Annotations, CfnOutput, CfnParameter, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';
import { DB_LOGICAL_ID, DB_NAME, DB_USERNAME, EXPOSED_PASSWORD, FUNCTION_LOGICAL_ID, PASSWORD_PARAMETER, VARIANTS } from './lab';

/**
 * The orders app as its team first wrote it: the database master password is
 * a template parameter with the real value as its default, handed to the
 * database and to the function's environment. In the noecho-default variant
 * the parameter is NoEcho, but the default stays in the template and a
 * connection-string output repeats the value.
 */
export class OrdersStack extends ScenarioStack {
  readonly password: CfnParameter;
  readonly database: rds.CfnDBInstance;
  readonly app: lambda.Function;

  constructor(scope: Construct, props: ScenarioStackProps) {
    super(scope, props, `breakfix scenario ${props.scenarioId}: the orders database and the function that serves orders`);
    const noEcho = props.variant === VARIANTS.noEcho;

    this.password = new CfnParameter(this, PASSWORD_PARAMETER, {
      type: 'String',
      default: EXPOSED_PASSWORD,
      noEcho,
      description: 'Master password of the orders database',
    });
    // The lab is this mistake: cfn-lint's password rules describe the fault, not a flaw in the lab.
    for (const rule of ['W2501', 'W2509'])
      Annotations.of(this).acknowledgeWarning(
        `CloudFormation-Validate::${rule}`,
        'the exposed password parameter is the fault the learner fixes',
      );

    this.database = new rds.CfnDBInstance(this, DB_LOGICAL_ID, {
      dbInstanceIdentifier: this.physicalName('orders-db'),
      engine: 'postgres',
      engineVersion: '16.4',
      dbInstanceClass: 'db.t4g.micro',
      allocatedStorage: '20',
      storageEncrypted: true,
      publiclyAccessible: false,
      backupRetentionPeriod: 1,
      dbName: DB_NAME,
      masterUsername: DB_USERNAME,
      masterUserPassword: this.password.valueAsString,
    });
    // A lab database: gone with the stack, no final snapshot left behind.
    this.database.applyRemovalPolicy(RemovalPolicy.DESTROY);

    const role = new iam.Role(this, 'OrdersApiRole', {
      roleName: this.physicalName('orders-api'),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [
                `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:/aws/lambda/${this.physicalName('orders-api')}:*`,
              ],
            }),
          ],
        }),
      },
    });

    this.app = new lambda.Function(this, FUNCTION_LOGICAL_ID, {
      functionName: this.physicalName('orders-api'),
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      role,
      timeout: Duration.seconds(10),
      code: lambda.Code.fromInline(APP_CODE),
      environment: {
        DB_HOST: this.database.attrEndpointAddress,
        DB_NAME,
        DB_USER: DB_USERNAME,
        DB_PASSWORD: this.password.valueAsString,
      },
    });

    new CfnOutput(this, 'OrdersApiFunctionName', { value: this.app.functionName });
    if (noEcho) {
      new CfnOutput(this, 'OrdersDbConnection', {
        description: 'Connection string for the orders database',
        value: Fn.join('', [
          `postgresql://${DB_USERNAME}:`,
          this.password.valueAsString,
          '@',
          this.database.attrEndpointAddress,
          `:5432/${DB_NAME}`,
        ]),
      });
    }
  }
}

/**
 * The app: it takes the password from DB_PASSWORD, or reads it at run time
 * from the secret or SecureString parameter DB_SECRET_ID / DB_PASSWORD_PARAMETER
 * names, so moving the password out of the environment needs no code change.
 */
const APP_CODE = `
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');
async function password() {
  if (process.env.DB_SECRET_ID) {
    const s = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET_ID }));
    try { return JSON.parse(s.SecretString).password; } catch { return s.SecretString; }
  }
  if (process.env.DB_PASSWORD_PARAMETER) {
    const p = await new SSMClient({}).send(new GetParameterCommand({ Name: process.env.DB_PASSWORD_PARAMETER, WithDecryption: true }));
    return p.Parameter.Value;
  }
  return process.env.DB_PASSWORD;
}
exports.handler = async () => {
  const pw = await password();
  return { host: process.env.DB_HOST, user: process.env.DB_USER, hasPassword: Boolean(pw) };
};
`;
