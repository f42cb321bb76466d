import type { Message } from '@parley/protocol';
import { sent, type LocalMessage } from './message-list.js';

/**
 * Stored messages shared by a line of windows. A window may append to it in place only
 * where it ends (then no other window sees the new item), so items below `items.length`
 * never change and every id in `at` keeps its index.
 */
interface Backing {
  readonly items: LocalMessage[];
  readonly at: Map<string, number>;
}

/** Past this many dead items at the front, and half the backing, the backing is copied. */
const COMPACT_AFTER = 256;

/**
 * The messages a channel holds: a run of stored messages without holes, in seq order, then
 * the pending ones (sending, failed, or acknowledged but not applied yet). Immutable: each
 * change returns a new window, and a window never changes afterwards, so a snapshot that
 * holds one stays as it was. The usual change — a new message after the newest — costs
 * O(1): windows made one from the other share one backing array, and dropping the oldest is
 * a move of the start (the backing is compacted now and then, amortised O(1)). Merging a
 * page or a message out of seq order copies: O(size), once per page.
 */
export class MessageWindow {
  private array: LocalMessage[] | undefined;

  private constructor(
    private readonly backing: Backing,
    private readonly from: number,
    private readonly to: number,
    /** Messages not applied from the channel's events yet, after the stored ones. */
    readonly pending: readonly LocalMessage[],
  ) {}

  /** A window of `stored` (in seq order, unique ids) and `pending`. */
  static of(stored: readonly LocalMessage[] = [], pending: readonly LocalMessage[] = []) {
    const items = stored.slice();
    const at = new Map(items.map((m, i) => [m.id, i]));
    return new MessageWindow({ items, at }, 0, items.length, pending);
  }

  /** Stored messages held. */
  get size(): number {
    return this.to - this.from;
  }

  get oldest(): LocalMessage | undefined {
    return this.size === 0 ? undefined : this.backing.items[this.from];
  }

  get newest(): LocalMessage | undefined {
    return this.size === 0 ? undefined : this.backing.items[this.to - 1];
  }

  /** The stored message `id`, if held. */
  get(id: string): LocalMessage | undefined {
    const i = this.backing.at.get(id);
    return i !== undefined && i >= this.from && i < this.to ? this.backing.items[i] : undefined;
  }

  /** The message `id`, stored or pending, if held. */
  find(id: string): LocalMessage | undefined {
    return this.get(id) ?? this.pending.find((m) => m.id === id);
  }

  /** True when `message` would come after the newest stored one (so it is not stored here). */
  after(message: Pick<Message, 'seq'>): boolean {
    return this.to === this.from || message.seq > this.backing.items[this.to - 1]!.seq;
  }

  /** Stored messages newer than `seq` that `counts`, looked for from the newest. */
  countNewer(seq: number, counts: (message: LocalMessage) => boolean): number {
    let n = 0;
    for (let i = this.to - 1; i >= this.from && this.backing.items[i]!.seq > seq; i--) {
      if (counts(this.backing.items[i]!)) n++;
    }
    return n;
  }

  /** Stored messages by seq, then pending ones: made on first call, then the same array. */
  toArray(): LocalMessage[] {
    if (this.array === undefined) {
      // slice and push: concat copies the large part a second time.
      this.array = this.backing.items.slice(this.from, this.to);
      for (const message of this.pending) this.array.push(message);
    }
    return this.array;
  }

  /**
   * Adds stored messages, each once by id, in seq order; a pending copy of one is replaced.
   * Acknowledged pending messages older than one added are applied with them.
   */
  add(messages: readonly Message[]): MessageWindow {
    if (messages.length === 0) return this;
    if (messages.length === 1 && this.pending.length === 0) {
      // The usual change, a new message after the newest: no lists, no sets.
      const [message] = messages as [Message];
      if (this.after(message) && !this.backing.at.has(message.id)) {
        return this.append(sent(message));
      }
    }
    const incoming = messages.map(sent);
    const top = Math.max(...incoming.map((m) => m.seq));
    const acked = this.pending.filter((m) => m.status === 'sent' && m.seq < top);
    const ids = new Set(incoming.map((m) => m.id));
    const pending = this.pending.filter((m) => !ids.has(m.id) && !acked.includes(m));
    const all = acked.length === 0 ? incoming : incoming.concat(acked);
    if (all.length > 1) all.sort((a, b) => a.seq - b.seq);
    let window: MessageWindow =
      pending.length === this.pending.length
        ? this
        : new MessageWindow(this.backing, this.from, this.to, pending);
    const late = new Map<string, LocalMessage>();
    for (const message of all) {
      if (window.get(message.id) !== undefined) continue;
      const newest = window.newest;
      // An id the backing had before (dropped since) would get a second index: copy instead.
      if (
        (newest === undefined || message.seq > newest.seq) &&
        !window.backing.at.has(message.id)
      ) {
        window = window.append(message);
      } else {
        late.set(message.id, message);
      }
    }
    return late.size === 0 ? window : window.merged([...late.values()]);
  }

