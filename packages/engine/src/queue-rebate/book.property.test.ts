/**
 * The heap-based queue book must pay exactly like the naive reading of the rule
 * (scan the queue from the start every time), for fifo and completedFirst, with
 * completions, partial fills and reopened entries in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEntryUpdate, candidates, createQueueBook, joinQueue, markCompleted } from './book.ts';
import { allocateContribution } from './plan.ts';

interface Ref {
  ent: number;
  rec: number;
  seq: number;
  completed: boolean;
  closed: boolean;
}

function naive(
  ref: Ref[],
  rule: 'fifo' | 'completedFirst',
  amount: number,
  beforeSeq: number,
): [number, number][] {
  const open = ref
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => !e.closed && e.rec < e.ent && e.seq < beforeSeq);
  const order =
    rule === 'fifo'
      ? open
      : [...open.filter((x) => x.e.completed), ...open.filter((x) => !x.e.completed)];
  const out: [number, number][] = [];
  let left = amount;
  for (const { e, i } of order) {
    if (left === 0) break;
    const take = Math.min(left, e.ent - e.rec);
    out.push([i, take]);
    left -= take;
  }
  return out;
}

const opArb = fc.oneof(
  fc.record({ k: fc.constant('join' as const), ent: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ k: fc.constant('complete' as const), i: fc.nat(200) }),
  fc.record({
    k: fc.constant('pay' as const),
    amount: fc.integer({ min: 0, max: 900 }),
    back: fc.nat(3),
  }),
  fc.record({ k: fc.constant('reverse' as const), i: fc.nat(200) }),
  fc.record({ k: fc.constant('close' as const), i: fc.nat(200) }),
);

describe('queue book = naive rule', () => {
  for (const rule of ['fifo', 'completedFirst'] as const) {
    it(rule, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
          const book = createQueueBook('q');
          const ref: Ref[] = [];
          let seq = 0;
          for (const op of ops) {
            if (op.k === 'join') {
              seq++;
              joinQueue(book, { orderId: `o${seq}`, userId: 'u', seq, entitlementFen: op.ent });
              ref.push({ ent: op.ent, rec: 0, seq, completed: false, closed: false });
            } else if (op.k === 'complete' && ref.length > 0) {
              const i = op.i % ref.length;
              markCompleted(book, book.entries[i]!);
              ref[i]!.completed = true;
            } else if (op.k === 'close' && ref.length > 0) {
              const i = op.i % ref.length;
              book.entries[i]!.status = 'cancelled';
              ref[i]!.closed = true;
            } else if (op.k === 'reverse' && ref.length > 0) {
              const i = op.i % ref.length;
              const r = ref[i]!;
              if (r.closed || r.rec === 0) continue;
              const back = Math.ceil(r.rec / 2);
              applyEntryUpdate(book, book.entries[i]!, {
                op: 'entry.update',
                entryKey: `q#${i}`,
                receivedDeltaFen: -back,
                status: 'waiting',
              });
              r.rec -= back;
            } else if (op.k === 'pay') {
              const before = Math.max(1, seq + 1 - op.back);
              const expected = naive(ref, rule, op.amount, before);
              const { allocations } = allocateContribution(
                op.amount,
                candidates(book, rule, before),
              );
              const got = allocations.map(
                (a) =>
                  [Number(a.candidate.entryKey.split('#')[1]), a.amountFen] as [number, number],
              );
              expect(got).toEqual(expected);
              for (const a of allocations) {
                const i = Number(a.candidate.entryKey.split('#')[1]);
                applyEntryUpdate(book, book.entries[i]!, {
                  op: 'entry.update',
                  entryKey: a.candidate.entryKey,
                  receivedDeltaFen: a.amountFen,
                  ...(a.filled ? { status: 'done' as const } : {}),
                });
                ref[i]!.rec += a.amountFen;
              }
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
