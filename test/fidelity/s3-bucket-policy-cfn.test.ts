/**
 * patch_s3_bucket_policy_cfn: AWS::S3::BucketPolicy is a real CloudFormation
 * resource: create puts the policy, update replaces it, removal deletes it.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import {
  clientConfig,
  cloneTemplate,
  createStack,
  Flavour,
  FLAVOURS,
  MotoPair,
  rejection,
  stackResources,
  startMotoPair,
  Template,
  updateStack,
} from './cfn-harness';

const STACK = 'fidelity-bucket-policy';
const BUCKET = 'fidelity-policy-bucket';

const policy = (action: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AppRead',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:role/app' },
      Action: action,
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    },
  ],
});

const TEMPLATE: Template = {
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } },
    BucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Bucket' }, PolicyDocument: policy('s3:GetObject') } },
  },
};

describe('AWS::S3::BucketPolicy via CloudFormation', () => {
  let motos: MotoPair;
  const clients = {} as Record<Flavour, { cfn: CloudFormationClient; s3: S3Client }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const endpoint = motos[flavour].endpoint;
      clients[flavour] = {
        cfn: new CloudFormationClient(clientConfig(endpoint)),
        s3: new S3Client({ ...clientConfig(endpoint), forcePathStyle: true }),
      };
      // Both report success; only one has actually applied the policy.
      expect((await createStack(clients[flavour].cfn, STACK, TEMPLATE)).status).toBe('CREATE_COMPLETE');
    }
  });

  afterAll(async () => {
    for (const c of Object.values(clients)) {
      c.cfn.destroy();
      c.s3.destroy();
    }
    await motos?.stop();
  });

  test('stock moto skips the resource silently (patch still needed)', async () => {
    const { cfn, s3 } = clients.stock;
    const err = await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET })));
    expect(err.name).toBe('NoSuchBucketPolicy');
    const logicalIds = (await stackResources(cfn, STACK)).map((r) => r.LogicalResourceId);
    expect(logicalIds).not.toContain('BucketPolicy');
  });

  test('patched moto applies the policy and lists the resource, Ref = bucket name', async () => {
    const { cfn, s3 } = clients.patched;
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }));
    expect(JSON.parse(out.Policy!)).toEqual(policy('s3:GetObject'));
    const resource = (await stackResources(cfn, STACK)).find((r) => r.LogicalResourceId === 'BucketPolicy');
    expect(resource).toMatchObject({ ResourceType: 'AWS::S3::BucketPolicy', PhysicalResourceId: BUCKET });
  });

  test('updating PolicyDocument replaces the policy; removing the resource deletes it', async () => {
    const { cfn, s3 } = clients.patched;
    const updated = cloneTemplate(TEMPLATE);
    updated.Resources.BucketPolicy.Properties!.PolicyDocument = policy('s3:PutObject');
    expect(await updateStack(cfn, STACK, updated)).toBe('UPDATE_COMPLETE');
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }));
    expect(JSON.parse(out.Policy!)).toEqual(policy('s3:PutObject'));

    const without = cloneTemplate(updated);
    delete without.Resources.BucketPolicy;
    expect(await updateStack(cfn, STACK, without)).toBe('UPDATE_COMPLETE');
    const err = await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET })));
    expect(err.name).toBe('NoSuchBucketPolicy');
    const logicalIds = (await stackResources(cfn, STACK)).map((r) => r.LogicalResourceId);
    expect(logicalIds).toEqual(['Bucket']);
  });
});