  /** Keeps the newest `count` stored messages. */
  keepNewest(count: number): MessageWindow {
    if (count >= this.size) return this;
    const from = this.to - count;
    const window = new MessageWindow(this.backing, from, this.to, this.pending);
    return from > COMPACT_AFTER && from * 2 > this.backing.items.length ? window.copied() : window;
  }

  /** Keeps the oldest `count` stored messages. */
  keepOldest(count: number): MessageWindow {
    if (count >= this.size) return this;
    // A copy: the shared backing may grow past this window's end only from its end.
    return MessageWindow.of(this.stored().slice(0, count), this.pending);
  }

  /** The same stored messages with `stored` instead (a later page of the same history). */
  replaceStored(stored: readonly Message[]): MessageWindow {
    return MessageWindow.of([], this.pending).add(stored);
  }

  /** Adds a pending message, or replaces the one with its id (moved to the end). */
  withPendingMessage(message: LocalMessage): MessageWindow {
    if (this.get(message.id) !== undefined) return this;
    const others = this.pending.filter((m) => m.id !== message.id);
    return new MessageWindow(this.backing, this.from, this.to, [...others, message]);
  }

  /** Changes the pending message `id`, if there is one. */
  updatePending(id: string, update: (message: LocalMessage) => LocalMessage): MessageWindow {
    const pending = this.pending.map((m) => (m.id === id ? update(m) : m));
    return new MessageWindow(this.backing, this.from, this.to, pending);
  }

  /**
   * Changes the message `id`, stored or pending; the window is returned as it was when it
   * holds no such message. A stored one costs a copy of the window (an edit or a reaction
   * is rarer than a new message, and the window is bounded).
   */
  update(id: string, change: (message: LocalMessage) => LocalMessage): MessageWindow {
    if (this.get(id) === undefined) {
      return this.pending.some((m) => m.id === id) ? this.updatePending(id, change) : this;
    }
    const stored = this.stored().map((m) => (m.id === id ? change(m) : m));
    return MessageWindow.of(stored, this.pending);
  }

  /** `update`, or `remove` when `change` returns null. */
  change(id: string, change: (message: LocalMessage) => LocalMessage | null): MessageWindow {
    const held = this.find(id);
    if (held === undefined) return this;
    const next = change(held);
    return next === null ? this.remove(id) : next === held ? this : this.update(id, () => next);
  }

  /** Every message through `change`; the same window when none changes. O(size). */
  map(change: (message: LocalMessage) => LocalMessage): MessageWindow {
    let changed = false;
    const each = (m: LocalMessage) => {
      const next = change(m);
      if (next !== m) changed = true;
      return next;
    };
    const stored = this.stored().map(each);
    const pending = this.pending.map(each);
    return changed ? MessageWindow.of(stored, pending) : this;
  }

  /** Without the stored or pending message `id` (it was deleted for good). */
  remove(id: string): MessageWindow {
    if (this.get(id) === undefined) return this.withoutPending([{ id }]);
    return MessageWindow.of(
      this.stored().filter((m) => m.id !== id),
      this.pending,
    );
  }

  /** Without the pending copies of `messages`. */
  withoutPending(messages: readonly Pick<Message, 'id'>[]): MessageWindow {
    if (this.pending.length === 0) return this;
    const ids = new Set(messages.map((m) => m.id));
    const pending = this.pending.filter((m) => !ids.has(m.id));
    if (pending.length === this.pending.length) return this;
    return new MessageWindow(this.backing, this.from, this.to, pending);
  }

  /** The stored messages, oldest first (a copy). */
  private stored(): LocalMessage[] {
    return this.backing.items.slice(this.from, this.to);
  }

  private append(message: LocalMessage): MessageWindow {
    // In place only where the backing ends: a window behind it would see the new item.
    const window = this.to === this.backing.items.length ? this : this.copied();
    window.backing.items.push(message);
    window.backing.at.set(message.id, window.to);
    return new MessageWindow(window.backing, window.from, window.to + 1, window.pending);
  }

  /** `messages` (in seq order) merged in by seq, into a new backing. */
  private merged(messages: readonly LocalMessage[]): MessageWindow {
    const oldest = this.oldest;
    // An older page, the usual case here, goes before without a sort.
    if (oldest === undefined || messages[messages.length - 1]!.seq < oldest.seq) {
      return MessageWindow.of(messages.concat(this.stored()), this.pending);
    }
    const all = this.stored().concat(messages);
    all.sort((a, b) => a.seq - b.seq);
    return MessageWindow.of(all, this.pending);
  }

  private copied(): MessageWindow {
    return MessageWindow.of(this.stored(), this.pending);
  }
}
