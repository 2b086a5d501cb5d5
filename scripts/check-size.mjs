#!/usr/bin/env node
// Keeps every source file under 600 lines, so no file grows into a god module: a file
// that reaches the limit is split by feature (docs/architecture.md). Locale tables are
// flat key lists and are left out. Exits 1 and names each file at or over the limit.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_LINES = 600;
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|css)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'locales']);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(p);
    } else if (SOURCE.test(e.name)) yield p;
  }
}

const roots = [
  ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'src')),
  join(root, 'e2e'),
  join(root, 'scripts'),
];

const tooLong = [];
for (const dir of roots)
  for (const file of walk(dir)) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines >= MAX_LINES) tooLong.push([relative(root, file), lines]);
  }

if (tooLong.length) {
  console.error(`Source files must stay under ${MAX_LINES} lines; split these by feature:`);
  for (const [file, lines] of tooLong) console.error(`  ${file}: ${lines} lines`);
  process.exitCode = 1;
} else {
  console.log(`check-size: every source file is under ${MAX_LINES} lines`);
}
