/**
 * `check` and `status` read live state and grade it; they never synthesize,
 * deploy, show deploy progress or parse a template that moto does not send
 * for the scenario. So a CLI process running them must not load the CDK
 * (aws-cdk-lib, constructs, @aws-cdk/toolkit-lib), listr2 or yaml: each is
 * start-up time a learner pays on every check. Runs the built CLI (`npm run
 * build` first; `npm test` does) with a preload that lists, at exit, the
 * packages the process really evaluated, and compares its answer with the
 * same command in process.
 */
import { SCENARIOS } from '../support/catalog';
import { useLab } from '../support/lab';
import { loadedFiles, loadedFilesPreload, packagesOf } from '../support/loaded-files';
import { runProcess } from '../support/run-process';
import { BIN, cleanEnv, runMain } from './harness';

/** Packages a grading command has no use for (see the header); nor has it for SDK clients of services it sends nothing to. */
const NOT_FOR_GRADING = ['aws-cdk-lib', 'constructs', '@aws-cdk/toolkit-lib', 'listr2', 'yaml'];

const PRELOAD = loadedFilesPreload();

/** A node child process from the repository root, with the learner's clean environment. */
const runNode = (args: readonly string[]) => runProcess(process.execPath, args, cleanEnv());

const loadedPackages = (stderr: string): string[] => packagesOf(loadedFiles(stderr));

test('the preload sees a package the process loads', async () => {
  const out = await runNode(['-r', PRELOAD, '-e', "require('yaml'); require('@aws-cdk/toolkit-lib/package.json')"]);
  expect(out.code).toBe(0);
  expect(loadedPackages(out.stderr)).toEqual(expect.arrayContaining(['yaml', '@aws-cdk/toolkit-lib']));
});

describe('check and status of an S3 lab, as a learner runs them', () => {
  const scenario = SCENARIOS.find((s) => s.id === 's3-delete-access-denied')!;
  const lab = useLab(scenario);

  test.each([
    ['status', 0],
    ['check', 1],
  ])('%s loads none of the deploy-time packages and answers as the command in process does', async (command, code) => {
    const argv = [command as string, scenario.id, '--target', 'moto', '--endpoint', lab.endpoint, '--json'];
    const cli = await runNode(['-r', PRELOAD, BIN, ...argv]);
    expect(cli.code).toBe(code);
    const loaded = loadedPackages(cli.stderr);
    // The commands did load what they use, so an empty or broken listing cannot pass.
    expect(loaded).toEqual(expect.arrayContaining(['commander', '@aws-sdk/client-s3']));
    for (const pkg of NOT_FOR_GRADING) expect(loaded).not.toContain(pkg);
    // Of the SDK's service clients, only those of the services this lab's reads go to (no EC2, ECS, ELB ...).
    expect(loaded.filter((p) => p.startsWith('@aws-sdk/client-'))).toEqual([
      '@aws-sdk/client-cloudformation',
      '@aws-sdk/client-iam',
      '@aws-sdk/client-organizations',
      '@aws-sdk/client-s3',
    ]);
    const inProcess = await runMain(argv);
    expect(inProcess.code).toBe(code);
    const strip = (json: string) => {
      const out = JSON.parse(json);
      // Timings differ between any two runs.
      delete out.durationMs;
      return out;
    };
    expect(strip(cli.stdout)).toEqual(strip(inProcess.stdout));
  });

  // Finding the embedded emulator precedes every check and status; fetch would load undici first (Node 20).
  test('asking whether moto answers needs no fetch, and a silent or closed port is no', async () => {
    const script = `
      delete globalThis.fetch;
      const net = require('node:net');
      const { endpointAnswers, freePort } = require('./dist/lib/targets/moto/server');
      const silent = net.createServer(() => undefined).listen(0, '127.0.0.1', async () => {
        const closed = await freePort();
        const answers = {
          moto: await endpointAnswers(${JSON.stringify(lab.endpoint)}),
          silent: await endpointAnswers('http://127.0.0.1:' + silent.address().port, 300),
          closed: await endpointAnswers('http://127.0.0.1:' + closed, 300),
        };
        silent.close();
        console.log(JSON.stringify(answers));
      });
    `;
    const out = await runNode(['-e', script]);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ moto: true, silent: false, closed: false });
  });
});
