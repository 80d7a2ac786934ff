import { Criterion, fail, notApplicable, pass } from '../../../checkers/criterion';
import { evaluatePolicyDocument } from '../../../lib/engines/iam';
import { ecrLayerBucketArn, s3Path } from '../../../lib/engines/network';
import { FargatePullSnapshot, assignsPublicIp, taskSubnets } from '../gather';

/**
 * Layer downloads are presigned S3 GETs made on ECR's behalf, not by the
 * execution role, so the endpoint policy must allow them for any principal.
 */
export const LAYER_FETCH_PRINCIPAL = 'arn:aws:sts::000000000000:assumed-role/ecr-layer-download/fargate';

export const s3EndpointPolicyAllowsLayerBucket: Criterion<FargatePullSnapshot> = {
  id: 's3-endpoint-policy-allows-layer-bucket',
  title: "The S3 endpoint policy allows reading ECR's layer bucket",
  rationale:
    "An endpoint policy filters every request through the endpoint; one that does not allow GetObject on ECR's layer bucket turns the layer download into a 403 even though the route exists.",
  references: [
    'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
  ],
  evaluate(s) {
    const resource = ecrLayerBucketArn(s.region).replace(/\*$/, 'sha256-layer');
    const checked: string[] = [];
    for (const { subnetId, network } of taskSubnets(s)) {
      if (!network) continue;
      const path = s3Path(network, subnetId, assignsPublicIp(s));
      if (!path.reachable || (path.via !== 'gateway-endpoint' && path.via !== 'interface-endpoint')) continue;
      if (checked.includes(path.resourceId!)) continue;
      const ep = network.endpoints.find((e) => e.VpcEndpointId === path.resourceId)!;
      const doc = ep.PolicyDocument;
      if (!doc) return fail(`VPC endpoint ${ep.VpcEndpointId} reports no policy document.`);
      const result = evaluatePolicyDocument(doc, {
        principalArn: LAYER_FETCH_PRINCIPAL,
        action: 's3:GetObject',
        resourceArn: resource,
        resourceAccount: '000000000000',
      });
      if (result.effect !== 'Allow') {
        const by = result.statements.filter((st) => st.effect === 'Deny').map((st) => st.sid ?? `#${st.index}`);
        const why = result.effect === 'Deny' ? `denies it in statement ${by.join(', ')}` : 'has no statement that allows it';
        return fail(
          `The policy of VPC endpoint ${ep.VpcEndpointId} ${why}: s3:GetObject on ${ecrLayerBucketArn(s.region)} (ECR's image layers).`,
        );
      }
      checked.push(path.resourceId!);
    }
    if (checked.length === 0)
      return notApplicable('No task subnet reaches S3 through a VPC endpoint, so there is no endpoint policy to read.');
    return pass(`The policy of VPC endpoint ${checked.join(', ')} allows s3:GetObject on ${ecrLayerBucketArn(s.region)}.`);
  },
};
