import { App } from 'aws-cdk-lib';
import { Toolkit, StackSelectionStrategy } from '@aws-cdk/toolkit-lib';
import type { Target } from '../targets/target';
import { EMULATOR_CREDENTIALS, isEmulator } from '../targets/target';
import { addScenarioStack, StackRequest } from '../app/build-app';

/**
 * Runs `fn` with the process environment pointed at the target, the way the
 * CDK toolkit and the AWS CLI read it. Restores the environment afterwards.
 */
export async function withTargetEnv<T>(target: Target, fn: () => Promise<T>): Promise<T> {
  const keys = [
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_PROFILE',
  ] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  process.env.AWS_REGION = target.region;
  process.env.AWS_DEFAULT_REGION = target.region;
  if (isEmulator(target)) {
    process.env.AWS_ENDPOINT_URL = target.endpoint;
    process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  } else {
    delete process.env.AWS_ENDPOINT_URL;
  }
  try {
    return await fn();
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const STACK_ACTIVITY = 'CDK_TOOLKIT_I5502';

/**
 * Deploys one scenario stack with the CDK toolkit library, using the direct
 * (non-change-set) method: change-set redeploys hang on moto, and direct
 * deployment behaves the same on every target.
 */
export async function toolkitDeploy(req: StackRequest, target: Target, stackName: string, progress: (m: string) => void): Promise<void> {
  await withTargetEnv(target, async () => {
    const toolkit = new Toolkit({
      color: false,
      emojis: false,
      ioHost: {
        notify: async (msg) => {
          if (msg.code === STACK_ACTIVITY) progress(String(msg.message).replace(/\s+/g, ' ').trim());
        },
        requestResponse: async (msg) => msg.defaultResponse,
      },
    });
    const source = await toolkit.fromAssemblyBuilder(async (props) => {
      // Synthesis is the slow, silent part on an emulator (moto creates resources in milliseconds): say it is happening.
      progress('Synthesizing the CloudFormation template');
      const app = new App({ outdir: props.outdir, context: props.context });
      addScenarioStack(app, req);
      const assembly = app.synth();
      progress('Template ready; sending it to CloudFormation');
      return assembly;
    });
    await toolkit.deploy(source, {
      stacks: { strategy: StackSelectionStrategy.PATTERN_MUST_MATCH_SINGLE, patterns: [stackName] },
      deploymentMethod: { method: 'direct' },
      forceDeployment: false,
    });
  });
}
