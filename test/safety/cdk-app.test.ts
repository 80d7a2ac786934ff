/**
 * Every path to an account is as safe as `breakfix deploy`, `cdk` included.
 * These cases drive the real CDK CLI (node_modules/.bin/cdk, as `npx cdk`
 * runs it) and the app cdk.json names, with no internet: the CDK CLI asks a
 * test moto's STS who the caller is (AWS_ENDPOINT_URL_STS), so real AWS is
 * the target (no AWS_ENDPOINT_URL) yet nothing leaves this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { REPO_ROOT, cleanEnv, expectOneErrorLine, runMain } from '../cli/harness';
import { useMoto } from '../support/lab';
import { runProcess } from '../support/run-process';
import { App } from 'aws-cdk-lib';
import { AwsClients } from '../../lib/targets/clients';
import { addScenarioStacks } from '../../lib/app/build-app';
import { SCENARIOS } from '../support/catalog';

const CDK = join(REPO_ROOT, 'node_modules', '.bin', 'cdk');
const APP = join(REPO_ROOT, 'dist', 'bin', 'app.js');
const SCENARIO = 's3-delete-access-denied';
/** moto's STS answers GetCallerIdentity with its default account. */
const MOTO_ACCOUNT = '123456789012';
const CDK_MS = 10 * 60_000;

const moto = useMoto();
const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * The shell of someone who runs `npx cdk`: test credentials, a fresh HOME (the
 * CDK CLI caches accounts by access key there), no telemetry or notices.
 */
function cdkEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return cleanEnv({
    HOME: tempDir('breakfix-cdk-home-'),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    ...extra,
  });
}

const cdk = (args: readonly string[], env: NodeJS.ProcessEnv) =>
  runProcess(CDK, [...args, '--no-notices', '--no-version-reporting', '--output', tempDir('breakfix-cdk-out-')], env);

/** The app alone, as the CDK CLI starts it, with the account the CLI would hand it. */
const app = (env: Record<string, string | undefined>) => {
  const outdir = tempDir('breakfix-app-out-');
  return runProcess(process.execPath, [APP], cdkEnv({ CDK_OUTDIR: outdir, ...env })).then((r) => ({ ...r, outdir }));
};

const refusalLine = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('breakfix: Refusing'));

