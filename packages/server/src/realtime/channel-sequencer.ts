/**
 * Puts each channel's events back in seq order before they reach sockets.
 *
 * Storage commits a channel's events in seq order, but the commits' answers can reach
 * the process out of order (PostgreSQL answers on several pooled connections; with
 * several nodes, each publishes its own). So the receiving side holds an event whose
 * predecessor has not arrived yet, for at most `waitMs`. If the predecessor never comes
 * (it was published by a node that died, say), the held events go out anyway and
 * clients fetch the gap from the event log, as the protocol tells them to.
 */
export class ChannelSequencer<T> {
  private readonly channels = new Map<string, ChannelOrder<T>>();

  constructor(
    private readonly emit: (item: T) => void,
    private readonly waitMs = 250,
    private readonly idleMs = 60_000,
  ) {}

  push(cid: string, seq: number, item: T): void {
    const now = Date.now();
    let order = this.channels.get(cid);
    if (order === undefined) {
      // The first event seen for a channel sets the expectation.
      order = { next: seq, held: new Map(), timer: null, touched: now };
      this.channels.set(cid, order);
      if (this.channels.size % 1024 === 0) this.sweep(now);
    }
    order.touched = now;
    if (seq < order.next) {
      // Late (its successors were already released): deliver; clients drop duplicates.
      this.emit(item);
      return;
    }
    order.held.set(seq, item);
    this.release(order);
    if (order.held.size > 0 && order.timer === null) {
      order.timer = setTimeout(() => this.giveUp(order), this.waitMs);
      order.timer.unref();
    }
  }

  /** Drops what is known of a channel (it was deleted; a new one may reuse its cid). */
  forget(cid: string): void {
    const order = this.channels.get(cid);
    if (order?.timer) clearTimeout(order.timer);
    this.channels.delete(cid);
  }

  close(): void {
    for (const order of this.channels.values()) {
      if (order.timer !== null) clearTimeout(order.timer);
    }
    this.channels.clear();
  }

  private release(order: ChannelOrder<T>): void {
    let item = order.held.get(order.next);
    while (item !== undefined) {
      order.held.delete(order.next);
      order.next++;
      this.emit(item);
      item = order.held.get(order.next);
    }
    if (order.held.size === 0 && order.timer !== null) {
      clearTimeout(order.timer);
      order.timer = null;
    }
  }

  /** The missing events did not come: skip the gap and deliver what is held. */
  private giveUp(order: ChannelOrder<T>): void {
    order.timer = null;
    if (order.held.size === 0) return;
    order.next = Math.min(...order.held.keys());
    this.release(order);
    if (order.held.size > 0) {
      order.timer = setTimeout(() => this.giveUp(order), this.waitMs);
      order.timer.unref();
    }
  }

  private sweep(now: number): void {
    for (const [cid, order] of this.channels) {
      if (order.held.size === 0 && now - order.touched > this.idleMs) this.channels.delete(cid);
    }
  }
}

interface ChannelOrder<T> {
  /** The seq expected next. */
  next: number;
  held: Map<number, T>;
  timer: NodeJS.Timeout | null;
  touched: number;
}
