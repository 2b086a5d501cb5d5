import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/fanli.js', import.meta.url));

/** What a newcomer runs: `fanli start --demo` on an empty data directory. */
describe('fanli start --demo', () => {
  it('creates the embedded database, loads the demo shop, prints the logins and serves the API', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fanli-start-'));
    const child = spawn(process.execPath, [BIN, 'start', '--demo'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        FANLI_DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner in time:\n${out}`)), 60_000);
        child.stdout.on('data', () => {
          const m = /Fanli is running at (http:\/\/\S+)/.exec(out);
          if (m && out.includes('shopper')) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
      });
      expect(out).toMatch(/admin\s+13800000001 \/ admin12345/);
      expect(out).toContain(`${base}/admin`);
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '13800000001', password: 'admin12345' }),
      });
      expect(login.status).toBe(200);
      const products = (await (await fetch(`${base}/api/v1/products`)).json()) as { total: number };
      expect(products.total).toBeGreaterThanOrEqual(10);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
