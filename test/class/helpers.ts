/** Shared by the class tests: deploy a learner's lab on a test moto, and fix it the way a learner would. */
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { deployScenario } from '../../lib/ops/deploy';
import type { ScenarioContext } from '../../lib/scenario/types';
import { SCENARIOS } from '../support/catalog';
import { gatherFargatePull } from '../../scenarios/fargate-cannot-pull-image/gather';
import { labContext } from '../support/lab';

export const FARGATE = SCENARIOS.find((s) => s.id === 'fargate-cannot-pull-image')!;

/** Deploys a learner's lab; fargate-cannot-pull-image pins the variant its fix below applies to. */
export async function deployFor(learner: string, endpoint: string, scenario = FARGATE): Promise<ScenarioContext> {
  const ctx = labContext(scenario, endpoint, { learner, variant: scenario === FARGATE ? 'no-s3-path' : undefined });
  await deployScenario(scenario, ctx);
  return ctx;
}

/** The fix for fargate-cannot-pull-image: an S3 gateway endpoint on every task subnet's route table. Returns its ID. */
export async function fixFargate(ctx: ScenarioContext): Promise<string> {
  const snap = await gatherFargatePull(ctx);
  const subnets = snap.service.networkConfiguration!.awsvpcConfiguration!.subnets!;
  const net = snap.networks[snap.labVpcId];
  const routeTableIds = subnets.map((id) => net.routeTables.find((rt) => rt.Associations?.some((a) => a.SubnetId === id))!.RouteTableId!);
  const out = await ctx.clients.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: snap.labVpcId,
      VpcEndpointType: 'Gateway',
      ServiceName: `com.amazonaws.${ctx.target.region}.s3`,
      RouteTableIds: [...new Set(routeTableIds)],
    }),
  );
  return out.VpcEndpoint!.VpcEndpointId!;
}
