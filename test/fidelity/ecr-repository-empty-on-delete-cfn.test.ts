/**
 * patch_ecr_repository_empty_on_delete_cfn: deleting a stack whose
 * AWS::ECR::Repository sets EmptyOnDelete removes the repository with its
 * images; without EmptyOnDelete a non-empty repository still blocks it.
 *
 * Also pins ImageTagMutability, which stock moto already honours.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeRepositoriesCommand, ECRClient, PutImageCommand, Repository } from '@aws-sdk/client-ecr';
import { eventLines } from '../fidelity-rollback/harness';
import {
  clientConfig,
  createStack,
  deleteStack,
  Flavour,
  FLAVOURS,
  MotoPair,
  rejection,
  startMotoPair,
  Template,
  waitForStack,
} from './cfn-harness';

const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'b'.repeat(64)}` },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 32654, digest: `sha256:${'c'.repeat(64)}` }],
});

const repoTemplate = (name: string, emptyOnDelete?: boolean): Template => ({
  Resources: {
    Repo: {
      Type: 'AWS::ECR::Repository',
      Properties: {
        RepositoryName: name,
        ImageTagMutability: 'IMMUTABLE',
        ...(emptyOnDelete === undefined ? {} : { EmptyOnDelete: emptyOnDelete }),
      },
    },
  },
});

async function describeRepo(ecr: ECRClient, name: string): Promise<Repository> {
  const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
  return out.repositories![0];
}

describe('AWS::ECR::Repository EmptyOnDelete via CloudFormation', () => {
  let motos: MotoPair;
  const clients = {} as Record<Flavour, { cfn: CloudFormationClient; ecr: ECRClient }>;

  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const endpoint = motos[flavour].endpoint;
      clients[flavour] = { cfn: new CloudFormationClient(clientConfig(endpoint)), ecr: new ECRClient(clientConfig(endpoint)) };
    }
  });

  afterAll(async () => {
    for (const c of Object.values(clients)) {
      c.cfn.destroy();
      c.ecr.destroy();
    }
    await motos?.stop();
  });

  /** Creates the stack, pushes one image, deletes the stack; returns the DeleteStack error, if any. */
  async function pushThenDelete(flavour: Flavour, stack: string, repo: string, emptyOnDelete?: boolean): Promise<Error | undefined> {
    const { cfn, ecr } = clients[flavour];
    expect((await createStack(cfn, stack, repoTemplate(repo, emptyOnDelete))).status).toBe('CREATE_COMPLETE');
    expect((await describeRepo(ecr, repo)).imageTagMutability).toBe('IMMUTABLE');
    await ecr.send(new PutImageCommand({ repositoryName: repo, imageManifest: MANIFEST, imageTag: 'v1' }));
    try {
      await deleteStack(cfn, stack);
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }

  test('stock moto refuses to delete the stack although EmptyOnDelete is true (patch still needed)', async () => {
    const err = await pushThenDelete('stock', 'fidelity-ecr-empty', 'fidelity/empty-on-delete', true);
    expect(err?.name).toBe('RepositoryNotEmptyException');
    expect((await describeRepo(clients.stock.ecr, 'fidelity/empty-on-delete')).repositoryName).toBe('fidelity/empty-on-delete');
  });

  test('patched moto deletes the repository and its images with the stack', async () => {
    const err = await pushThenDelete('patched', 'fidelity-ecr-empty', 'fidelity/empty-on-delete', true);
    expect(err).toBeUndefined();
    const gone = await rejection(describeRepo(clients.patched.ecr, 'fidelity/empty-on-delete'));
    expect(gone.name).toBe('RepositoryNotFoundException');
  });

  test('stock moto: without EmptyOnDelete a repository holding images blocks DeleteStack with ECR’s error', async () => {
    const err = await pushThenDelete('stock', 'fidelity-ecr-keep', 'fidelity/keep-images');
    expect(err?.name).toBe('RepositoryNotEmptyException');
    expect((await describeRepo(clients.stock.ecr, 'fidelity/keep-images')).repositoryName).toBe('fidelity/keep-images');
  });

  test('patched moto: without EmptyOnDelete a repository holding images fails the delete: DELETE_FAILED, repository kept', async () => {
    // patch_cfn_delete_stack reports it as CloudFormation does, with the repository's reason.
    const err = await pushThenDelete('patched', 'fidelity-ecr-keep', 'fidelity/keep-images');
    expect(err).toBeUndefined();
    const { cfn, ecr } = clients.patched;
    expect(await waitForStack(cfn, 'fidelity-ecr-keep')).toBe('DELETE_FAILED');
    const failed = (await eventLines(cfn, 'fidelity-ecr-keep')).find((l) => l.id === 'Repo' && l.status === 'DELETE_FAILED');
    expect(failed?.reason).toMatch(/still contains images/);
    expect((await describeRepo(ecr, 'fidelity/keep-images')).repositoryName).toBe('fidelity/keep-images');
  });
});
