import { StackSynthesizer, type DockerImageAssetLocation, type FileAssetLocation, type ISynthesisSession } from 'aws-cdk-lib';

/**
 * Synthesizes a stack that deploys with the caller's own credentials: the
 * template inline, no assets, and no roles in the cloud assembly.
 *
 * aws-cdk-lib's BootstraplessSynthesizer still writes the bootstrap stack's
 * deploy and CloudFormation execution role ARNs (cdk-hnb659fds-*) into the
 * manifest when given none, and the toolkit then asks CloudFormation to act
 * as that execution role, which an account never bootstrapped does not have.
 * A lab account needs no bootstrap, so no role is named at all; this uses
 * StackSynthesizer, the extension point CDK documents for custom synthesis.
 */
export class CurrentCredentialsSynthesizer extends StackSynthesizer {
  addFileAsset(): FileAssetLocation {
    throw new Error('Scenario stacks deploy without a bootstrap, so they cannot hold file assets.');
  }

  addDockerImageAsset(): DockerImageAssetLocation {
    throw new Error('Scenario stacks deploy without a bootstrap, so they cannot hold container image assets.');
  }

  synthesize(session: ISynthesisSession): void {
    this.synthesizeTemplate(session);
    this.emitArtifact(session);
  }
}
