#!/usr/bin/env node
// One command for a fresh clone: install moto if missing, install and build
// breakfix, put `breakfix` on the PATH (npm link), then deploy the first
// scenario on the embedded emulator.
// Only Node built-ins here: this runs before node_modules exists.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
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

/**
 * True when node_modules already holds exactly what package-lock.json names
 * (npm's own record of the installed tree, node_modules/.package-lock.json),
 * so rerunning setup does not reinstall from the registry.
 */
function installedMatchesLock() {
  try {
    const want = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
    const have = JSON.parse(readFileSync(join(root, 'node_modules', '.package-lock.json'), 'utf8')).packages;
    // Optional packages for other platforms (fsevents on Linux) are never installed here.
    return Object.entries(want).every(([path, p]) => path === '' || (have[path] ? have[path].version === p.version : Boolean(p.optional)));
  } catch {
    return false;
  }
}

if (installedMatchesLock()) process.stderr.write('==> breakfix dependencies are already installed\n');
else step('Installing breakfix', 'npm', [existsSync(join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);
step('Building', 'npm', ['run', 'build']);
process.stderr.write('\n==> Putting `breakfix` on the PATH (npm link)\n');
const link = spawnSync('npm', ['link', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (link.status !== 0) {
  // Usually EACCES: the global prefix belongs to root. A prefix in the home folder needs no sudo.
  process.stderr.write(
    'error: `npm link` failed, so `breakfix` is not on the PATH. Without root, give npm a prefix you own and rerun setup:\n' +
      '  npm config set prefix ~/.local && export PATH="$HOME/.local/bin:$PATH" && npm run setup\n',
  );
  process.exit(3);
}
const bin = spawnSync('npm', ['prefix', '-g'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const onPath = (process.env.PATH || '').split(':').some((d) => d === join(bin, 'bin') || d === bin);
if (!onPath)
  process.stderr.write(
    `warning: npm linked breakfix into ${join(bin, 'bin')}, which is not on your PATH; add it (export PATH="${join(bin, 'bin')}:$PATH").\n`,
  );
step(`Deploying ${scenario} on the embedded emulator`, process.execPath, [join(root, 'dist', 'bin', 'breakfix.js'), 'deploy', scenario]);
