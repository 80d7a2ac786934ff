import type { ScenarioDefinition } from '../lib/scenario/types';
import { fargateCannotPullImage } from './fargate-cannot-pull-image';
import { stackUpdateRollbackFailed } from './stack-update-rollback-failed';
import { s3DeleteAccessDenied } from './s3-delete-access-denied';
import { ecsAppDynamodbAccessDenied } from './ecs-app-dynamodb-access-denied';

/**
 * Every scenario, in the order `list` shows them. A registry test checks
 * this list against the folders under scenarios/.
 */
export const SCENARIOS: readonly ScenarioDefinition[] = [fargateCannotPullImage, stackUpdateRollbackFailed, s3DeleteAccessDenied, ecsAppDynamodbAccessDenied];
