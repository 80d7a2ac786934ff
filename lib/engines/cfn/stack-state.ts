import {
  CloudFormationClient,
  DescribeStacksCommand,
  Stack,
  StackResourceSummary,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { EnvironmentError } from '../../core/errors';
import { collectPages } from '../../core/paging';

export interface StackState {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly tags: Record<string, string>;
  readonly raw: Stack;
}

/** The stack, or undefined when it does not exist (or only as DELETE_COMPLETE). */
export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<StackState | undefined> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.find((s) => s.StackStatus !== 'DELETE_COMPLETE');
    if (!stack) return undefined;
    return {
      stackName: stack.StackName!,
      stackId: stack.StackId!,
      status: stack.StackStatus!,
      statusReason: stack.StackStatusReason,
      tags: Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
      raw: stack,
    };
  } catch (err) {
    if (isStackMissing(err)) return undefined;
    throw err;
  }
}

export function isStackMissing(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; message?: string };
  return (e?.name === 'ValidationError' || e?.Code === 'ValidationError') && /does not exist/i.test(e.message ?? '');
}

/** A stack CloudFormation is still working on; no other operation may start. */
export function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/** "Stack X is busy (STATUS)": how every command and report says it. */
export function busySentence(stackName: string, status: string): string {
  return `Stack ${stackName} is busy (${status})`;
}

/** Mid-operation, live state is neither the old lab nor the new one: nothing may grade, show or change it. */
export function assertNotBusy(stack: { readonly stackName: string; readonly status: string }): void {
  if (isBusy(stack.status))
    throw new EnvironmentError(
      'stack-busy',
      `${busySentence(stack.stackName, stack.status)}; wait for CloudFormation to finish and try again.`,
    );
}

/** All resources CloudFormation says it manages. */
export async function listStackResources(cfn: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  return collectPages(paginateListStackResources({ client: cfn }, { StackName: stackName }), (p) => p.StackResourceSummaries);
}

/** Physical IDs of the stack's resources of one type, e.g. AWS::EC2::VPC. */
export function physicalIdsOfType(resources: readonly StackResourceSummary[], type: string): string[] {
  return resources.filter((r) => r.ResourceType === type && r.PhysicalResourceId).map((r) => r.PhysicalResourceId!);
}

/** Physical ID of one logical resource; logical IDs are CDK-hashed, so match by prefix. */
export function physicalIdByLogicalPrefix(resources: readonly StackResourceSummary[], prefix: string, type?: string): string | undefined {
  return resources.find((r) => r.LogicalResourceId?.startsWith(prefix) && (!type || r.ResourceType === type))?.PhysicalResourceId;
}
