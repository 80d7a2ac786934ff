/**
 * patch_dynamodb_table_cfn: AWS::DynamoDB::Table from CloudFormation applies
 * TimeToLiveSpecification, and stack updates change billing, throughput and
 * TTL in place.
 *
 * AWS sources: "AWS::DynamoDB::Table" (CloudFormation Template Reference),
 * "DescribeTable" and "DescribeTimeToLive" (Amazon DynamoDB API Reference).
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfig, cloneTemplate, Flavour, FLAVOURS, stackOnBothFlavours, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-ddb-table';
const TEMPLATE: Template = {
  Resources: {
    Orders: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'fidelity-ddb-orders',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    },
  },
};

const THROUGHPUT = cloneTemplate(TEMPLATE);
THROUGHPUT.Resources.Orders.Properties!.ProvisionedThroughput = { ReadCapacityUnits: 10, WriteCapacityUnits: 2 };
delete THROUGHPUT.Resources.Orders.Properties!.TimeToLiveSpecification;

const ON_DEMAND = cloneTemplate(THROUGHPUT);
ON_DEMAND.Resources.Orders.Properties!.BillingMode = 'PAY_PER_REQUEST';
delete ON_DEMAND.Resources.Orders.Properties!.ProvisionedThroughput;

interface Seen {
  ttl?: string;
  ttlAttribute?: string;
  throughput: string;
  billing?: string;
}

describe('AWS::DynamoDB::Table via CloudFormation', () => {
  const { clients } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ ddb: new DynamoDBClient(clientConfig(endpoint)) }));
  const seen = {} as Record<Flavour, Seen[]>;

  async function look(flavour: Flavour): Promise<Seen> {
    const { ddb } = clients[flavour];
    const table = (await ddb.send(new DescribeTableCommand({ TableName: 'fidelity-ddb-orders' }))).Table!;
    const ttl = (await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'fidelity-ddb-orders' }))).TimeToLiveDescription!;
    return {
      ttl: ttl.TimeToLiveStatus,
      ttlAttribute: ttl.AttributeName,
      throughput: `${table.ProvisionedThroughput?.ReadCapacityUnits}/${table.ProvisionedThroughput?.WriteCapacityUnits}`,
      billing: table.BillingModeSummary?.BillingMode,
    };
  }

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      seen[flavour] = [await look(flavour)];
      expect(await updateStack(clients[flavour].cfn, STACK, THROUGHPUT)).toBe('UPDATE_COMPLETE');
      seen[flavour].push(await look(flavour));
      expect(await updateStack(clients[flavour].cfn, STACK, ON_DEMAND)).toBe('UPDATE_COMPLETE');
      seen[flavour].push(await look(flavour));
    }
  });

  test('stock moto ignores TimeToLiveSpecification and every update (patch still needed)', () => {
    expect(seen.stock.map((s) => [s.ttl, s.throughput, s.billing])).toEqual([
      ['DISABLED', '5/5', 'PROVISIONED'],
      ['DISABLED', '5/5', 'PROVISIONED'],
      ['DISABLED', '5/5', 'PROVISIONED'],
    ]);
  });

  test('patched moto enables TTL on the named attribute', () => {
    expect(seen.patched[0]).toEqual({ ttl: 'ENABLED', ttlAttribute: 'expiresAt', throughput: '5/5', billing: 'PROVISIONED' });
  });

  test('patched moto updates throughput, disables TTL removed from the template, then switches to on-demand', () => {
    expect(seen.patched[1]).toMatchObject({ ttl: 'DISABLED', throughput: '10/2', billing: 'PROVISIONED' });
    expect(seen.patched[2]).toMatchObject({ ttl: 'DISABLED', billing: 'PAY_PER_REQUEST' });
  });
});
