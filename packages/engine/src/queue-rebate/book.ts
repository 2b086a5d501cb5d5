import type { EntryStatus, EntryUpdateOp } from '../ledger/types.ts';
import { IntMinHeap } from './heap.ts';
import type { Candidate } from './plan.ts';

/** One entry of an in-memory queue. `idx` is its place in the queue (queue order). */
export interface BookEntry {
  key: string;
  idx: number;
  queueId: string;
  orderId: string;
  userId: string;
  /** Join sequence of the order; a contribution pays only entries with a smaller seq. */
  seq: number;
  entitlementFen: number;
  receivedFen: number;
  status: EntryStatus;
  /** The entry's own order is completed (for the completedFirst rule). */
  completed: boolean;
  inAll: boolean;
  inCompleted: boolean;
}

/**
 * An in-memory queue with O(log n) access to the next entry to pay, whatever the queue
 * length: a min-heap of open positions (and one of open positions whose order completed,
 * for completedFirst). Filled or closed entries are dropped lazily from the heap tops.
 */
export interface QueueBook {
  id: string;
  entries: BookEntry[];
  all: IntMinHeap;
  completed: IntMinHeap;
}

/** @example createQueueBook('product:P1').entries.length // 0 */
export function createQueueBook(id: string): QueueBook {
  return { id, entries: [], all: new IntMinHeap(), completed: new IntMinHeap() };
}

const isOpen = (e: BookEntry): boolean =>
  e.status === 'waiting' && e.receivedFen < e.entitlementFen;

/**
 * Append an entry at the back of the queue.
 *
 * @example joinQueue(book, { orderId: 'o1', userId: 'A', seq: 1, entitlementFen: 21840 }).key // 'product:P1#0'
 */
export function joinQueue(
  book: QueueBook,
  input: {
    orderId: string;
    userId: string;
    seq: number;
    entitlementFen: number;
    status?: EntryStatus;
    completed?: boolean;
  },
): BookEntry {
  const idx = book.entries.length;
  const entry: BookEntry = {
    key: `${book.id}#${idx}`,
    idx,
    queueId: book.id,
    orderId: input.orderId,
    userId: input.userId,
    seq: input.seq,
    entitlementFen: input.entitlementFen,
    receivedFen: 0,
    status: input.status ?? 'waiting',
    completed: input.completed ?? false,
    inAll: false,
    inCompleted: false,
  };
  book.entries.push(entry);
  track(book, entry);
  return entry;
}

/** Put an open entry (back) into the heaps it belongs to. */
function track(book: QueueBook, e: BookEntry): void {
  if (!isOpen(e)) return;
  if (!e.inAll) {
    book.all.push(e.idx);
    e.inAll = true;
  }
  if (e.completed && !e.inCompleted) {
    book.completed.push(e.idx);
    e.inCompleted = true;
  }
}

/** The entry's own order completed: completedFirst may now prefer it. */
export function markCompleted(book: QueueBook, e: BookEntry): void {
  e.completed = true;
  track(book, e);
}

function* fromHeap(
  book: QueueBook,
  heap: IntMinHeap,
  which: 'all' | 'completed',
  beforeSeq: number,
  skipCompleted: boolean,
): Generator<Candidate> {
  for (;;) {
    const idx = heap.peek();
    if (idx === undefined) return;
    const e = book.entries[idx];
    if (!e) return;
    // In the second pass of completedFirst, completed entries were offered in the first
    // pass already (their updates are not applied yet): never offer them twice.
    if (!isOpen(e) || (which === 'completed' ? !e.completed : skipCompleted && e.completed)) {
      heap.pop();
      if (which === 'all') e.inAll = false;
      else e.inCompleted = false;
      continue;
    }
    if (e.seq >= beforeSeq) return;
    yield {
      entryKey: e.key,
      userId: e.userId,
      orderId: e.orderId,
      needFen: e.entitlementFen - e.receivedFen,
    };
    // Asked for the next one: the consumer filled this entry; drop it from the heap now.
    heap.pop();
    if (which === 'all') e.inAll = false;
    else e.inCompleted = false;
  }
}

/**
 * Candidates in payout order for a contribution by an order with join seq `beforeSeq`:
 * fifo = strict queue order; completedFirst = entries whose order completed first (in
 * queue order), then the others. Lazy: costs only the entries actually reached.
 *
 * @example [...candidates(book, 'fifo', 5)].map((c) => c.entryKey)
 */
export function* candidates(
  book: QueueBook,
  rule: 'fifo' | 'completedFirst',
  beforeSeq: number,
): Generator<Candidate> {
  if (rule === 'completedFirst')
    yield* fromHeap(book, book.completed, 'completed', beforeSeq, false);
  yield* fromHeap(book, book.all, 'all', beforeSeq, rule === 'completedFirst');
}

/** Apply an `entry.update` from a plan to the in-memory entry (reopening it if needed). */
export function applyEntryUpdate(book: QueueBook, e: BookEntry, op: EntryUpdateOp): void {
  if (op.receivedDeltaFen) e.receivedFen += op.receivedDeltaFen;
  if (op.entitlementFen !== undefined) e.entitlementFen = op.entitlementFen;
  if (op.status) e.status = op.status;
  if (e.status === 'done' && e.receivedFen < e.entitlementFen) e.status = 'waiting';
  track(book, e);
}

/** Waiting entries, e.g. for clearing. O(n) — only for rare bulk jobs. */
export function waitingEntries(book: QueueBook): BookEntry[] {
  return book.entries.filter((e) => e.status === 'waiting');
}
