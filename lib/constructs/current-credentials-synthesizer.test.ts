import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer, CfnResource, Stack } from 'aws-cdk-lib';
import { ScenarioStack } from './scenario-stack';

process.env.CDK_VALIDATION = 'false';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const newApp = () => {
  const outdir = mkdtempSync(join(tmpdir(), 'breakfix-synth-'));
  dirs.push(outdir);
  return new App({ outdir });
};
const withTopic = <S extends Stack>(stack: S): S => {
  new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
  return stack;
};

test('a scenario stack names no role for the toolkit to assume or hand to CloudFormation', () => {
  const app = newApp();
  const stack = withTopic(new ScenarioStack(app, { stackName: 'lab', scenarioId: 'lab', variant: 'v', targetKind: 'aws' }, 'A lab.'));
  const properties = app.synth().getStackArtifact(stack.artifactId).manifest.properties as unknown as Record<string, unknown>;
  expect(properties).not.toHaveProperty('assumeRoleArn');
  expect(properties).not.toHaveProperty('cloudFormationExecutionRoleArn');
  expect(properties).not.toHaveProperty('stackTemplateAssetObjectUrl');
  expect(properties.templateFile).toBe('lab.template.json');
});

test("aws-cdk-lib's BootstraplessSynthesizer would name the bootstrap roles (why ours exists)", () => {
  const app = newApp();
  const stack = withTopic(new Stack(app, 'lab', { synthesizer: new BootstraplessSynthesizer() }));
  const properties = app.synth().getStackArtifact(stack.artifactId).manifest.properties as unknown as Record<string, unknown>;
  expect(properties.cloudFormationExecutionRoleArn).toMatch(/cdk-hnb659fds-cfn-exec-role/);
});

test('the template is the one the BootstraplessSynthesizer writes, and assets are refused', () => {
  const ours = newApp();
  const a = withTopic(new ScenarioStack(ours, { stackName: 'lab', scenarioId: 'lab', variant: 'v', targetKind: 'aws' }, 'A lab.'));
  const theirs = newApp();
  const b = withTopic(
    new Stack(theirs, 'lab', {
      stackName: 'lab',
      description: 'A lab.',
      analyticsReporting: false,
      synthesizer: new BootstraplessSynthesizer(),
    }),
  );
  expect(ours.synth().getStackArtifact(a.artifactId).template).toEqual(theirs.synth().getStackArtifact(b.artifactId).template);
  expect(() => a.synthesizer.addFileAsset({ sourceHash: 'x', fileName: 'f' })).toThrow(/without a bootstrap/);
});
