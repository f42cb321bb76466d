import type { ChannelEvent, Message } from '@parley/protocol';
import type { LocalMessage } from './message-list.js';
import { Thread, type ThreadHost } from './thread.js';

/** What a channel's threads need from it. */
export type ChannelThreadsHost = Omit<ThreadHost, 'pending' | 'closed'> & {
  /** The channel's own pending messages (replies shown in the channel among them). */
  windowPending(): readonly LocalMessage[];
};

/**
 * A channel's open threads, and the user's pending replies kept in their thread (which the
 * channel's own list does not show). The channel hands each applied event, optimistic
 * change and acknowledgement on; the threads pick what concerns them.
 */
export class ChannelThreads {
  private readonly open = new Set<Thread>();
  private replies: LocalMessage[] = [];

  constructor(private readonly host: ChannelThreadsHost) {}

  /** A new thread of `parentId`, followed until disposed. */
  thread(parentId: string): Thread {
    const thread = new Thread(
      {
        ...this.host,
        pending: (id) =>
          [...this.host.windowPending(), ...this.replies].filter((m) => m.parent_id === id),
        closed: (t) => this.open.delete(t),
      },
      parentId,
    );
    this.open.add(thread);
    return thread;
  }

  /** The message `id` as a pending reply kept in its thread, or in an open thread. */
  find(id: string): LocalMessage | undefined {
    const pending = this.replies.find((m) => m.id === id);
    if (pending !== undefined) return pending;
    for (const thread of this.open) {
      const found = thread.find(id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Shows a pending reply kept in its thread (or replaces the one with its id). */
  showPending(message: LocalMessage): void {
    this.replies = [...this.replies.filter((m) => m.id !== message.id), message];
    this.pendingChanged();
  }

  /** Changes the pending reply `id`, if there is one; null takes it out. */
  updatePending(id: string, update: (message: LocalMessage) => LocalMessage | null): void {
    if (!this.replies.some((m) => m.id === id)) return;
    this.replies = this.replies
      .map((m) => (m.id === id ? update(m) : m))
      .filter((m): m is LocalMessage => m !== null);
    this.pendingChanged();
  }

  /** Pending replies kept in their thread. */
  get pending(): readonly LocalMessage[] {
    return this.replies;
  }

  /** A channel event was applied. */
  apply(event: ChannelEvent): void {
    if (event.type === 'message.new') this.dropPending(event.message.id);
    for (const thread of this.open) thread.apply(event);
  }

  /** The message `id` is shown as `message` now. */
  show(id: string, message: LocalMessage | null): void {
    for (const thread of this.open) thread.show(id, message);
  }

  /** One of the user's messages was stored. */
  stored(message: Message): void {
    this.dropPending(message.id);
    for (const thread of this.open) thread.stored(message);
  }

  /** The channel's pending messages changed: threads show their replies among them. */
  pendingChanged(): void {
    for (const thread of this.open) thread.changed();
  }

  /** The session ended. */
  clear(): void {
    for (const thread of [...this.open]) thread.dispose();
  }

  private dropPending(id: string): void {
    if (this.replies.some((m) => m.id === id)) this.updatePending(id, () => null);
  }
}
