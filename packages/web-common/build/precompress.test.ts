import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ResolvedConfig } from 'vite';
import { compressFiles, firstLoadFiles, precompress } from './precompress.ts';

const dir = mkdtempSync(join(tmpdir(), 'fanli-precompress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (kb: number) => 'const a = "返利 fanli";\n'.repeat(Math.ceil((kb * 1024) / 24));

describe('precompressing a build', () => {
  it('writes .br and .gz beside text files of 1 kB or more, and leaves the rest', async () => {
    writeFileSync(join(dir, 'big.js'), text(8));
    writeFileSync(join(dir, 'tiny.js'), 'export {};\n');
    writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096, 7));
    const done = await compressFiles(dir, ['big.js', 'tiny.js', 'logo.png']);
    expect(done.map((d) => d.file)).toEqual(['big.js']);
    const raw = readFileSync(join(dir, 'big.js'));
    expect(brotliDecompressSync(readFileSync(join(dir, 'big.js.br')))).toEqual(raw);
    expect(gunzipSync(readFileSync(join(dir, 'big.js.gz')))).toEqual(raw);
    expect(done[0]!.brotliBytes).toBeLessThan(done[0]!.gzipBytes);
    expect(existsSync(join(dir, 'tiny.js.br'))).toBe(false);
    expect(existsSync(join(dir, 'logo.png.gz'))).toBe(false);
  });

  it('counts the entry and everything it imports statically, not what it loads lazily', () => {
    expect(
      firstLoadFiles({
        'index.js': { isEntry: true, imports: ['vendor.js'] },
        'vendor.js': { isEntry: false, imports: ['react.js'] },
        'react.js': { isEntry: false, imports: [] },
        'charts.js': { isEntry: false, imports: ['vendor.js'] },
      }),
    ).toEqual(['index.js', 'react.js', 'vendor.js']);
  });

  it('fails the build when the first page outgrows its budget, and passes within it', async () => {
    // random-ish text compresses poorly: ~40 kB of it stays well over a 5 kB budget
    const noise = Array.from({ length: 4000 }, (_, i) => ((i * 7919) % 104729).toString(36)).join(
      ';',
    );
    writeFileSync(join(dir, 'entry.js'), noise.repeat(2));
    writeFileSync(join(dir, 'lazy.js'), noise.repeat(3));
    const bundle = {
      'entry.js': { type: 'chunk', isEntry: true, imports: [] },
      'lazy.js': { type: 'chunk', isEntry: false, imports: [] },
    };
    const run = async (budgetKb: number) => {
      const plugin = precompress({ firstLoadBudgetKb: budgetKb });
      const logged: string[] = [];
      (plugin.configResolved as (c: ResolvedConfig) => void)({
        build: { outDir: dir },
        logger: { info: (m: string) => logged.push(m) },
      } as unknown as ResolvedConfig);
      const ctx = {
        error: (m: string) => {
          throw new Error(m);
        },
      };
      await (plugin.writeBundle as (...a: unknown[]) => Promise<void>).call(ctx, { dir }, bundle);
      return logged;
    };
    await expect(run(5)).rejects.toThrow(/first page JavaScript: .* \(budget 5 kB\)/);
    expect((await run(500))[0]).toMatch(
      /first page JavaScript: [\d.]+ kB brotli \(budget 500 kB\)/,
    );
  });
});
