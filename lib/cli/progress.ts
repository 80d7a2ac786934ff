import { Listr, ProcessOutput } from 'listr2';
import type { Io } from './io';
import { inert } from '../core/inert';

/**
 * Runs a slow operation with progress on stderr (a spinner on a terminal,
 * plain lines otherwise), keeping stdout clean for results and --json.
 */
export async function withProgress<T>(io: Io, title: string, fn: (progress: (message: string) => void) => Promise<T>): Promise<T> {
  if (process.env.BREAKFIX_PROGRESS === 'off') return fn(() => undefined);
  if (!process.stderr.isTTY) {
    const started = Date.now();
    io.err(`${title}...`);
    return fn((m) => io.err(`  [${((Date.now() - started) / 1000).toFixed(1)}s] ${inert(m)}`));
  }
  let result: T | undefined;
  const started = Date.now();
  const list = new Listr(
    [
      {
        title,
        task: async (_ctx, task) => {
          result = await fn((m) => {
            task.output = `[${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`;
          });
        },
      },
    ],
    {
      renderer: 'default',
      exitOnError: true,
      rendererOptions: { showErrorMessage: false },
      // Progress belongs on stderr so stdout stays clean for results.
      ...({ processOutput: new ProcessOutput(process.stderr, process.stderr) } as object),
    },
  );
  await list.run();
  return result as T;
}
