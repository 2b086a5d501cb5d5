import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = resolve(import.meta.dirname, '..');
const APPS = ['web-shop', 'web-admin'];

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds an app when its dist is missing or older than any of its sources. */
function buildIfStale(app: string): void {
  const dir = join(ROOT, 'packages', app);
  const built = join(dir, 'dist', 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json']
    .map((p) => join(dir, p))
    .filter(existsSync);
  const newest = Math.max(...sources.map(newestMtime));
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // vitest sets NODE_ENV=test, which would make vite bundle React's development build
  const res = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) throw new Error(`building ${app} failed (exit ${res.status})`);
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port')),
      );
    });
  });
}

/** Waits for the server's start banner (the demo is seeded by then). */
function waitForBanner(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(
      () => fail(new Error(`server did not start within ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/Fanli is running at/.test(out)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited (${code}) before it started:\n${out}`));
    });
  });
}

/**
 * Builds the shop and console if needed, then starts `fanli start --demo` on a free
 * port with a fresh PGlite data directory and the test clock, and hands its URL to the
 * tests. Everything is removed again at the end.
 */
export default async function setup(project: TestProject) {
  for (const app of APPS) buildIfStale(app);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'fanli-e2e-'));
  const baseUrl = `http://localhost:${port}`;
  const child = spawn(
    process.execPath,
    [join(ROOT, 'packages/cli/bin/fanli.js'), 'start', '--demo'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        FANLI_DATA_DIR: dataDir,
        FANLI_PUBLIC_URL: baseUrl,
        FANLI_CLOCK: 'test',
        FANLI_SMS_PROVIDER: 'console',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    await waitForBanner(child, 120_000);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  project.provide('baseUrl', baseUrl);
  return async () => {
    await new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
