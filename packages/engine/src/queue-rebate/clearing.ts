import type { EntryStatus, EntryUpdateOp } from '../ledger/types.ts';

/** A queue entry as a clearing sees it. */
export interface ClearingEntry {
  entryKey: string;
  status: EntryStatus;
  /** when the entry joined its queue */
  joinedAtMs: number;
}

/**
 * Clearing (清零) at the instant `atMs` (docs/models/queue-rebate.md): every entry still
 * waiting that joined at or before the instant forfeits what it has not received (status
 * `cleared`; what it received stays). An entry that joined after the instant waits on, so
 * a clearing done in several steps spares what joined meanwhile; an entry that is done,
 * exchanged, cancelled, converted or already cleared is not touched.
 *
 * @example
 * planClearing(
 *   [
 *     { entryKey: 'q#0', status: 'waiting', joinedAtMs: 100 },
 *     { entryKey: 'q#1', status: 'waiting', joinedAtMs: 300 },
 *     { entryKey: 'q#2', status: 'done', joinedAtMs: 50 },
 *   ],
 *   200,
 * ) // [{ op: 'entry.update', entryKey: 'q#0', status: 'cleared' }]
 */
export function planClearing(entries: Iterable<ClearingEntry>, atMs: number): EntryUpdateOp[] {
  const ops: EntryUpdateOp[] = [];
  for (const e of entries) {
    if (e.status === 'waiting' && e.joinedAtMs <= atMs)
      ops.push({ op: 'entry.update', entryKey: e.entryKey, status: 'cleared' });
  }
  return ops;
}
