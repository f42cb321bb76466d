import { PAGE } from '@parley/protocol/codes';
import type { ChannelEvent, GetMessagesResponse, Message, MessageResponse } from '@parley/protocol';
import { checkInteger } from '../arguments.js';
import { Emitter, type Handler } from '../emitter.js';
import type { RestClient } from '../rest/rest-client.js';
import type { SendMessageInput } from './channel-context.js';
import { messageChanges, quoteOf, withQuote } from './message-events.js';
import { sent, type LocalMessage } from './message-list.js';

/** What a thread shows. A new object on every change. */
export interface ThreadState {
  /** The message the thread replies to; undefined until loaded (or once deleted for good). */
  parent: LocalMessage | undefined;
  /** The loaded replies by seq, then pending ones in send order. */
  messages: LocalMessage[];
  /** True while a page is on its way. */
  loading: boolean;
  /** Older replies exist than those loaded. */
  hasOlder: boolean;
}

/** What a reply sends besides its text. */
export type ReplyInput = Omit<SendMessageInput, 'parentId'>;

/** What a thread needs from its channel. */
export interface ThreadHost {
  rest: RestClient;
  /** Throws before `connectUser` and after the session ended. */
  me(): string;
  /** The current user's id, or null. */
  userId(): string | null;
  /** Watches the channel unless it is watched: replies arrive as its events. */
  follow(): Promise<void>;
  /** The user's unsent replies to `parentId`. */
  pending(parentId: string): readonly LocalMessage[];
  /** The message as shown, with the user's changes still pending applied. */
  shown(message: LocalMessage): LocalMessage;
  send(input: SendMessageInput): Promise<LocalMessage>;
  closed(thread: Thread): void;
}

/**
 * One thread of a channel: its parent and replies, kept current from the channel's events
 * (replies, edits, deletes, reactions), so each applies once, in order, also after a
 * reconnect's catch-up. Made by `channel.thread(parentId)`.
 */
export class Thread {
  private parent: LocalMessage | undefined;
  private replies: LocalMessage[] = [];
  private loading = 0;
  private hasOlder = false;
  private snapshot: ThreadState | null = null;
  private readonly emitter = new Emitter<{ change: ThreadState }>();
  /** Events applied while pages are on their way, applied again to those pages. */
  private readonly recording = new Set<ChannelEvent[]>();
  private disposed = false;

  constructor(
    private readonly host: ThreadHost,
    readonly parentId: string,
  ) {}

  /** The current state; replaced on every change. */
  get state(): ThreadState {
    if (this.snapshot === null) {
      const ids = new Set(this.replies.map((m) => m.id));
      const pending = this.host.pending(this.parentId).filter((m) => !ids.has(m.id));
      this.snapshot = {
        parent: this.parent,
        messages: pending.length === 0 ? this.replies : [...this.replies, ...pending],
        loading: this.loading > 0,
        hasOlder: this.hasOlder,
      };
    }
    return this.snapshot;
  }

  /** Calls `handler` with the new state on every change; returns the unsubscribe. */
  on(type: 'change', handler: Handler<ThreadState>): () => void {
    return this.emitter.on(type, handler);
  }

  /** Loads the parent and the latest replies (and watches the channel, if it is not watched). */
  async load(limit: number = PAGE.messagesDefault): Promise<void> {
    this.host.me();
    checkInteger(limit, 'limit', 1, PAGE.messagesMax);
    await this.host.follow();
    const path = `/messages/${encodeURIComponent(this.parentId)}`;
    await this.fetch(
      () =>
        Promise.all([
          this.host.rest.call<MessageResponse>('GET', path),
          this.host.rest.call<GetMessagesResponse>('GET', `${path}/replies`, { limit }),
        ]),
      ([parent, page]) => {
        this.parent = this.host.shown(sent(parent.message));
        this.replies = merge(this.replies, page.messages);
        this.hasOlder = page.has_more_before;
      },
    );
  }

