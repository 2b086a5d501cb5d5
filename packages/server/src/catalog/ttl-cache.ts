/**
 * Remembers answers for a moment, by key. Used for the shop's product list, which every
 * shopper opens and which changes rarely: at most one database round trip per page and
 * filter per `ttlMs`, however many shoppers ask. Concurrent misses for one key share
 * one load; a failed load is forgotten at once. Catalog writes in this process clear the
 * cache, so staff see their change immediately; other processes within `ttlMs`.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { expiresAt: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 2000,
    /** process time for expiry (this is not business time) */
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.nowMs();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    const entry = { expiresAt: now + this.ttlMs, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
