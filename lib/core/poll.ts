export interface PollOptions<T> {
  /** The longest pause between two readings (the pauses grow to it). */
  readonly pollMs: number;
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** The error to throw when time runs out, given the last reading. */
  readonly timedOut: (last: T) => Error;
}

/** The shortest first pause: below it, polling a local emulator only burns the CPU it shares with the emulator. */
const MIN_FIRST_PAUSE_MS = 10;

/** The pauses pollUntil makes between readings: 1/16 of pollMs (at least 10 ms), doubling up to pollMs. */
export function* pollPauses(pollMs: number): Generator<number> {
  let pause = Math.min(pollMs, Math.max(MIN_FIRST_PAUSE_MS, pollMs / 16));
  for (;;) {
    yield pause;
    pause = Math.min(pollMs, pause * 2);
  }
}

/**
 * Reads `read()` until `settled` says the state is final; resolves with the
 * settled reading. For states AWS reaches asynchronously (a stack deleting,
 * a table going, a tag showing) where the SDK has no waiter for what
 * breakfix waits on. The pauses start short and double up to `pollMs`: an
 * emulator settles within milliseconds and is seen at once, while a slow
 * change on real AWS is read no more often than `pollMs`.
 */
export async function pollUntil<T>(read: () => Promise<T>, settled: (value: T) => boolean, opts: PollOptions<T>): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const pauses = pollPauses(opts.pollMs);
  for (;;) {
    const value = await read();
    if (settled(value)) return value;
    if (Date.now() > deadline) throw opts.timedOut(value);
    const pause = pauses.next().value as number;
    await new Promise((r) => setTimeout(r, pause));
  }
}