  /** Loads replies before the oldest loaded one. */
  async loadOlder(limit: number = PAGE.messagesDefault): Promise<void> {
    this.host.me();
    checkInteger(limit, 'limit', 1, PAGE.messagesMax);
    const oldest = this.replies[0];
    if (oldest === undefined) return this.load(limit);
    const path = `/messages/${encodeURIComponent(this.parentId)}/replies`;
    await this.fetch(
      () => this.host.rest.call<GetMessagesResponse>('GET', path, { limit, before: oldest.id }),
      (page) => {
        this.replies = merge(this.replies, page.messages);
        this.hasOlder = page.has_more_before;
      },
    );
  }

  /** Sends a reply: shown at once as `sending`, resolved once stored (see `channel.sendMessage`). */
  sendReply(input: ReplyInput): Promise<LocalMessage> {
    return this.host.send({ ...input, parentId: this.parentId });
  }

  /** Stops following the thread. */
  dispose(): void {
    this.disposed = true;
    this.emitter.clear();
    this.host.closed(this);
  }

  /** @internal A channel event was applied (in seq order, once). */
  apply(event: ChannelEvent): void {
    for (const list of this.recording) list.push(event);
    if (this.applyTo(event, this.host.userId())) this.changed();
  }

  /** @internal The parent or loaded reply `id`, if it is one. */
  find(id: string): LocalMessage | undefined {
    return this.parent?.id === id ? this.parent : this.replies.find((m) => m.id === id);
  }

  /** @internal The message `id` is shown as `message` now (an optimistic change, a rollback). */
  show(id: string, message: LocalMessage | null): void {
    if (this.parent?.id === id) {
      this.parent = message ?? undefined;
    } else {
      const at = this.replies.findIndex((m) => m.id === id);
      if (at < 0) return;
      this.replies = this.replies.slice();
      if (message === null) this.replies.splice(at, 1);
      else this.replies[at] = message;
    }
    this.changed();
  }

  /** @internal One of the user's replies was stored. */
  stored(message: Message): void {
    if (message.parent_id !== this.parentId) return;
    this.replies = merge(this.replies, [message]);
    this.changed();
  }

  /** @internal The user's pending replies changed. */
  changed(): void {
    this.snapshot = null;
    if (!this.disposed) this.emitter.emit('change', this.state);
  }

  /** Applies `event` to the parent and replies; true when something changed. */
  private applyTo(event: ChannelEvent, me: string | null): boolean {
    const before = [this.parent, this.replies] as const;
    if (event.type === 'message.new' && event.message.parent_id === this.parentId) {
      this.replies = merge(this.replies, [event.message]);
    }
    const changes = messageChanges(event, me);
    const quoted = quoteOf(event);
    if (changes.length === 0 && quoted === undefined) return this.replies !== before[1];
    const change = (held: LocalMessage): LocalMessage | null => {
      let next: LocalMessage | null = held;
      for (const c of changes) if (next !== null && c.id === held.id) next = c.change(next);
      if (next !== null && quoted !== undefined) next = withQuote(next, quoted);
      return next === held ? held : next === null ? null : this.host.shown(next);
    };
    if (this.parent !== undefined) this.parent = change(this.parent) ?? undefined;
    const replies = this.replies.map(change);
    if (replies.some((m, i) => m !== this.replies[i])) {
      this.replies = replies.filter((m): m is LocalMessage => m !== null);
    }
    return this.parent !== before[0] || this.replies !== before[1];
  }

  /**
   * Runs a page request and `use`s its answer; events applied meanwhile are applied again
   * after it (the page may have been read before them; applying one twice changes nothing).
   */
  private async fetch<T>(request: () => Promise<T>, use: (result: T) => void): Promise<void> {
    const recent: ChannelEvent[] = [];
    this.recording.add(recent);
    this.loading++;
    this.changed();
    try {
      const result = await request();
      if (this.disposed) return;
      use(result);
      for (const event of recent) this.applyTo(event, this.host.userId());
    } finally {
      this.loading--;
      this.recording.delete(recent);
      this.changed();
    }
  }
}

/** `held` and `page` by seq, each id once; a held message wins (it may be newer). */
function merge(held: readonly LocalMessage[], page: readonly Message[]): LocalMessage[] {
  const ids = new Set(held.map((m) => m.id));
  const added = page.filter((m) => !ids.has(m.id)).map(sent);
  if (added.length === 0) return held as LocalMessage[];
  return [...held, ...added].sort((a, b) => a.seq - b.seq);
}
