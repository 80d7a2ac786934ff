/**
 * patch_ssm_parameter_cfn: a stack update of an AWS::SSM::Parameter's Value
 * writes a new version of the same parameter.
 *
 * AWS sources: "AWS::SSM::Parameter" (CloudFormation Template Reference),
 * "PutParameter" and "GetParameterHistory" (AWS Systems Manager API
 * Reference).
 */
import { GetParameterCommand, GetParameterHistoryCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig, cloneTemplate, Flavour, FLAVOURS, stackOnBothFlavours, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-ssm';
const TEMPLATE: Template = {
  Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/fidelity/flag', Type: 'String', Value: 'v1' } } },
};
const UPDATED = cloneTemplate(TEMPLATE);
UPDATED.Resources.Flag.Properties!.Value = 'v2';

describe('AWS::SSM::Parameter updates via CloudFormation', () => {
  const { clients } = stackOnBothFlavours(STACK, TEMPLATE, (endpoint) => ({ ssm: new SSMClient(clientConfig(endpoint)) }));
  const seen = {} as Record<Flavour, { value?: string; version?: number; history: string[] }>;

  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      expect(await updateStack(clients[flavour].cfn, STACK, UPDATED)).toBe('UPDATE_COMPLETE');
      const { ssm } = clients[flavour];
      const p = (await ssm.send(new GetParameterCommand({ Name: '/fidelity/flag' }))).Parameter!;
      const history = (await ssm.send(new GetParameterHistoryCommand({ Name: '/fidelity/flag' }))).Parameters ?? [];
      seen[flavour] = { value: p.Value, version: p.Version, history: history.map((h) => `${h.Version}:${h.Value}`) };
    }
  });

  test('stock moto recreates the parameter: version 1, history lost (patch still needed)', () => {
    expect(seen.stock).toEqual({ value: 'v2', version: 1, history: ['1:v2'] });
  });

  test('patched moto writes version 2 and keeps version 1 in the history', () => {
    expect(seen.patched).toEqual({ value: 'v2', version: 2, history: ['1:v1', '2:v2'] });
  });
});
