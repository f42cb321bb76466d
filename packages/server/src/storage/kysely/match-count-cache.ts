/** How long a term's count of index matches steers the plan before it is counted again. */
const COUNT_TTL_MS = 60_000;
/** Terms remembered per database, the least recently counted forgotten first. */
const MAX_TERMS = 1_000;

/**
 * Counts of a search term's index matches, remembered for a minute per database: counting
 * costs as much as the search it steers (~5 ms for a word in 1 % of a million messages),
 * and the same words come back (the next page, the next person). A count only chooses how
 * the matches are found, never which: a stale one can make a search slower, not wrong.
 * `T`: what is counted (a number; the sizes of a search's scope, search-scope.ts).
 */
export class MatchCountCache<T = number> {
  private readonly counts = new Map<string, { count: T; at: number }>();
  private readonly reading = new Map<string, Promise<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The count remembered for `term`, or undefined when none is fresh. */
  get(term: string): T | undefined {
    const entry = this.counts.get(term);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at < COUNT_TTL_MS) return entry.count;
    this.counts.delete(term);
    return undefined;
  }

  set(term: string, count: T): void {
    this.counts.delete(term);
    this.counts.set(term, { count, at: this.now() });
    if (this.counts.size > MAX_TERMS) this.counts.delete(this.counts.keys().next().value!);
  }

  /**
   * The count remembered for `term`, or `read`'s, remembered from now. Searches that need
   * the same count at once share one read (at a count's expiry, every search in flight for
   * its term asked again).
   */
  remember(term: string, read: () => Promise<T>): Promise<T> {
    const count = this.get(term);
    if (count !== undefined) return Promise.resolve(count);
    let reading = this.reading.get(term);
    if (reading === undefined) {
      reading = read()
        .then((counted) => {
          this.set(term, counted);
          return counted;
        })
        .finally(() => this.reading.delete(term));
      this.reading.set(term, reading);
    }
    return reading;
  }
}

/** A cache per database (one Kysely instance per storage), made at its first use. */
export function perDatabase<T = number>(): (db: object) => MatchCountCache<T> {
  const caches = new WeakMap<object, MatchCountCache<T>>();
  return (db) => {
    let cache = caches.get(db);
    if (cache === undefined) caches.set(db, (cache = new MatchCountCache<T>()));
    return cache;
  };
}
