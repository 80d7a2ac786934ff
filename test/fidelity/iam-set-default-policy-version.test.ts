/**
 * patch_iam_set_default_policy_version: SetDefaultPolicyVersion naming the
 * version that is already the default leaves it the default.
 *
 * AWS sources: "SetDefaultPolicyVersion", "ListPolicyVersions" and
 * "PolicyVersion" (IAM API Reference): one version is the default
 * (IsDefaultVersion), the one GetPolicy names as DefaultVersionId.
 */
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  GetPolicyCommand,
  IAMClient,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { clientConfig, Flavour, FLAVOURS, MotoPair, startMotoPair } from './cfn-harness';

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('SetDefaultPolicyVersion on the current default', () => {
  let motos: MotoPair;
  const seen = {} as Record<Flavour, { defaults: string[]; getPolicyDefault?: string; afterSwitch: string[] }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const iam = new IAMClient(clientConfig(motos[flavour].endpoint));
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'fidelity-versions', PolicyDocument: doc('s3:GetObject') })))
        .Policy!.Arn!;
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:PutObject'), SetAsDefault: true }));
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
      const defaults = async () =>
        ((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [])
          .filter((v) => v.IsDefaultVersion)
          .map((v) => v.VersionId!);
      const first = await defaults();
      const getPolicyDefault = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId;
      // Switching to another version still works afterwards.
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
      seen[flavour] = { defaults: first, getPolicyDefault, afterSwitch: await defaults() };
      iam.destroy();
    }
  });

  afterAll(async () => {
    await motos?.stop();
  });

  test('stock moto lists no default version at all (patch still needed)', () => {
    expect(seen.stock.defaults).toEqual([]);
    expect(seen.stock.getPolicyDefault).toBe('v2');
  });

  test('patched moto keeps v2 the one default version, as GetPolicy says', () => {
    expect(seen.patched.defaults).toEqual(['v2']);
    expect(seen.patched.getPolicyDefault).toBe('v2');
  });

  test.each(FLAVOURS)('%s moto: naming another version moves the default to it alone', (flavour) => {
    expect(seen[flavour].afterSwitch).toEqual(['v1']);
  });
});
