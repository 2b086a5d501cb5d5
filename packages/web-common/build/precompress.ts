import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Files worth compressing: text. Images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|webmanifest)$/;
/** Below this a compressed copy saves less than the request overhead. */
const MIN_BYTES = 1024;

export interface Compressed {
  file: string;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

/**
 * Writes `file.br` and `file.gz` beside each compressible file of at least 1 kB, when
 * smaller than the file (the server sends them to browsers that accept them:
 * packages/server/src/http/static.ts). Brotli at quality 11 and gzip at level 9: done
 * once at build, so the slowest settings cost nothing when serving.
 */
export async function compressFiles(dir: string, files: string[]): Promise<Compressed[]> {
  const out = await Promise.all(
    files
      .filter((f) => COMPRESSIBLE.test(f))
      .map(async (file): Promise<Compressed | null> => {
        const path = join(dir, file);
        const raw = await readFile(path);
        if (raw.length < MIN_BYTES) return null;
        const [br, gz] = await Promise.all([
          brotli(raw, {
            params: {
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          }),
          gzipAsync(raw, { level: 9 }),
        ]);
        if (br.length < raw.length) await writeFile(`${path}.br`, br);
        if (gz.length < raw.length) await writeFile(`${path}.gz`, gz);
        return { file, bytes: raw.length, gzipBytes: gz.length, brotliBytes: br.length };
      }),
  );
  return out.filter((c): c is Compressed => c !== null);
}

/** A bundle as far as the first page needs it: each chunk's file and static imports. */
export type ChunkGraph = Record<string, { isEntry: boolean; imports: string[] }>;

/** The JavaScript files a browser loads before the app's first page can run. */
export function firstLoadFiles(graph: ChunkGraph): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !graph[file]) return;
    seen.add(file);
    for (const dep of graph[file].imports) visit(dep);
  };
  for (const [file, chunk] of Object.entries(graph)) if (chunk.isEntry) visit(file);
  return [...seen].sort();
}

export interface PrecompressOptions {
  /** Brotli kB the first page's JavaScript may weigh; the build fails above it. */
  firstLoadBudgetKb: number;
}

/**
 * Vite plugin: precompresses the build output and holds the first page's JavaScript to a
 * transfer budget. `chunkSizeWarningLimit` warns about one large chunk; this fails the
 * build when what the first page downloads (brotli, as served) outgrows the budget.
 */
export function precompress(opts: PrecompressOptions): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'fanli:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(c) {
      config = c;
    },
    async writeBundle(output, bundle) {
      const dir = output.dir ?? config.build.outDir;
      const compressed = await compressFiles(dir, Object.keys(bundle));
      const graph: ChunkGraph = {};
      for (const [file, item] of Object.entries(bundle))
        if (item.type === 'chunk') graph[file] = { isEntry: item.isEntry, imports: item.imports };
      const first = new Set(firstLoadFiles(graph));
      const bytes = (f: Compressed) => (f.brotliBytes < f.bytes ? f.brotliBytes : f.bytes);
      const firstKb =
        compressed.filter((c) => first.has(c.file)).reduce((s, c) => s + bytes(c), 0) / 1024;
      const line = `first page JavaScript: ${firstKb.toFixed(1)} kB brotli (budget ${opts.firstLoadBudgetKb} kB), ${compressed.length} files precompressed`;
      if (firstKb > opts.firstLoadBudgetKb)
        this.error(`${line}. Split the new code into a lazily loaded chunk or raise the budget.`);
      config.logger.info(line);
    },
  };
}
