/**
 * A CLI process loads an SDK client package only when the command uses it
 * (lib/cli/lazy-sdk.ts): `status` of an S3 lab no longer pays for the EC2,
 * ECR, CloudWatch Logs and STS clients that shared modules import at their
 * top, and answers exactly as the same command in process. Runs the built
 * CLI (`npm run build` first; `npm test` does) with a preload that lists, at
 * exit, the client packages the process really evaluated.
 */
import { SCENARIOS } from '../support/catalog';
import { useLab } from '../support/lab';
import { loadedFiles, loadedFilesPreload, packagesOf } from '../support/loaded-files';
import { runProcess } from '../support/run-process';
import { BIN, cleanEnv, runMain } from './harness';

const PRELOAD = loadedFilesPreload();

/** The @aws-sdk/client-* packages whose code the child evaluated, as `client-<service>`. */
const loadedClients = (stderr: string): string[] =>
  packagesOf(loadedFiles(stderr))
    .filter((p) => p.startsWith('@aws-sdk/client-'))
    .map((p) => p.slice('@aws-sdk/'.length));

test('a deferred package loads on its first use, once, and then is the package itself', async () => {
  const script = `
    const { deferSdkLoading } = require('./dist/lib/cli/lazy-sdk');
    const loads = [];
    deferSdkLoading((r) => loads.push(r));
    const sts = require('@aws-sdk/client-sts');
    const before = loads.length;
    const Client = sts.STSClient;
    const real = require('./node_modules/@aws-sdk/client-sts');
    console.log(JSON.stringify({ before, loads, same: Client === real.STSClient, has: 'GetCallerIdentityCommand' in sts, keys: Object.keys(sts).includes('STSClient') }));
  `;
  const out = await runProcess(process.execPath, ['-r', PRELOAD, '-e', script], cleanEnv());
  expect(out.code).toBe(0);
  expect(JSON.parse(out.stdout)).toEqual({ before: 0, loads: ['@aws-sdk/client-sts'], same: true, has: true, keys: true });
});

describe('status of an S3 lab, as a learner runs it', () => {
  const scenario = SCENARIOS.find((s) => s.id === 's3-delete-access-denied')!;
  const lab = useLab(scenario);

  test('loads the clients it calls and none of the others, and answers as the command in process does', async () => {
    const argv = ['status', scenario.id, '--target', 'moto', '--endpoint', lab.endpoint, '--json'];
    const cli = await runProcess(process.execPath, ['-r', PRELOAD, BIN, ...argv], cleanEnv());
    expect(cli.code).toBe(0);
    const loaded = loadedClients(cli.stderr);
    expect(loaded).toEqual(expect.arrayContaining(['client-cloudformation', 'client-s3']));
    for (const unused of [
      'client-ec2',
      'client-ecr',
      'client-cloudwatch-logs',
      'client-sts',
      'client-ecs',
      'client-dynamodb',
      'client-rds',
    ])
      expect(loaded).not.toContain(unused);
    const inProcess = await runMain(argv);
    expect(inProcess.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(inProcess.stdout));
  });
});
