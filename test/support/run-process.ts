import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository's root: the tests' child processes run there, as a learner's shell in a checkout would. */
const REPO_ROOT = resolve(__dirname, '..', '..');

/** What a finished process printed, and its exit code. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command from the repository root to its end, with no stdin, and collects its output and exit code
 * (-1 when a signal ended it); rejects only when it cannot be started. Not execFile: that turns a non-zero
 * exit into an error and caps the output, and these tests want both as they are.
 */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}
