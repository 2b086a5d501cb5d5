import { describe, expect, it } from 'vitest';
import type { EntryStatus } from '../ledger/types.ts';
import { planClearing } from './clearing.ts';

const entry = (entryKey: string, status: EntryStatus, joinedAtMs: number) => ({
  entryKey,
  status,
  joinedAtMs,
});

describe('queue clearing (清零)', () => {
  const midnight = Date.parse('2026-03-02T00:00:00+08:00');

  it('every entry waiting at the instant is cleared, one that joined exactly then too', () => {
    const ops = planClearing(
      [entry('q#0', 'waiting', midnight - 3_600_000), entry('q#1', 'waiting', midnight)],
      midnight,
    );
    expect(ops).toEqual([
      { op: 'entry.update', entryKey: 'q#0', status: 'cleared' },
      { op: 'entry.update', entryKey: 'q#1', status: 'cleared' },
    ]);
  });

  it('an entry that joined after the instant keeps waiting', () => {
    expect(planClearing([entry('q#5', 'waiting', midnight + 1)], midnight)).toEqual([]);
  });

  it('entries that are no longer waiting are left as they are', () => {
    const others: EntryStatus[] = ['done', 'cancelled', 'exchanged', 'cleared', 'converted'];
    expect(
      planClearing(
        others.map((s, i) => entry(`q#${i}`, s, 0)),
        midnight,
      ),
    ).toEqual([]);
  });
});
