/**
 * Values loaded on demand and kept for `ttlMs`; `delete` drops one at once (an
 * invalidation), `clear` all. Concurrent gets of a missing key share one load. A load
 * that fails is not kept.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; at: number }>();

  constructor(
    private readonly ttlMs: number,
    /** Past this many keys the cache starts over (a crude bound; entries are cheap to reload). */
    private readonly maxKeys = 100_000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry !== undefined && now - entry.at < this.ttlMs) return entry.value;
    if (this.entries.size >= this.maxKeys) this.entries.clear();
    const value = load();
    const fresh = { value, at: now };
    this.entries.set(key, fresh);
    value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return value;
  }

  /** The value kept for `key`, if any and not expired; loads nothing. */
  peek(key: string): Promise<T> | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && Date.now() - entry.at < this.ttlMs ? entry.value : undefined;
  }

  /** Keeps `value` for `key` (loaded elsewhere, with others at once). */
  set(key: string, value: T): void {
    if (this.entries.size >= this.maxKeys) this.entries.clear();
    this.entries.set(key, { value: Promise.resolve(value), at: Date.now() });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
