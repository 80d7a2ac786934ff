/**
 * patch_cfn_update_rollback, parameters of an update: UpdateStack's
 * parameters are the ones the new template declares, each from the request
 * or its Default. A stack whose updates drop a parameter, declare it again
 * and drop it again updates every time.
 *
 * AWS sources: "UpdateStack" (CloudFormation API Reference: Parameters, "a
 * list of Parameter structures that specify input parameters for the stack"
 * of the new template), "Parameters" (CloudFormation User Guide: Default).
 */
import { CloudFormationClient, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig, createStack, Flavour, FLAVOURS, MotoPair, startMotoPair, waitForStack } from '../fidelity/cfn-harness';

const STACK = 'fidelity-update-parameters';
const NAME = '/fidelity/update-parameters';
/** The value comes from parameter P (declared) or is a literal (P dropped). */
const template = (declared: boolean) =>
  JSON.stringify({
    ...(declared ? { Parameters: { P: { Type: 'String', Default: 'from-default' } } } : {}),
    Resources: {
      Value: { Type: 'AWS::SSM::Parameter', Properties: { Name: NAME, Type: 'String', Value: declared ? { Ref: 'P' } : 'literal' } },
    },
  });

describe('UpdateStack parameters across updates that drop and declare a parameter', () => {
  let motos: MotoPair | undefined;
  const seen = {} as Record<Flavour, string[]>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const cfn = new CloudFormationClient(clientConfig(motos[flavour].endpoint));
      const ssm = new SSMClient(clientConfig(motos[flavour].endpoint));
      const steps: string[] = (seen[flavour] = []);
      const value = async () => (await ssm.send(new GetParameterCommand({ Name: NAME }))).Parameter?.Value;
      const update = async (declared: boolean, given?: string) => {
        try {
          await cfn.send(
            new UpdateStackCommand({
              StackName: STACK,
              TemplateBody: template(declared),
              Parameters: given ? [{ ParameterKey: 'P', ParameterValue: given }] : undefined,
            }),
          );
          steps.push(`${await waitForStack(cfn, STACK)} ${await value()}`);
        } catch (e) {
          steps.push(`error: ${(e as Error).name}`);
        }
      };
      try {
        await createStack(cfn, STACK, JSON.parse(template(true)));
        steps.push(`created ${await value()}`);
        await update(false);
        await update(true, 'given');
        await update(false);
        await update(true);
      } finally {
        cfn.destroy();
        ssm.destroy();
      }
    }
  });
  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto fails an update once a parameter was dropped, declared again and dropped (patch still needed)', () => {
    expect(seen.stock.slice(0, 3)).toEqual(['created from-default', 'UPDATE_COMPLETE literal', 'UPDATE_COMPLETE given']);
    expect(seen.stock[3]).not.toBe('UPDATE_COMPLETE literal');
  });

  test('patched moto updates every time, a parameter not given taking its Default', () => {
    expect(seen.patched).toEqual([
      'created from-default',
      'UPDATE_COMPLETE literal',
      'UPDATE_COMPLETE given',
      'UPDATE_COMPLETE literal',
      'UPDATE_COMPLETE from-default',
    ]);
  });
});
