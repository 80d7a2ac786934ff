#!/usr/bin/env node
import { main } from '../lib/cli/main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${(err as Error)?.message ?? err}\n`);
    process.exitCode = 4;
  },
);
