/** Time-ordered job queue of the simulator: earliest first, then in scheduling order. */
export type Job =
  | { kind: 'settle'; orderId: string }
  | { kind: 'clearing' }
  | { kind: 'poolDay' }
  | { kind: 'expireLot'; userId: string; lotId: string };

interface Item {
  atMs: number;
  n: number;
  job: Job;
}

export class JobQueue {
  private heap: Item[] = [];
  private counter = 0;

  schedule(atMs: number, job: Job): void {
    const item = { atMs, n: this.counter++, job };
    const a = this.heap;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p] as Item;
      if (!less(item, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = item;
  }

  /** Remove and return the earliest job due at or before `nowMs`. */
  popDue(nowMs: number): { atMs: number; job: Job } | undefined {
    const a = this.heap;
    const top = a[0];
    if (!top || top.atMs > nowMs) return undefined;
    const last = a.pop() as Item;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && less(a[r] as Item, a[l] as Item) ? r : l;
        if (!less(a[c] as Item, last)) break;
        a[i] = a[c] as Item;
        i = c;
      }
      a[i] = last;
    }
    return { atMs: top.atMs, job: top.job };
  }
}

function less(a: Item, b: Item): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.n < b.n);
}
