/**
 * Items (connections) handed to whoever waits for one, one at a time, in the order they
 * asked: a freed item goes straight to the next waiter and wakes no other. Kysely's SQLite
 * driver guards its one connection with a lock whose release wakes every waiter, each to
 * find it taken again but one: with many queries queued (a burst of 1,000 users' reads and
 * sends) every statement woke all of them, a fifth of the event loop's longest busy spells.
 */
export class HandOff<T> {
  private readonly waiting: ((item: T) => void)[] = [];

  constructor(private readonly idle: T[]) {}

  /** An idle item, or the next one given back once those who asked before have theirs. */
  take(): Promise<T> {
    if (this.idle.length > 0) return Promise.resolve(this.idle.pop()!);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives an item back: to the longest waiter, else to the idle ones. */
  give(item: T): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(item);
    else this.idle.push(item);
  }
}
