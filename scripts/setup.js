#!/usr/bin/env node
// One command for a fresh clone: install moto if missing, install and build
// breakfix, then deploy the first scenario on the embedded emulator.
// Only Node built-ins here: this runs before node_modules exists.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const python = process.env.BREAKFIX_PYTHON || 'python3';
const scenario = process.argv[2] || 'fargate-cannot-pull-image';

function step(title, cmd, args, opts = {}) {
  process.stderr.write(`\n==> ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) {
    process.stderr.write(`error: could not run ${cmd}: ${r.error.message}\n`);
    process.exit(3);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`error: breakfix needs Node.js 20 or newer; this is ${process.versions.node}.\n`);
  process.exit(3);
}
const hasMoto = spawnSync(python, ['-c', 'import moto.server, flask'], { stdio: 'ignore' }).status === 0;
if (!hasMoto) step('Installing moto (the embedded AWS emulator)', python, ['-m', 'pip', 'install', 'moto[server]>=5.1,<6']);
else process.stderr.write('==> moto is already installed\n');
step('Installing breakfix', 'npm', [existsSync(join(root, 'package-lock.json')) ? 'ci' : 'install']);
step('Building', 'npm', ['run', 'build']);
step(`Deploying ${scenario} on the embedded emulator`, process.execPath, [join(root, 'dist', 'bin', 'breakfix.js'), 'deploy', scenario]);
