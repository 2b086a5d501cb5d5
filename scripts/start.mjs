#!/usr/bin/env node
// `npm start`: the demo from a fresh clone. Installs dependencies if they are missing,
// builds the shop and console if their bundles are missing or older than their sources,
// then starts the server with the demo shop (embedded database in ./data).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies (npm ci)…');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

for (const web of ['web-shop', 'web-admin']) {
  const pkg = join(root, 'packages', web);
  if (!existsSync(join(pkg, 'vite.config.ts'))) continue;
  const index = join(pkg, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(pkg)) continue;
  console.log(`Building ${web}…`);
  if (run('npm', ['run', 'build', '-w', `@fanli/${web}`]) !== 0) process.exit(1);
}

// The demo hands out sign-up codes on screen: it listens on this computer only unless
// HOST says otherwise (HOST=0.0.0.0 lets phones on the same network in).
process.exitCode =
  spawnSync('node', ['packages/cli/bin/fanli.js', 'start', '--demo', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, HOST: process.env.HOST || '127.0.0.1' },
  }).status ?? 1;
