/**
 * patch_dynamodb_resource_policy_lifecycle: a table's resource-based policy
 * goes with the table (DeleteTable, and the stack that owns it), so a table
 * recreated under the same name has none; DeleteResourcePolicy is idempotent.
 *
 * AWS sources: "PutResourcePolicy", "DeleteResourcePolicy" and "DeleteTable"
 * (Amazon DynamoDB API Reference).
 */
import {
  CreateTableCommand,
  DeleteResourcePolicyCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-dynamodb';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { clientConfig, createStack, deleteStack, Flavour, FLAVOURS, MotoPair, startMotoPair, Template } from './cfn-harness';

const KEY = {
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
};

const policyFor = (arn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'dynamodb:DeleteItem', Resource: arn }],
  });

const TABLE_STACK: Template = {
  Resources: {
    Orders: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { TableName: 'fidelity-rp-stack', BillingMode: 'PAY_PER_REQUEST', ...KEY },
    },
  },
};

async function policyState(ddb: DynamoDBClient, arn: string): Promise<string> {
  try {
    await ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    return 'policy';
  } catch (err) {
    return (err as Error).name;
  }
}

async function errorName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as Error).name;
  }
}

describe('DynamoDB resource policies and their table', () => {
  let motos: MotoPair;
  const seen = {} as Record<
    Flavour,
    { afterDeleteTable: string; afterStackDelete: string; deleteWithoutPolicy?: string; deleteWithoutPolicyExpecting?: string }
  >;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const ddb = new DynamoDBClient(clientConfig(motos[flavour].endpoint));
      const cfn = new CloudFormationClient(clientConfig(motos[flavour].endpoint));

      // DeleteTable, then the same name again.
      const arn = (await ddb.send(new CreateTableCommand({ TableName: 'fidelity-rp', BillingMode: 'PAY_PER_REQUEST', ...KEY })))
        .TableDescription!.TableArn!;
      await ddb.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policyFor(arn) }));
      expect(await policyState(ddb, arn)).toBe('policy');
      await ddb.send(new DeleteTableCommand({ TableName: 'fidelity-rp' }));
      await ddb.send(new CreateTableCommand({ TableName: 'fidelity-rp', BillingMode: 'PAY_PER_REQUEST', ...KEY }));
      const afterDeleteTable = await policyState(ddb, arn);

      // DeleteResourcePolicy on a table that never had one.
      const bare = (await ddb.send(new CreateTableCommand({ TableName: 'fidelity-rp-bare', BillingMode: 'PAY_PER_REQUEST', ...KEY })))
        .TableDescription!.TableArn!;
      const deleteWithoutPolicy = await errorName(ddb.send(new DeleteResourcePolicyCommand({ ResourceArn: bare })));
      const deleteWithoutPolicyExpecting = await errorName(
        ddb.send(new DeleteResourcePolicyCommand({ ResourceArn: bare, ExpectedRevisionId: '1234' })),
      );

      // The table's stack is deleted, then created again.
      expect((await createStack(cfn, 'fidelity-rp', TABLE_STACK)).status).toBe('CREATE_COMPLETE');
      const stackArn = (await ddb.send(new DescribeTableCommand({ TableName: 'fidelity-rp-stack' }))).Table!.TableArn!;
      await ddb.send(new PutResourcePolicyCommand({ ResourceArn: stackArn, Policy: policyFor(stackArn) }));
      await deleteStack(cfn, 'fidelity-rp');
      expect((await createStack(cfn, 'fidelity-rp', TABLE_STACK)).status).toBe('CREATE_COMPLETE');
      const afterStackDelete = await policyState(ddb, stackArn);

      seen[flavour] = { afterDeleteTable, afterStackDelete, deleteWithoutPolicy, deleteWithoutPolicyExpecting };
      ddb.destroy();
      cfn.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto hands the old policy to the recreated table and refuses an idempotent delete (patch still needed)', () => {
    expect(seen.stock.afterDeleteTable).toBe('policy');
    expect(seen.stock.afterStackDelete).toBe('policy');
    expect(seen.stock.deleteWithoutPolicy).toBe('ResourceNotFoundException');
  });

  test('patched moto: a table recreated after DeleteTable has no policy', () => {
    expect(seen.patched.afterDeleteTable).toBe('PolicyNotFoundException');
  });

  test("patched moto: a table recreated after its stack's deletion has no policy", () => {
    expect(seen.patched.afterStackDelete).toBe('PolicyNotFoundException');
  });

  test('patched moto: DeleteResourcePolicy without a policy succeeds, unless a revision is expected', () => {
    expect(seen.patched.deleteWithoutPolicy).toBeUndefined();
    expect(seen.patched.deleteWithoutPolicyExpecting).toBe('PolicyNotFoundException');
  });
});
