/**
 * A lock handed to its waiters one at a time, in the order they asked. Kysely's SQLite
 * driver guards its one connection with a lock whose release wakes every waiter, each to
 * find it taken again but one: with many queries queued (a burst of 1,000 users' reads
 * and sends), every statement woke all of them, and the wake-ups took a fifth of the
 * event loop's longest busy spells. Here a release wakes only the next.
 */
export class FifoLock {
  private held = false;
  private readonly waiting: ((() => void) | undefined)[] = [];
  private next = 0;

  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    const resume = this.waiting[this.next];
    if (resume === undefined) {
      this.held = false;
      this.waiting.length = 0;
      this.next = 0;
      return;
    }
    // Handed over: it stays held. The queue is emptied whenever it drains.
    this.waiting[this.next++] = undefined;
    resume();
  }
}
