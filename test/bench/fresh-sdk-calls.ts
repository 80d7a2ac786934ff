/**
 * The floor of any one-shot command: a fresh `node` process that loads the
 * SDK client packages a command used and sends the same calls, all at once,
 * then exits. Bench (e) runs it beside the CLI so a ratio can say how much of
 * the CLI's time is breakfix's own and how much is node plus the SDK's start.
 *
 * Input (argv[2]): JSON { endpoint, region, calls: [{ entry, client, command, input }] }, where entry is a
 * client package's entry file.
 */
import { enableCompileCache } from '../../lib/cli/compile-cache';

// As the CLI does where Node has it, so the floor is not measured without a cache the CLI has.
enableCompileCache();

interface FreshCall {
  readonly entry: string;
  readonly client: string;
  readonly command: string;
  readonly input: unknown;
}

interface FreshInput {
  readonly endpoint: string;
  readonly region: string;
  readonly calls: readonly FreshCall[];
}

type Sendable = { send(cmd: unknown): Promise<unknown> };

async function main(spec: FreshInput): Promise<void> {
  const clients = new Map<string, Sendable>();
  await Promise.all(
    spec.calls.map((c) => {
      const mod = require(c.entry) as Record<string, new (x: unknown) => unknown>;
      let client = clients.get(c.entry);
      if (!client) {
        client = new mod[c.client]({
          endpoint: spec.endpoint,
          region: spec.region,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          forcePathStyle: true,
        }) as Sendable;
        clients.set(c.entry, client);
      }
      // Errors are answers too (the armed lab returns some); only the round trip counts.
      return client.send(new mod[c.command](c.input)).catch(() => undefined);
    }),
  );
}

main(JSON.parse(process.argv[2]) as FreshInput).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
