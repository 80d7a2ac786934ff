import { findLeftovers, inventoryOf } from './inventory';
import type { AwsClients } from '../targets/clients';

const noClients = {} as AwsClients;

test('a resource of a type no probe covers is reported, never skipped', async () => {
  const inv = inventoryOf([
    {
      ResourceType: 'AWS::Kinesis::Stream',
      PhysicalResourceId: 'orders-stream',
      LogicalResourceId: 'S',
      ResourceStatus: 'CREATE_COMPLETE',
      LastUpdatedTimestamp: new Date(),
    },
    {
      ResourceType: 'Custom::Seed',
      PhysicalResourceId: 'seed-1',
      LogicalResourceId: 'C',
      ResourceStatus: 'CREATE_COMPLETE',
      LastUpdatedTimestamp: new Date(),
    },
  ]);
  expect(await findLeftovers(noClients, inv)).toEqual([
    'AWS::Kinesis::Stream orders-stream (no probe covers this type, so breakfix cannot show it is gone)',
  ]);
});

test("a scenario's own probe decides for its type", async () => {
  const inv: Record<string, string[]> = { 'AWS::Kinesis::Stream': ['a', 'b'] };
  const probes = { 'AWS::Kinesis::Stream': async (_c: AwsClients, id: string) => (id === 'b' ? `Kinesis stream ${id}` : undefined) };
  expect(await findLeftovers(noClients, inv, probes)).toEqual(['Kinesis stream b']);
});

test('a contained type is covered by its parent when the parent is in the inventory, and reported otherwise', async () => {
  expect(await findLeftovers(noClients, { 'AWS::EC2::Subnet': ['subnet-1'], 'AWS::X::Y': [] }, {})).toEqual([
    'AWS::EC2::Subnet subnet-1 (no probe covers this type, so breakfix cannot show it is gone)',
  ]);
  const vpcGone = { 'AWS::EC2::VPC': async () => undefined };
  expect(await findLeftovers(noClients, { 'AWS::EC2::Subnet': ['subnet-1'], 'AWS::EC2::VPC': ['vpc-1'] }, vpcGone)).toEqual([]);
});
