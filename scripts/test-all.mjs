#!/usr/bin/env node
// The whole test suite, as the README's test command and CI run it:
//   typecheck → lint → unit + integration tests on embedded PGlite → integration tests
//   again on PostgreSQL (a fresh database per test file) → browser tests in Chromium.
// Plain Node with no dependencies, so it can install them first on a fresh clone.
// The summary gives each suite's wall time; its last line is the total over all suites:
// `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const outDir = join(root, 'test-results');
mkdirSync(outDir, { recursive: true });

const only = process.argv.slice(2); // e.g. `npm test -- pglite postgres`
const want = (name) => only.length === 0 || only.includes(name);
const results = [];
const runStartedMs = Date.now();

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/** Wall time since `startedMs`, e.g. `3m 07s`. */
function since(startedMs) {
  const s = Math.round((Date.now() - startedMs) / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

function record(name, passed, failed, startedMs, note = '') {
  const time = since(startedMs);
  results.push({ name, passed, failed, time });
  console.log(
    `\n=== ${name}: ${passed} passed, ${failed} failed in ${time}${note ? ` (${note})` : ''}\n`,
  );
}

/** One check that is a single pass/fail (typecheck, lint). */
function check(name, cmd, args) {
  if (!want(name)) return;
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const startedMs = Date.now();
  const status = run(cmd, args);
  record(name, status === 0 ? 1 : 0, status === 0 ? 0 : 1, startedMs);
}

/** A vitest run; counts come from its JSON report, and a file that failed to load counts as a failure. */
function vitest(name, args, env = {}) {
  if (!want(name)) return;
  const report = join(outDir, `${name}.json`);
  rmSync(report, { force: true });
  console.log(`\n=== ${name}: vitest ${args.join(' ')}`);
  const startedMs = Date.now();
  const status = run(
    'npx',
    [
      'vitest',
      'run',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    env,
  );
  if (!existsSync(report))
    return record(name, 0, 1, startedMs, `vitest exited ${status} without a report`);
  const j = JSON.parse(readFileSync(report, 'utf8'));
  let failed = j.numFailedTests;
  const brokenFiles = (j.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).every((a) => a.status !== 'failed'),
  ).length;
  failed += brokenFiles;
  if (status !== 0 && failed === 0) failed = 1;
  record(name, j.numPassedTests, failed, startedMs);
}

function reachable(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
    socket.setTimeout(3000);
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('=== installing dependencies (npm ci)');
  const startedMs = Date.now();
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
    record('install', 0, 1, startedMs);
  }
}

if (!results.some((r) => r.failed)) {
  check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  for (const [name, cfg] of [
    ['web-shop', 'packages/web-shop/tsconfig.json'],
    ['web-admin', 'packages/web-admin/tsconfig.json'],
    ['web-common', 'packages/web-common/tsconfig.json'],
    ['e2e', 'e2e/tsconfig.json'],
  ]) {
    if (existsSync(cfg)) check(`typecheck-${name}`, 'npx', ['tsc', '-p', cfg, '--noEmit']);
  }
  check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
  // no runtime import cycle under packages/*/src
  check('lint-cycles', 'node', ['--import', 'tsx', 'scripts/check-cycles.ts']);
  // every source file stays under 600 lines (locale tables aside)
  check('lint-size', 'node', ['scripts/check-size.mjs']);
  check('format', 'npx', ['prettier', '--check', '.']);

  // unit + integration on embedded PGlite (DATABASE_URL unset on purpose)
  vitest('pglite', [], { DATABASE_URL: '' });

  // integration again on PostgreSQL
  if (want('postgres')) {
    const pgUrl =
      process.env.FANLI_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    const startedMs = Date.now();
    if (await reachable(pgUrl)) {
      vitest('postgres', ['.int.test.'], { DATABASE_URL: pgUrl });
    } else {
      console.error(`PostgreSQL is not reachable at ${pgUrl}: the PostgreSQL suite cannot run.`);
      record('postgres', 0, 1, startedMs, 'PostgreSQL unreachable');
    }
  }

  // browser tests
  if (want('e2e') && existsSync(join(root, 'vitest.e2e.config.ts'))) {
    if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0) {
      console.log('=== installing Chromium for the browser tests (apt-get)');
      run('sh', [
        '-c',
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null',
      ]);
    }
    if (existsSync('/usr/bin/chromium')) vitest('e2e', ['--config', 'vitest.e2e.config.ts']);
    else record('e2e', 0, 1, Date.now(), 'Chromium is not installed: apt-get install -y chromium');
  }
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\nSummary:');
for (const r of results)
  console.log(
    `  ${r.name.padEnd(22)} ${`${r.passed} passed, ${r.failed} failed`.padEnd(24)} ${r.time.padStart(7)}`,
  );
console.log(`  ${'total'.padEnd(22)} ${''.padEnd(24)} ${since(runStartedMs).padStart(7)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
