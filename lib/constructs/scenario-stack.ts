import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ScenarioStackProps } from '../scenario/types';
import { CurrentCredentialsSynthesizer } from './current-credentials-synthesizer';

/**
 * Base stack for every scenario: the stack name is the (learner-prefixed)
 * scenario ID, and synthesis needs no bootstrap or assets.
 */
export class ScenarioStack extends Stack {
  readonly scenario: ScenarioStackProps;

  constructor(scope: Construct, props: ScenarioStackProps, description: string) {
    super(scope, props.stackName, {
      stackName: props.stackName,
      description,
      synthesizer: new CurrentCredentialsSynthesizer(),
      env: props.region || props.account ? { region: props.region, account: props.account } : undefined,
      analyticsReporting: false,
    });
    this.scenario = props;
  }

  /** Prefix for physical names, so learners sharing an account never collide. */
  physicalName(suffix: string): string {
    return `${this.scenario.stackName}-${suffix}`;
  }
}
