import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnLogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ScenarioStack } from '../../lib/constructs/scenario-stack';
import type { ScenarioStackProps } from '../../lib/scenario/types';
import { LOG_GROUP_LOGICAL_ID, RETENTION_DAYS, TABLE_LOGICAL_ID, logGroupName, tableName } from './lab';

/**
 * A small production stack for an orders API: the orders table (data the
 * learner must not lose, retained on delete) and the API's log group.
 * Nothing here is broken; `breakfix deploy` breaks it afterwards (see arm.ts).
 */
export class OrdersProductionStack extends ScenarioStack {
  /** The orders table; DeletionPolicy and UpdateReplacePolicy Retain. */
  readonly table: Table;
  /** The orders API's log group, 30-day retention. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, props: ScenarioStackProps) {
    super(scope, props, `breakfix ${props.scenarioId}: production orders stack (table with live orders, API log group)`);

    this.table = new Table(this, 'Orders', {
      tableName: tableName(props.stackName),
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.table.node.defaultChild as CfnTable).overrideLogicalId(TABLE_LOGICAL_ID);

    this.logGroup = new LogGroup(this, 'OrdersApiLogs', {
      logGroupName: logGroupName(props.stackName),
      retention: RETENTION_DAYS as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    (this.logGroup.node.defaultChild as CfnLogGroup).overrideLogicalId(LOG_GROUP_LOGICAL_ID);
  }
}
