/** AWS PrivateLink service names are com.amazonaws.<region>.<service>. */
export function serviceName(region: string, service: string): string {
  return `com.amazonaws.${region}.${service}`;
}

/**
 * ECR keeps image layers in a per-region S3 bucket; pulls from a VPC fetch
 * layers from it, which is why ECR in a private subnet also needs S3.
 */
export function ecrLayerBucketArn(region: string): string {
  return `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`;
}

export function ecrLayerBucketHost(region: string): string {
  return `prod-${region}-starport-layer-bucket.s3.${region}.amazonaws.com`;
}
