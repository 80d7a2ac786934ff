/**
 * Learner actions that every lab's lifecycle catalogue has, whatever the
 * scenario: IAM changes on a lab role (a learner policy with versions, a
 * permissions boundary, inline grants, tags), security-group rules that
 * reference a lab group (and a lab group's rule that references the
 * learner's), and deleting the stack. Each is the SDK call a learner makes;
 * the model says which are still valid.
 */
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import fc from 'fast-check';
import { pollUntil } from '../../lib/core/poll';
import { describeStack } from '../../lib/engines/cfn/stack-state';
import type { ScenarioContext } from '../../lib/scenario/types';
import { LearnerAction, learnerAction } from './lifecycle';

/** The part of a catalogue's model the shared actions read and write. */
export interface SharedModel {
  stackDeleted: boolean;
  learnerPolicy?: string;
  boundary: boolean;
  learnerSg?: string;
  labRuleRefersToLearnerSg: boolean;
}

export const sharedInitial = (): SharedModel => ({ stackDeleted: false, boundary: false, labRuleRefersToLearnerSg: false });

export const policyDoc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** An action on the lab's resources: valid only while the stack (and so they) are there. */
export function labAction<M extends SharedModel>(
  name: string,
  run: (m: M, ctx: ScenarioContext) => Promise<void>,
  valid: (m: M) => boolean = () => true,
): fc.Arbitrary<LearnerAction<M>> {
  return learnerAction<M>(name, run, (m) => !m.stackDeleted && valid(m));
}

/** IAM changes on one lab role (`roleOf` finds it as a learner would). */
export function roleActions<M extends SharedModel>(what: string, roleOf: (ctx: ScenarioContext) => Promise<string>) {
  return [
    labAction<M>(`attach-role-policy AdministratorAccess to the ${what}`, async (_m, ctx) => {
      await ctx.clients.iam.send(
        new AttachRolePolicyCommand({ RoleName: await roleOf(ctx), PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
      );
    }),
    labAction<M>(
      `create-policy <stack>-learner, attach it to the ${what}, create-policy-version, set-default-policy-version v1 (already default)`,
      async (m, ctx) => {
        const iam = ctx.clients.iam;
        const p = await iam.send(
          new CreatePolicyCommand({
            PolicyName: `${ctx.stackName}-learner`,
            PolicyDocument: policyDoc([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }]),
          }),
        );
        m.learnerPolicy = p.Policy!.Arn!;
        await iam.send(new AttachRolePolicyCommand({ RoleName: await roleOf(ctx), PolicyArn: m.learnerPolicy }));
        await iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: m.learnerPolicy,
            PolicyDocument: policyDoc([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }]),
          }),
        );
        await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: m.learnerPolicy, VersionId: 'v1' }));
      },
      (m) => !m.learnerPolicy,
    ),
    labAction<M>(
      `create-policy <stack>-boundary and put-role-permissions-boundary on the ${what}`,
      async (m, ctx) => {
        const p = await ctx.clients.iam.send(
          new CreatePolicyCommand({
            PolicyName: `${ctx.stackName}-boundary`,
            PolicyDocument: policyDoc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
          }),
        );
        await ctx.clients.iam.send(
          new PutRolePermissionsBoundaryCommand({ RoleName: await roleOf(ctx), PermissionsBoundary: p.Policy!.Arn }),
        );
        m.boundary = true;
      },
      (m) => !m.boundary,
    ),
    labAction<M>(`put-role-policy an inline grant on the ${what}`, async (_m, ctx) => {
      await ctx.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: await roleOf(ctx),
          PolicyName: 'LearnerGrant',
          PolicyDocument: policyDoc([{ Effect: 'Allow', Action: ['ecr:*', 'dynamodb:*'], Resource: '*' }]),
        }),
      );
    }),
    labAction<M>(`tag-role then untag-role on the ${what}`, async (_m, ctx) => {
      const roleName = await roleOf(ctx);
      await ctx.clients.iam.send(
        new TagRoleCommand({
          RoleName: roleName,
          Tags: [
            { Key: 'team', Value: 'platform' },
            { Key: 'tmp', Value: '1' },
          ],
        }),
      );
      await ctx.clients.iam.send(new UntagRoleCommand({ RoleName: roleName, TagKeys: ['tmp'] }));
    }),
  ];
}

/** The learner's own security group in the lab VPC, made once per sequence. */
export async function learnerSecurityGroup(m: SharedModel, ctx: ScenarioContext, vpcId: string): Promise<string> {
  if (m.learnerSg) return m.learnerSg;
  const sg = await ctx.clients.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `${ctx.stackName}-learner`, Description: 'made by a learner', VpcId: vpcId }),
  );
  m.learnerSg = sg.GroupId!;
  return m.learnerSg;
}

/**
 * Security-group rules across the lab's edge: the learner's group allowing
 * ingress from a lab group, and a lab group allowing ingress from the
 * learner's (either reference alone blocks DeleteSecurityGroup of the
 * referenced group with DependencyViolation on AWS).
 */
export function securityGroupActions<M extends SharedModel>(
  labNetwork: (ctx: ScenarioContext) => Promise<{ vpcId: string; labSg: string }>,
) {
  return [
    labAction<M>(
      'create-security-group <stack>-learner with ingress 443 from a lab security group',
      async (m, ctx) => {
        const { vpcId, labSg } = await labNetwork(ctx);
        const sg = await learnerSecurityGroup(m, ctx, vpcId);
        await ctx.clients.ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: sg,
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: labSg }] }],
          }),
        );
      },
      (m) => !m.learnerSg,
    ),
    labAction<M>(
      "authorize-security-group-ingress on a lab security group from the learner's group",
      async (m, ctx) => {
        const { labSg } = await labNetwork(ctx);
        await ctx.clients.ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: labSg,
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: m.learnerSg }] }],
          }),
        );
        m.labRuleRefersToLearnerSg = true;
      },
      (m) => Boolean(m.learnerSg) && !m.labRuleRefersToLearnerSg,
    ),
  ];
}

/** The learner deletes the lab's stack and waits; after it no other lab action is valid. */
export function deleteStackAction<M extends SharedModel>() {
  return learnerAction<M>(
    'delete-stack, and wait until it is gone',
    async (m, ctx) => {
      await ctx.clients.cloudformation.send(new DeleteStackCommand({ StackName: ctx.stackName }));
      await pollUntil(
        () => describeStack(ctx.clients.cloudformation, ctx.stackName),
        (s) => !s || s.status === 'DELETE_FAILED',
        { pollMs: 200, timeoutMs: 120_000, timedOut: (s) => new Error(`stack ${ctx.stackName} stayed ${s?.status}`) },
      );
      m.stackDeleted = true;
    },
    (m) => !m.stackDeleted,
  );
}
