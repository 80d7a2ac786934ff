import type { Symptom } from '../../lib/scenario/types';
import { ecrLayerBucketHost, internetPath } from '../../lib/engines/network';
import { FargatePullSnapshot, assignsPublicIp, imageSelector, taskSubnets } from './gather';
import { s3EndpointPolicyAllowsLayerBucket } from './criteria/s3-endpoint-policy-allows-layer-bucket';
import { accessDeniedMessage } from '../../lib/live-policies';
import { decideCalls, ECS_TASKS, executionRoleTrust, interfaceHop, logRequests, pullRequests, s3Hop, WorkloadCall } from './access';

const TIMEOUT = 'dial tcp <address>:443: i/o timeout';

function imageRef(s: FargatePullSnapshot): string {
  return s.imageRef?.ref ?? `<account>.dkr.ecr.${s.region}.amazonaws.com/${s.repositoryName}:v1`;
}

/** The first pull or log request the execution role may not make, as AWS would word the denial. */
function executionRoleDenial(s: FargatePullSnapshot, requests: WorkloadCall[]): { message: string; because: string } | undefined {
  if (!s.executionRole) return undefined;
  const denied = decideCalls(s, requests).find((d) => !d.allowed);
  if (!denied) return undefined;
  // ECR and CloudWatch Logs name the resource without quotes.
  const message = denied.result
    ? (accessDeniedMessage(denied.result, { quoteResource: false }) ?? '')
    : `User is not authorized to perform: ${denied.call.action}`;
  return { message, because: `Execution role ${s.executionRole.roleName}: ${denied.because}.` };
}

/**
 * What ECS would put in the stopped task's reason, derived from the first
 * broken hop of the pull: registry auth (ecr.api), manifest (ecr.dkr), layers
 * (S3), then the awslogs driver (logs). Formats follow ECS's stopped reasons.
 */
export async function deriveStoppedReason(s: FargatePullSnapshot): Promise<{ reason: string; because: string } | undefined> {
  const image = imageRef(s);
  const registry = s.imageRef?.registry ?? image.split('/')[0];
  const repo = s.imageRef?.repository ?? s.repositoryName;
  const reference = s.imageRef?.digest ?? s.imageRef?.tag ?? 'v1';
  const authRetrieval =
    'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s)';
  if (s.executionRole) {
    const trust = executionRoleTrust(s);
    if (!trust.allowed) {
      return {
        reason: `ECS was unable to assume the role '${s.executionRole.roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
        because: `${ECS_TASKS} cannot assume execution role ${s.executionRole.roleName}: ${trust.sentence}`,
      };
    }
  }
  for (const { subnetId, network } of taskSubnets(s)) {
    if (!network) continue;
    const api = interfaceHop(s, network, subnetId, 'ecr.api');
    if (!api.reachable) {
      return {
        reason: `${authRetrieval}: RequestError: send request failed caused by: Post "https://api.ecr.${s.region}.amazonaws.com/": ${TIMEOUT}`,
        because: api.reason,
      };
    }
  }
  const labRegistry = s.repository?.repositoryUri?.split('/')[0];
  if (s.imageRef && labRegistry && s.imageRef.registry !== labRegistry) {
    // Only the lab registry has interface endpoints here; any other registry is reached over the internet or not at all.
    for (const { subnetId, network } of taskSubnets(s)) {
      if (!network) continue;
      const out = internetPath(network, subnetId, assignsPublicIp(s));
      if (!out.reachable) {
        return {
          reason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: failed to do request: Head "https://${registry}/v2/${repo}/manifests/${reference}": ${TIMEOUT}`,
          because: `Registry ${registry} is not the lab's registry ${labRegistry}, which the interface endpoints serve: ${out.reason}`,
        };
      }
    }
  }
  const tokenDenied = executionRoleDenial(s, pullRequests(s).slice(0, 1));
  if (tokenDenied) return { reason: `${authRetrieval}: AccessDeniedException: ${tokenDenied.message}`, because: tokenDenied.because };
  for (const { subnetId, network } of taskSubnets(s)) {
    if (!network) continue;
    const dkr = interfaceHop(s, network, subnetId, 'ecr.dkr');
    if (!dkr.reachable) {
      return {
        reason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: failed to do request: Head "https://${registry}/v2/${repo}/manifests/${reference}": ${TIMEOUT}`,
        because: dkr.reason,
      };
    }
  }
  const pullDenied = executionRoleDenial(s, pullRequests(s).slice(1));
  if (pullDenied) {
    return {
      reason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: pulling from host ${registry} failed with status code [manifests ${reference}]: 403 Forbidden`,
      because: pullDenied.because,
    };
  }
  if (s.imageFromLabRepository && !s.image) {
    return {
      reason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${image}: not found`,
      because: `Repository ${s.repositoryName} has no image with ${s.imageRef ? imageSelector(s.imageRef) : `tag ${reference}`}.`,
    };
  }
  for (const { subnetId, network } of taskSubnets(s)) {
    if (!network) continue;
    const s3 = s3Hop(s, network, subnetId);
    if (!s3.reachable) {
      return {
        reason: `CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://${ecrLayerBucketHost(s.region)}/...": ${TIMEOUT}`,
        because: s3.reason,
      };
    }
  }
  const policy = await s3EndpointPolicyAllowsLayerBucket.evaluate(s);
  if (policy.status === 'fail') {
    return {
      reason: `CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: unexpected status code https://${ecrLayerBucketHost(s.region)}/...: 403 Forbidden`,
      because: policy.message,
    };
  }
  const loggerArgs =
    'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream';
  for (const { subnetId, network } of taskSubnets(s)) {
    if (!network) continue;
    const logs = interfaceHop(s, network, subnetId, 'logs');
    if (!logs.reachable) {
      return {
        reason: `${loggerArgs}: RequestError: send request failed caused by: Post "https://logs.${s.region}.amazonaws.com/": ${TIMEOUT}`,
        because: logs.reason,
      };
    }
  }
  const logDenied = executionRoleDenial(s, logRequests(s));
  if (logDenied) return { reason: `${loggerArgs}: AccessDeniedException: ${logDenied.message}`, because: logDenied.because };
  return undefined;
}

