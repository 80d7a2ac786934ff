/**
 * The region listing's SSM parameters on moto: a lab that declares ssm (or
 * has AWS::SSM::Parameter resources) lists every parameter of the region, so
 * a parameter a learner made anywhere shows up after destroy; one under
 * another live lab's /<stack>/ path is that lab's.
 */
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AwsClients } from '../targets/clients';
import { useMoto } from '../../test/support/lab';
import { diffListings, listRegion, listingTypesFor } from './region-listing';

const handle = useMoto();
const clientsOf = () => new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: handle.endpoint });

test('ssm is covered, by the service name and by the CloudFormation type', () => {
  expect(listingTypesFor(['ssm'])).toEqual({ types: expect.arrayContaining(['ssm:parameter']), uncovered: [] });
  expect(listingTypesFor([], ['AWS::SSM::Parameter']).types).toContain('ssm:parameter');
});

test('a parameter made after the first listing is added; one under another lab path belongs to that lab', async () => {
  const clients = clientsOf();
  const ssm = clients.client(SSMClient);
  const before = await listRegion(clients, ['ssm:parameter']);
  expect(before.unlisted).toEqual({});
  await ssm.send(new PutParameterCommand({ Name: '/learner-copy/write-mode', Value: 'read-write', Type: 'String' }));
  await ssm.send(new PutParameterCommand({ Name: '/other-lab/orders/write-mode', Value: 'read-write', Type: 'String' }));
  const after = await listRegion(clients, ['ssm:parameter']);
  expect(after.resources['ssm:parameter'].map((r) => r.line)).toEqual(
    expect.arrayContaining([
      'Parameter Store parameter /learner-copy/write-mode',
      'Parameter Store parameter /other-lab/orders/write-mode',
    ]),
  );
  expect(diffListings(before, after, { ids: new Set(), stackNames: ['other-lab'] }).added).toEqual([
    'Parameter Store parameter /learner-copy/write-mode',
  ]);
  await ssm.send(new DeleteParameterCommand({ Name: '/learner-copy/write-mode' }));
  await ssm.send(new DeleteParameterCommand({ Name: '/other-lab/orders/write-mode' }));
  expect((await listRegion(clients, ['ssm:parameter'])).resources['ssm:parameter']).toEqual(before.resources['ssm:parameter']);
});
