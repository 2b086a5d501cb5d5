import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCycles } from './check-cycles.ts';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-cycles.ts');
const roots: string[] = [];

/** A throwaway monorepo: `files` are paths under packages/ with their text. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fanli-cycles-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, 'packages', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('import cycle check', () => {
  it('finds a cycle that exists at run time and names its files in order', () => {
    const root = repo({
      'shop/src/orders.ts': `import { TZ } from './rules.ts';\nexport const a = TZ;\n`,
      'shop/src/rules.ts': `import { a } from './clearing.ts';\nexport const TZ = 'x' + a;\n`,
      'shop/src/clearing.ts': `export { a } from './orders.ts';\n`,
      'shop/src/leaf.ts': `export const leaf = 1;\n`,
    });
    expect(checkCycles(root).map((c) => c.files)).toEqual([
      [
        'packages/shop/src/clearing.ts',
        'packages/shop/src/orders.ts',
        'packages/shop/src/rules.ts',
        'packages/shop/src/clearing.ts',
      ],
    ]);
  });

  it('does not count imports that vanish when types are erased', () => {
    const root = repo({
      'shop/src/a.ts': `import type { B } from './b.ts';\nexport interface A { b?: B }\nexport const one = 1;\n`,
      'shop/src/b.ts': `import { one, type A } from './a.ts';\nexport type { A as Alias } from './c.ts';\nexport interface B { a?: A }\nexport const two = one + 1;\n`,
      'shop/src/c.ts': `export { type B } from './b.ts';\nexport interface A {}\n`,
    });
    expect(checkCycles(root)).toEqual([]);
  });

  it('counts an import whose names are all types: the module is still loaded', () => {
    const root = repo({
      'shop/src/a.ts': `import { type B } from './b.ts';\nexport type A = B;\n`,
      'shop/src/b.ts': `import { a } from './c.ts';\nexport type B = string;\nexport const b = a;\n`,
      'shop/src/c.ts': `import './a.ts';\nexport const a = 1;\n`,
    });
    expect(checkCycles(root)).toHaveLength(1);
  });

  it('follows imports between packages and dynamic imports', () => {
    const root = repo({
      'engine/src/index.ts': `export const rate = 1;\nexport const later = () => import('../../server/src/app.ts');\n`,
      'server/src/app.ts': `import { rate } from '../../engine/src/index.ts';\nexport const r = rate;\n`,
    });
    expect(checkCycles(root).map((c) => c.files)).toEqual([
      [
        'packages/engine/src/index.ts',
        'packages/server/src/app.ts',
        'packages/engine/src/index.ts',
      ],
    ]);
  });

  it('as a command, prints the chain and fails; passes on a tree without cycles', () => {
    const cyclic = repo({
      'shop/src/x.ts': `import { y } from './y.ts';\nexport const x = () => y;\n`,
      'shop/src/y.ts': `import { x } from './x.ts';\nexport const y = () => x;\n`,
    });
    const fail = spawnSync(process.execPath, ['--import', 'tsx', script, cyclic], {
      encoding: 'utf8',
    });
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain('packages/shop/src/x.ts\n    → packages/shop/src/y.ts\n');
    expect(fail.stdout).toContain('1 runtime cycle(s)');

    const clean = repo({ 'shop/src/x.ts': `export const x = 1;\n` });
    const pass = spawnSync(process.execPath, ['--import', 'tsx', script, clean], {
      encoding: 'utf8',
    });
    expect(pass.status).toBe(0);
    expect(pass.stdout).toContain('0 runtime cycles');
  });
});
