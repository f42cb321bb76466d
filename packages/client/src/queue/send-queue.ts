import { ChatError } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';
import { isAction, type QueuedItem, type QueuedSend, type QueueStore } from './queue-store.js';

/** What the send queue needs from the client. */
export interface SendQueueOptions {
  store: QueueStore;
  /** Sends one item over the connection; resolves with the stored (or changed) message. */
  send(item: QueuedItem): Promise<Message>;
  /** True while sends can go out. */
  canSend(): boolean;
  /** The connected user; items of another user wait. */
  userId(): string | null;
  /** How long to wait before resending after a temporary failure on a live connection. */
  retryDelay(attempt: number, error: ChatError): number;
  /** The server stored the item. */
  acked(item: QueuedItem, message: Message): void;
  /** The server refused the item for good; it left the queue. */
  failed(item: QueuedItem, error: ChatError): void;
  /** The store could not save; the items are still kept in memory. */
  storeFailed(error: unknown): void;
}

interface Waiter {
  resolve(message: Message): void;
  reject(error: ChatError): void;
}

/**
 * The offline queue: sends go out in order, one at a time, each resent with its id until
 * the server acknowledges it (the server stores an id once), and survive reloads in the
 * store. Only a permanent refusal takes an item out without an acknowledgement.
 */
export class SendQueue {
  private items: QueuedItem[] = [];
  /** Ids of items sent at least once: the server may have them, so they no longer change. */
  private readonly attempted = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  private flushing = false;
  private saved: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;

  constructor(private readonly options: SendQueueOptions) {}

  /** Items not yet acknowledged. */
  get size(): number {
    return this.items.length;
  }

  /** The queued messages of one channel, in send order. */
  itemsOf(cid: string): QueuedSend[] {
    return this.items.filter((item): item is QueuedSend => item.cid === cid && !isAction(item));
  }

  /** The first queued item that `matches` and is not on its way yet. */
  waiting<T extends QueuedItem>(matches: (item: QueuedItem) => item is T): T | undefined {
    return this.items.find((item): item is T => !this.attempted.has(item.id) && matches(item));
  }

  /**
   * Changes (or with null, removes) an item not on its way yet; false when there is no such
   * item. A removed item's callers get `removed`.
   */
  amend(id: string, change: (item: QueuedItem) => QueuedItem | null, removed?: ChatError): boolean {
    const at = this.items.findIndex((item) => item.id === id && !this.attempted.has(id));
    if (at < 0) return false;
    const next = change(this.items[at]!);
    this.items = this.items.slice();
    if (next === null) {
      this.items.splice(at, 1);
      if (removed !== undefined) this.settle(id, (w) => w.reject(removed));
    } else this.items[at] = next;
    this.persist();
    return true;
  }

  /** Adds what the store holds (after a reload); items already queued are kept once. */
  async load(): Promise<void> {
    const loaded = await this.options.store.load();
    for (const item of loaded) {
      if (this.has(item.id)) continue;
      this.items.push(item);
      // An earlier page may have sent it already: it stays as it is.
      this.attempted.add(item.id);
    }
  }

  /**
   * Queues an item and resolves with the stored message once acknowledged; an id already
   * queued is kept once, and the call waits for it.
   */
  enqueue(item: QueuedItem): Promise<Message> {
    if (!this.has(item.id)) {
      this.items.push(item);
      this.persist();
    }
    const done = new Promise<Message>((resolve, reject) => {
      const list = this.waiters.get(item.id) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(item.id, list);
    });
    this.flush();
    return done;
  }

  /** Sends what is queued, if it can; call again once connected. */
  flush(): void {
    if (this.flushing) {
      this.wake?.();
      return;
    }
    this.flushing = true;
    void this.run().finally(() => {
      this.flushing = false;
      // Connected again while the loop was on its way out.
      if (this.options.canSend() && this.next() !== undefined) this.flush();
    });
  }

  /**
   * The client stopped: waiting callers get `error`; the items stay in the queue (and
   * the store) for the next session.
   */
  stop(error: ChatError): void {
    this.wake?.();
    const waiters = [...this.waiters.values()].flat();
    this.waiters.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    for (;;) {
      const item = this.next();
      if (item === undefined || !this.options.canSend()) return;
      await this.saved; // stored before its first attempt, so a reload cannot lose it
      if (!this.options.canSend()) return;
      this.attempted.add(item.id);
      try {
        const message = await this.options.send(item);
        attempt = 0;
        this.remove(item);
        this.options.acked(item, message);
        this.settle(item.id, (w) => w.resolve(message));
      } catch (caught) {
        const error =
          caught instanceof ChatError ? caught : new ChatError('internal_error', String(caught));
        if (!error.retryable) {
          this.remove(item);
          this.options.failed(item, error);
          this.settle(item.id, (w) => w.reject(error));
        } else if (this.options.canSend()) {
          await this.sleep(this.options.retryDelay(attempt++, error));
        }
      }
    }
  }

  private next(): QueuedItem | undefined {
    const me = this.options.userId();
    return this.items.find((item) => item.userId === undefined || item.userId === me);
  }

  private has(id: string): boolean {
    return this.items.some((item) => item.id === id);
  }

  private remove(item: QueuedItem): void {
    this.attempted.delete(item.id);
    this.items = this.items.filter((i) => i !== item);
    this.persist();
  }

  private settle(id: string, done: (waiter: Waiter) => void): void {
    const list = this.waiters.get(id) ?? [];
    this.waiters.delete(id);
    for (const waiter of list) done(waiter);
  }

  /** Saves after the saves before it, so the store ends with the latest items. */
  private persist(): void {
    this.saved = this.saved
      .then(() => this.options.store.save(this.items.slice()))
      .catch((error: unknown) => this.options.storeFailed(error));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wake = wake;
    });
  }
}
