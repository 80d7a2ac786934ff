/**
 * The floor of any one-shot command: a fresh `node` process that loads the
 * SDK client packages a command used and sends the same calls, all at once,
 * then exits. Bench (e) runs it beside the CLI so a ratio can say how much of
 * the CLI's time is breakfix's own and how much is node plus the SDK's start.
 *
 * Input (argv[2]): JSON { endpoint, region, calls: [{ pkg, client, command, input }] }.
 */
import Module from 'node:module';

// As the CLI does where Node has it (lib/cli/compile-cache.ts), so the floor is not measured without a cache the CLI has.
(Module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

interface FreshCall {
  readonly pkg: string;
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
      const mod = require(c.pkg) as Record<string, new (x: unknown) => unknown>;
      let client = clients.get(c.pkg);
      if (!client) {
        client = new mod[c.client]({
          endpoint: spec.endpoint,
          region: spec.region,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          forcePathStyle: true,
        }) as Sendable;
        clients.set(c.pkg, client);
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