describe('the CDK app for real AWS', () => {
  test(
    '`cdk synth` with credentials of an account not on the allow-list is refused in one sentence naming the account',
    async () => {
      const r = await cdk(['synth', '--quiet'], cdkEnv({ AWS_ENDPOINT_URL_STS: moto.endpoint, BREAKFIX_SANDBOX_ACCOUNTS: '111111111111' }));
      expect(r.code).not.toBe(0);
      expect(refusalLine(r.stderr)).toEqual([
        `breakfix: Refusing to synthesize breakfix labs for real AWS: account ${MOTO_ACCOUNT} is not on the sandbox allow-list (111111111111).`,
      ]);
      expect(r.stderr).toMatch(/exited with error 3/);
      expect(r.stdout).not.toMatch(/Resources:/);
    },
    CDK_MS,
  );

  test('without an allow-list, or without a known account, the app refuses before building anything (exit 3)', async () => {
    const none = await app({ CDK_DEFAULT_ACCOUNT: MOTO_ACCOUNT });
    expect(none.code).toBe(3);
    expect(refusalLine(none.stderr)).toEqual([
      'breakfix: Refusing to synthesize breakfix labs for real AWS: no sandbox account is allowed; set BREAKFIX_SANDBOX_ACCOUNTS to your sandbox account ID, or AWS_ENDPOINT_URL for an emulator.',
    ]);
    const unknown = await app({ BREAKFIX_SANDBOX_ACCOUNTS: MOTO_ACCOUNT });
    expect(unknown.code).toBe(3);
    expect(refusalLine(unknown.stderr)[0]).toMatch(/could not tell which account your credentials belong to/);
  });

  // The app's own logic past the guard, in process: spawning it again would only reload every scenario (minutes on a busy CI).
  function synthInProcess(env: Record<string, string>): { notices: string[]; assembly: ReturnType<App['synth']> } {
    const notices: string[] = [];
    const app = new App({ outdir: tempDir('breakfix-app-out-') });
    addScenarioStacks(app, SCENARIOS, env, (l) => void notices.push(l));
    return { notices, assembly: app.synth() };
  }

  test('an allow-listed account gets every lab that runs on AWS, pinned to that account, and the cost estimate', () => {
    const { notices, assembly } = synthInProcess({
      CDK_DEFAULT_ACCOUNT: MOTO_ACCOUNT,
      CDK_DEFAULT_REGION: 'us-east-1',
      BREAKFIX_SANDBOX_ACCOUNTS: `111111111111,${MOTO_ACCOUNT}`,
    });
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
    // cdk deploy compares a pinned environment with the credentials' account and refuses any other.
    for (const s of assembly.stacks) expect(s.environment.name).toBe(`aws://${MOTO_ACCOUNT}/us-east-1`);
    expect(notices.join('\n')).toMatch(new RegExp(`cost money while deployed in account ${MOTO_ACCOUNT}: .*${SCENARIO} ~\\$0\\.001/hour`));
  });

  test('a bad learner name or an unknown variant is refused in one sentence (exit 2)', async () => {
    const name = await app({ BREAKFIX_TARGET: 'moto', BREAKFIX_LEARNER: 'Bad_Name' });
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/^breakfix: Learner name "Bad_Name" is not usable/m);
    expect(() => synthInProcess({ BREAKFIX_TARGET: 'moto', BREAKFIX_VARIANT: '../../README' })).toThrow(
      /^No scenario has variant "\.\.\/\.\.\/README" \(BREAKFIX_VARIANT\)\.$/,
    );
  });

  test('a target a scenario does not run on leaves that scenario out, saying so', () => {
    const { notices, assembly } = synthInProcess({ BREAKFIX_TARGET: 'floci' });
    expect(notices).toContain(
      'breakfix: stack-update-rollback-failed is left out of this app: Scenario stack-update-rollback-failed does not run on floci; it runs on moto, aws.',
    );
    expect(assembly.stacks.map((s) => s.stackName)).not.toContain('stack-update-rollback-failed');
    // Exactly the scenarios whose metadata says they run on floci: a count written for one left-out scenario broke when more arrived.
    const onFloci = SCENARIOS.filter((s) => s.meta.targets.floci !== 'unsupported').map((s) => s.id);
    expect(onFloci.length).toBeLessThan(SCENARIOS.length);
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(onFloci.sort());
  });
});

describe('the CDK app on an emulator', () => {
  test(
    '`cdk deploy --method=direct` puts up an unarmed lab; check and status say so with the one command that arms it (exit 3), and reset arms it',
    async () => {
      const deployed = await cdk(
        ['deploy', SCENARIO, '--method=direct', '--require-approval', 'never'],
        cdkEnv({ AWS_ENDPOINT_URL: moto.endpoint }),
      );
      expect(deployed.code).toBe(0);
      expect(deployed.stderr).toMatch(/`cdk deploy` does not arm a lab/);
      const clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: moto.endpoint });
      const stacks = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: SCENARIO }));
      expect(stacks.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');

      const env = cleanEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', BREAKFIX_HOME: process.env.BREAKFIX_HOME });
      const where = ['--endpoint', moto.endpoint];
      for (const command of ['check', 'status']) {
        const r = await runMain([command, SCENARIO, ...where], { env });
        expect(r.code).toBe(3);
        expectOneErrorLine(r.stderr, {
          matches: new RegExp(
            `^Stack ${SCENARIO} was deployed without breakfix's post-deploy steps .* run \`breakfix reset ${SCENARIO}\` to arm it\\.$`,
          ),
        });
      }

      const reset = await runMain(['reset', SCENARIO, ...where], { env });
      expect(reset.code).toBe(0);
      const check = await runMain(['check', SCENARIO, ...where, '--json'], { env });
      expect(check.code).toBe(1);
      expect(JSON.parse(check.stdout).verdict).toBe('not-fixed');
      clients.destroy();
    },
    CDK_MS,
  );
});
