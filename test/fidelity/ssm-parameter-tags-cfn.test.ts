/**
 * patch_ssm_parameter_tags_cfn: an AWS::SSM::Parameter with Tags (a
 * key-value map in CloudFormation) creates, lists its tags as Key/Value
 * pairs, and an update writes the new map.
 *
 * AWS sources: "AWS::SSM::Parameter" (CloudFormation Template Reference),
 * "ListTagsForResource" (AWS Systems Manager API Reference).
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ListTagsForResourceCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig, cloneTemplate, createStack, Flavour, FLAVOURS, startMotoPair, MotoPair, Template, updateStack } from './cfn-harness';

const STACK = 'fidelity-ssm-tags';
const NAME = '/fidelity/tagged';
const TEMPLATE: Template = {
  Resources: {
    Tagged: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Name: NAME, Type: 'String', Value: 'v1', Tags: { team: 'orders', tier: 'gold' } },
    },
  },
};
const UPDATED = cloneTemplate(TEMPLATE);
UPDATED.Resources.Tagged.Properties!.Tags = { team: 'payments' };

describe('AWS::SSM::Parameter Tags via CloudFormation', () => {
  let motos: MotoPair | undefined;
  const seen = {} as Record<Flavour, { created: string; tags?: string[]; updated?: string; tagsAfterUpdate?: string[] }>;

  const tagsOf = async (ssm: SSMClient) =>
    ((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: NAME }))).TagList ?? [])
      .map((t) => `${t.Key}=${t.Value}`)
      .sort();

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const cfn = new CloudFormationClient(clientConfig(motos[flavour].endpoint));
      const ssm = new SSMClient(clientConfig(motos[flavour].endpoint));
      try {
        const created = (await createStack(cfn, STACK, TEMPLATE).catch((e: Error) => ({ status: `error: ${e.message}` }))).status;
        seen[flavour] = { created };
        if (created !== 'CREATE_COMPLETE') continue;
        seen[flavour].tags = await tagsOf(ssm);
        seen[flavour].updated = await updateStack(cfn, STACK, UPDATED);
        seen[flavour].tagsAfterUpdate = await tagsOf(ssm);
      } finally {
        cfn.destroy();
        ssm.destroy();
      }
    }
  });
  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto cannot create a tagged parameter (patch still needed)', () => {
    expect(seen.stock.created).not.toBe('CREATE_COMPLETE');
  });

  test('patched moto creates it with its tags, and an update replaces them', () => {
    expect(seen.patched).toEqual({
      created: 'CREATE_COMPLETE',
      tags: ['team=orders', 'tier=gold'],
      updated: 'UPDATE_COMPLETE',
      tagsAfterUpdate: ['team=payments'],
    });
  });
});
