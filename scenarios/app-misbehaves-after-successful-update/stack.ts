import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnParameter, StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';
import {
  FUNCTION_LOGICAL_ID,
  LOG_GROUP_LOGICAL_ID,
  LOG_RETENTION_DAYS,
  PAYMENT_TIMEOUT_LOGICAL_ID,
  RELEASE_VARIABLE,
  TABLE_LOGICAL_ID,
  TEMPLATE_FUNCTION_TIMEOUT_S,
  TEMPLATE_PAYMENT_TIMEOUT_MS,
  TEMPLATE_WRITE_MODE,
  TEMPLATE_WRITE_MODE_DESCRIPTION,
  TEMPLATE_PAYMENT_TIMEOUT_DESCRIPTION,
  WRITE_MODE_LOGICAL_ID,
  functionName,
  logGroupName,
  paymentTimeoutParameter,
  providerP99Ms,
  tableName,
  writeModeParameter,
} from './lab';

/**
 * The orders service as its team's repository describes it: an orders API
 * function, its two configuration parameters (write mode, payment client
 * timeout), the orders table and the function's log group. Nothing here is
 * broken: `breakfix deploy` replays the previous release, an incident and
 * this release afterwards (arm.ts).
 */
export interface OrdersServiceStackProps extends ScenarioStackProps {
  /** The scenario folder, whose assets/ holds the orders API's source (tsc does not copy it to dist). */
  readonly sourceDir: string;
}

export class OrdersServiceStack extends ScenarioStack {
  readonly table: Table;
  readonly writeMode: StringParameter;
  readonly paymentTimeout: StringParameter;
  readonly function: lambda.Function;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, props: OrdersServiceStackProps) {
    super(scope, props, `breakfix ${props.scenarioId}: orders service (API function, configuration parameters, orders table)`);
    const name = props.stackName;

    this.table = new Table(this, 'Orders', {
      tableName: tableName(name),
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    (this.table.node.defaultChild as CfnTable).overrideLogicalId(TABLE_LOGICAL_ID);

    this.writeMode = new StringParameter(this, 'WriteMode', {
      parameterName: writeModeParameter(name),
      stringValue: TEMPLATE_WRITE_MODE,
      description: TEMPLATE_WRITE_MODE_DESCRIPTION,
    });
    (this.writeMode.node.defaultChild as CfnParameter).overrideLogicalId(WRITE_MODE_LOGICAL_ID);

    this.paymentTimeout = new StringParameter(this, 'PaymentClientTimeout', {
      parameterName: paymentTimeoutParameter(name),
      stringValue: String(TEMPLATE_PAYMENT_TIMEOUT_MS),
      description: TEMPLATE_PAYMENT_TIMEOUT_DESCRIPTION,
    });
    (this.paymentTimeout.node.defaultChild as CfnParameter).overrideLogicalId(PAYMENT_TIMEOUT_LOGICAL_ID);

    this.logGroup = new LogGroup(this, 'OrdersApiLogs', {
      logGroupName: logGroupName(name),
      retention: LOG_RETENTION_DAYS as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    (this.logGroup.node.defaultChild as CfnLogGroup).overrideLogicalId(LOG_GROUP_LOGICAL_ID);

    this.function = new lambda.Function(this, 'OrdersApi', {
      functionName: functionName(name),
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(readFileSync(join(props.sourceDir, 'assets', 'orders-api.js'), 'utf8')),
      timeout: Duration.seconds(TEMPLATE_FUNCTION_TIMEOUT_S),
      memorySize: 256,
      environment: {
        TABLE_NAME: this.table.tableName,
        WRITE_MODE_PARAMETER: this.writeMode.parameterName,
        PAYMENT_TIMEOUT_PARAMETER: this.paymentTimeout.parameterName,
        PAYMENT_PROVIDER_LATENCY_MS: String(providerP99Ms(props.variant)),
        // This morning's release: the only change since the previous one.
        [RELEASE_VARIABLE.name]: RELEASE_VARIABLE.value,
      },
    });
    (this.function.node.defaultChild as lambda.CfnFunction).overrideLogicalId(FUNCTION_LOGICAL_ID);
    this.function.node.addDependency(this.logGroup);
    this.table.grantReadWriteData(this.function);
    this.writeMode.grantRead(this.function);
    this.paymentTimeout.grantRead(this.function);
  }
}
