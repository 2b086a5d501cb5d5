import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './simulate.ts';

const dir = mkdtempSync(join(tmpdir(), 'fanli-sim-'));
const file = (name: string, content: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

async function capture(args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await run(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const scenario = {
  seed: 42,
  settings: {},
  products: [{ id: 'P1', priceFen: 16800, costFen: 12000 }],
  events: [
    {
      at: '2026-01-01T10:10:00+08:00',
      type: 'order',
      order: 'o1',
      user: 'A',
      lines: [{ product: 'P1', qty: 1 }],
    },
    { at: '2026-01-01T10:11:00+08:00', type: 'pay', order: 'o1' },
  ],
};

describe('fanli simulate', () => {
  it('prints the result JSON and exits 0', async () => {
    const r = await capture([file('ok.json', scenario)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).queues[0].entries[0]).toEqual({
      order: 'o1',
      user: 'A',
      entitlementFen: 21840,
      receivedFen: 0,
      status: 'waiting',
    });
  });

  it.each([
    [{ commission: { depth: 3 } }, 'commission.depth: must be 1 or 2'],
    [
      { queueRebate: { extractPct: -10 } },
      'queueRebate.extractPct: must be a percentage from 0 to 100 with at most 2 decimals',
    ],
    [{ queueRebate: { foo: 1 } }, 'queueRebate.foo: unknown field'],
  ])('invalid settings %j → exit 2 with one line naming the field', async (settings, line) => {
    const r = await capture([file('bad.json', { ...scenario, settings })]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('malformed scenario, bad JSON and unreadable file → exit 2, one line', async () => {
    for (const args of [
      [file('ev.json', { events: [{ at: 'soon', type: 'tick' }] })],
      [file('j.json', '{nope')],
      [join(dir, 'missing.json')],
      [],
    ]) {
      const r = await capture(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('works through the real binary (node packages/cli/bin/fanli.js)', () => {
    const bin = resolve(import.meta.dirname, '../../bin/fanli.js');
    const ok = spawnSync(process.execPath, [bin, 'simulate', file('ok2.json', scenario)], {
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).ledger).toEqual({ balanced: true, transfers: 1 });
    const bad = spawnSync(
      process.execPath,
      [bin, 'simulate', file('bad2.json', { ...scenario, settings: { commission: { depth: 3 } } })],
      {
        encoding: 'utf8',
      },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('commission.depth: must be 1 or 2\n');
  });
});
