#!/usr/bin/env node
// breakfix supports Node >= 20 with the SDK versions it pins; the SDK's notice about future releases is noise for learners.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { enableCompileCache } from '../lib/cli/compile-cache';
// First, so every module after it is compiled through Node's cache where Node has one (lib/cli/compile-cache.ts).
enableCompileCache();

import { deferSdkLoading } from '../lib/cli/lazy-sdk';
// Before anything else loads: SDK client packages load when a command first uses them (lib/cli/lazy-sdk.ts).
deferSdkLoading();

import { main } from '../lib/cli/main';
import { scenarioCatalog } from './catalog';

// A closed pipe (`breakfix list | head -1`) ends output quietly, as for any Unix tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// The catalog reads scenario.json only; scenario code and the CDK toolkit load when a command needs them.
main(process.argv.slice(2), { scenarios: scenarioCatalog() }).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${(err as Error)?.message ?? err}\n`);
    process.exitCode = 4;
  },
);