export async function fargatePullSymptom(s: FargatePullSnapshot): Promise<Symptom> {
  const svc = s.service;
  const counts = `ECS service ${svc.serviceName}: desired ${svc.desiredCount ?? 0}, running ${svc.runningCount ?? 0}, pending ${svc.pendingCount ?? 0}.`;
  if (s.target === 'aws') {
    const last = s.stoppedTasks[0];
    const events = (svc.events ?? []).slice(0, 5).map((e) => `${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`.trim());
    if (!last) return { source: 'authentic', summary: `${counts} No task has stopped recently.`, details: events };
    const containerReasons = (last.containers ?? []).filter((c) => c.reason).map((c) => `container ${c.name}: ${c.reason}`);
    return {
      source: 'authentic',
      summary: `Stopped reason: ${last.stoppedReason ?? 'none given'}`,
      details: [
        counts,
        `Task ${last.taskArn} stopped at ${last.stoppedAt?.toISOString() ?? 'unknown time'} (stopCode ${last.stopCode ?? 'n/a'}).`,
        ...containerReasons,
        ...events,
      ],
    };
  }
  const derived = await deriveStoppedReason(s);
  const derivation = `${s.target} runs no containers; breakfix traced the pull from the service's task subnets (ECR API, ECR Docker registry, S3 layer bucket, CloudWatch Logs) through live route tables, VPC endpoints and security groups, and decided the execution role's requests with the IAM engine.`;
  if (!derived) {
    return {
      source: 'derived',
      summary: `Tasks would start: every hop of the image pull is reachable from the task subnets.`,
      details: [counts],
      derivation,
    };
  }
  return {
    source: 'derived',
    summary: `Stopped reason: ${derived.reason}`,
    details: [counts, `Task image: ${imageRef(s)}`],
    derivation,
    explanation: [`Because: ${derived.because}`],
  };
}
