export interface PollOptions<T> {
  /** Pause between two readings. */
  readonly pollMs: number;
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** The error to throw when time runs out, given the last reading. */
  readonly timedOut: (last: T) => Error;
}

/**
 * Reads `read()` until `settled` says the state is final, pausing `pollMs`
 * between readings; resolves with the settled reading. For states AWS
 * reaches asynchronously (a stack deleting, a table going, a tag showing)
 * where the SDK has no waiter for what breakfix waits on.
 */
export async function pollUntil<T>(read: () => Promise<T>, settled: (value: T) => boolean, opts: PollOptions<T>): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await read();
    if (settled(value)) return value;
    if (Date.now() > deadline) throw opts.timedOut(value);
    await new Promise((r) => setTimeout(r, opts.pollMs));
  }
}
