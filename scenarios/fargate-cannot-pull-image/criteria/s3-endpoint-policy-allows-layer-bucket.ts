import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { describeStatement, evaluatePolicyDocument, IndeterminateError, StatedContext } from '../../../lib/engines/iam';
import { ecrLayerBucketArn } from '../../../lib/engines/network';
import { FargatePullSnapshot, taskSubnets } from '../gather';
import { s3Hop } from '../access';

/**
 * Layer downloads are S3 GETs of URLs ECR hands out (GetDownloadUrlForLayer), made on ECR's behalf, not
 * with the execution role: the endpoint policy must allow them for that principal, which is why ECR's
 * documented minimum endpoint policy names `"Principal": "*"`. The principal stands for it here.
 */
export const LAYER_FETCH_PRINCIPAL = 'arn:aws:sts::000000000000:assumed-role/ecr-layer-download/fargate';

/**
 * The context of a layer GET through the endpoint: what AWS adds to every request through a VPC endpoint
 * (aws:SourceVpce, aws:SourceVpc; no aws:SourceIp), over HTTPS (the stopped reasons show https:// layer URLs),
 * in the lab's Region. The principal's keys and the bucket's account belong to AWS and stay unknown.
 */
export function layerFetchContext(region: string, vpceId: string, vpcId: string, at = new Date()): StatedContext {
  return {
    values: {
      'aws:SourceVpce': vpceId,
      'aws:SourceVpc': vpcId,
      'aws:SecureTransport': 'true',
      'aws:RequestedRegion': region,
      'aws:CurrentTime': at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'aws:EpochTime': String(Math.floor(at.getTime() / 1000)),
      'aws:ViaAWSService': 'false',
    },
    unknown: ['aws:*', 's3:*'],
    absent: ['aws:SourceIp', 'aws:RequestTag/*', 'aws:TagKeys', 'aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast'],
  };
}

export const s3EndpointPolicyAllowsLayerBucket: Criterion<FargatePullSnapshot> = {
  id: 's3-endpoint-policy-allows-layer-bucket',
  title: "The S3 endpoint policy allows reading ECR's layer bucket",
  rationale:
    "An endpoint policy filters every request through the endpoint; one that does not allow GetObject on ECR's layer bucket, under the context the layer download really carries, turns it into a 403 even though the route exists.",
  references: [
    'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  ],
  evaluate(s) {
    const resource = ecrLayerBucketArn(s.region).replace(/\*$/, 'sha256-layer');
    const checked: string[] = [];
    for (const { subnetId, network } of taskSubnets(s)) {
      if (!network) continue;
      const hop = s3Hop(s, network, subnetId);
      const path = hop.path;
      if (!path.reachable || (path.via !== 'gateway-endpoint' && path.via !== 'interface-endpoint')) continue;
      if (checked.includes(path.resourceId!)) continue;
      const ep = network.endpoints.find((e) => e.VpcEndpointId === path.resourceId)!;
      const doc = ep.PolicyDocument;
      if (!doc) return fail(`VPC endpoint ${ep.VpcEndpointId} reports no policy document.`);
      const what = `s3:GetObject on ${ecrLayerBucketArn(s.region)} (ECR's image layers)`;
      let result;
      try {
        result = evaluatePolicyDocument(
          doc,
          {
            principalArn: LAYER_FETCH_PRINCIPAL,
            action: 's3:GetObject',
            resourceArn: resource,
            // The layer bucket belongs to AWS, never to the learner's account; S3 ARNs carry no account, so
            // this stands for AWS's (aws:ResourceAccount itself stays unknown in the context).
            resourceAccount: '000000000000',
            context: layerFetchContext(s.region, ep.VpcEndpointId!, network.vpc.VpcId!),
          },
          { name: ep.VpcEndpointId, type: 'vpc-endpoint' },
        );
      } catch (err) {
        if (!(err instanceof IndeterminateError)) throw err;
        return fail(
          `Whether the policy of VPC endpoint ${ep.VpcEndpointId} allows ${what} depends on ${err.unknownKeys.join(', ')}, which for ECR's layer downloads belong to AWS (statements ${err.statements.map(describeStatement).join(', ')}); it is not shown to allow them.`,
        );
      }
      if (result.effect !== 'Allow') {
        const why =
          result.effect === 'Deny'
            ? `denies it in ${result.statements.map(describeStatement).join(', ')}`
            : 'has no statement that allows it';
        return fail(`The policy of VPC endpoint ${ep.VpcEndpointId} ${why}: ${what}.`);
      }
      checked.push(path.resourceId!);
    }
    if (checked.length === 0)
      return notApplicable('No task subnet reaches S3 through a VPC endpoint, so there is no endpoint policy to read.');
    return pass(`The policy of VPC endpoint ${checked.join(', ')} allows s3:GetObject on ${ecrLayerBucketArn(s.region)}.`);
  },
};
