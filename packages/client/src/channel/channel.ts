import { ChatError, PAGE } from '@parley/protocol/codes';
import type {
  Channel as ChannelData,
  ChannelEvent,
  ChannelState,
  GetEventsResponse,
  GetMessagesResponse,
  GetOrCreateChannelResponse,
  MarkReadResponse,
  Message,
  ServerEvent,
  User,
  WatchResult,
} from '@parley/protocol';
import { checkData, checkInteger, checkMessageId, checkText, invalid } from '../arguments.js';
import type { ChannelEventMap } from '../client-events.js';
import type { RequestFrame } from '../connection/request-tracker.js';
import { Emitter, type Handler } from '../emitter.js';
import { newMessageId } from '../message-id.js';
import type { QueuedSend } from '../queue/queue-store.js';
import type { ChannelContext, ChannelOptions, SendMessageInput } from './channel-context.js';
import {
  applyChannelEvent,
  emptyChannelState,
  fromServerState,
  withMembers,
  applyNotification,
  withPage,
  withPresence,
  type ChannelStateSnapshot,
} from './channel-state.js';
import { EventSequencer } from './event-sequencer.js';
import {
  lastStored,
  mergeStored,
  sent,
  updatePending,
  withPending,
  type LocalMessage,
} from './message-list.js';
import { pendingMessage, queuedFrom, withQueued } from './pending-message.js';
import { ReadCoalescer } from './read-coalescer.js';
import { TypingController } from './typing-controller.js';
import { TypingExpiry } from './typing-expiry.js';

/** One channel: its state, kept current from events, and what a user does in it. */
export class Channel {
  readonly type: string;
  private channelId: string | undefined;
  private record: ChannelData | null = null;
  private snapshot: ChannelStateSnapshot = emptyChannelState();
  private published = this.snapshot;
  private publishing = false;
  private readonly emitter = new Emitter<ChannelEventMap>();
  private readonly sequencer: EventSequencer;
  private readonly typingOut: TypingController;
  private readonly typingIn: TypingExpiry;
  private readonly reads: ReadCoalescer;
  private watching: Promise<ChannelStateSnapshot> | null = null;
  private disposed = false;
  /** A catch-up that failed for a temporary reason is tried again (see `catchUpFailed`). */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;

  /** Made by `client.channel()`. */
  constructor(
    private readonly ctx: ChannelContext,
    type: string,
    id: string | undefined,
    private readonly options: ChannelOptions,
  ) {
    this.type = type;
    this.channelId = id;
    this.sequencer = new EventSequencer({
      fetch: (sinceSeq) =>
        this.ctx.request<GetEventsResponse>({
          type: 'channel.events',
          cid: this.cid!,
          since_seq: sinceSeq,
          limit: PAGE.eventsMax,
        }),
      apply: (event, live) => this.apply(event, live),
      failed: (error) => this.catchUpFailed(error),
    });
    this.typingOut = new TypingController({
      send: (frameType) => void this.ctx.send({ type: frameType, cid: this.cid! }),
    });
    this.typingIn = new TypingExpiry((typing) => this.change({ ...this.snapshot, typing }));
    this.reads = new ReadCoalescer(ctx.markReadDelayMs, () => this.sendRead());
  }

  /** The channel id; undefined for a distinct channel until it is created or watched. */
  get id(): string | undefined {
    return this.channelId;
  }

  /** `type:id`; undefined for a distinct channel until it is created or watched. */
  get cid(): string | undefined {
    return this.channelId === undefined ? undefined : `${this.type}:${this.channelId}`;
  }

  /** The channel's custom data. */
  get data(): Record<string, unknown> {
    return this.record?.data ?? this.options.data ?? {};
  }

  /** The current state; replaced (never changed in place) on every change. */
  get state(): ChannelStateSnapshot {
    return this.snapshot;
  }

  /** Listens to the channel's events and `state.changed`; returns the unsubscribe. */
  on<K extends keyof ChannelEventMap>(type: K, handler: Handler<ChannelEventMap[K]>): () => void {
    return this.emitter.on(type, handler);
  }

  /** Gets or creates the channel on the server (with the members and data given). */
  async create(): Promise<void> {
    this.me();
    const body: Record<string, unknown> = {};
    if (this.options.members !== undefined) body.members = this.options.members;
    if (this.options.data !== undefined) body.data = this.options.data;
    const path = this.channelId === undefined ? `/channels/${this.type}` : this.path();
    this.fill(await this.ctx.rest.call<GetOrCreateChannelResponse>('POST', path, {}, body));
  }

  /** Starts receiving the channel's events (creating it if needed) and fills the state. */
  watch(options: { messageLimit?: number } = {}): Promise<ChannelStateSnapshot> {
    try {
      this.me();
      checkInteger(options.messageLimit, 'messageLimit', 0, PAGE.messagesMax);
    } catch (error) {
      return Promise.reject(error);
    }
    this.watching ??= this.startWatching(options.messageLimit).finally(
      () => (this.watching = null),
    );
    return this.watching;
  }

  /** Stops receiving the channel's events. */
  async stopWatching(): Promise<void> {
    this.me();
    const cid = this.cid;
    if (cid === undefined || !this.snapshot.watching) return;
    this.stopped();
    await this.ctx.request({ type: 'channel.unwatch', cid });
  }

  /**
   * Sends a message: shown at once as `sending`, queued (it survives disconnects), and
   * resolved once the server stored it. A permanent refusal marks it `failed` and rejects.
   */
  sendMessage(input: SendMessageInput): Promise<LocalMessage> {
    let item: QueuedSend;
    try {
      const me = this.me();
      if (typeof input !== 'object' || input === null) {
        throw invalid('sendMessage takes { text, data?, id? }');
      }
      const text = checkText(input.text);
      const data = checkData(input.data);
      const id = input.id === undefined ? newMessageId() : checkMessageId(input.id);
      if (this.cid === undefined) return this.create().then(() => this.sendMessage(input));
      item = { cid: this.cid, id, text, createdAt: Date.now(), userId: me };
      if (data !== undefined) item.data = data;
    } catch (error) {
      return Promise.reject(error);
    }
    this.typingOut.reset();
    const shown = this.snapshot.messages.find((m) => m.id === item.id);
    if (shown?.status === 'sent') return Promise.resolve(shown);
    this.change({
      ...this.snapshot,
      messages: withPending(this.snapshot.messages, pendingMessage(item, this.ctx.author())),
    });
    return this.queued(item);
  }

  /** Sends a `failed` message again, with the same id. */
  retry(messageId: string): Promise<LocalMessage> {
    let failed: LocalMessage | undefined;
    try {
      const me = this.me();
      failed = this.snapshot.messages.find((m) => m.id === messageId && m.status === 'failed');
      if (failed === undefined || this.cid === undefined) {
        throw invalid(`no failed message ${JSON.stringify(messageId)} in this channel`);
      }
      const again: LocalMessage = { ...failed, status: 'sending' };
      delete again.error;
      this.change({
        ...this.snapshot,
        messages: updatePending(this.snapshot.messages, messageId, () => again),
      });
      return this.queued(queuedFrom(failed, me));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Loads up to `limit` messages before the oldest loaded one. */
  loadOlder(limit: number = PAGE.messagesDefault): Promise<LocalMessage[]> {
    const oldest = this.snapshot.messages.find((m) => m.status === 'sent');
    return this.loadPage(limit, oldest === undefined ? {} : { before: oldest.id });
  }

  /** Loads up to `limit` messages after the newest loaded one. */
  loadNewer(limit: number = PAGE.messagesDefault): Promise<LocalMessage[]> {
    const newest = lastStored(this.snapshot.messages);
    return this.loadPage(limit, newest === undefined ? {} : { after: newest.id });
  }

  /** Marks the channel read: at once locally, on the server once per burst of calls. */
  markRead(): void {
    this.me();
    const before = this.snapshot.unreadCount;
    if (before > 0) {
      this.change({ ...this.snapshot, unreadCount: 0 });
      this.ctx.unreadChanged(before, 0);
    }
    this.reads.request();
  }

  /** The user typed: sends `typing.start` at most every 2 s, `typing.stop` 3 s after the last call. */
  keystroke(): void {
    this.me();
    if (this.cid !== undefined) this.typingOut.keystroke();
  }

  /** Sends `typing.stop` now, if typing. */
  stopTyping(): void {
    this.typingOut.stop();
  }

  /** @internal An event about this channel arrived. */
  receive(event: Extract<ServerEvent, { cid: string }>): void {
    const me = this.ctx.userId();
    switch (event.type) {
      case 'message.new':
      case 'message.read':
      case 'member.added':
      case 'member.removed':
      case 'channel.updated':
        // Only a watching connection gets these; an unwatch may still have some on the way.
        if (this.snapshot.watching || this.watching !== null) this.sequencer.push(event);
        return;
      case 'typing.start':
        if (event.user_id !== me) this.typingIn.start(event.user_id);
        break;
      case 'typing.stop':
        this.typingIn.stop(event.user_id);
        break;
      case 'notification.message_new':
        this.record = event.channel;
        this.change(applyNotification(this.snapshot, event, me));
        break;
      case 'notification.mark_read':
        this.change(applyNotification(this.snapshot, event, me));
        break;
      case 'notification.added_to_channel':
        this.record = event.channel;
        break;
      case 'notification.removed_from_channel':
        this.stopped();
        break;
      case 'channel.deleted':
        this.stopped();
        // A channel created again under this cid starts again at seq 1.
        this.sequencer.lastSeq = 0;
        break;
    }
    this.emitter.emit(event.type, event as never);
    this.emitter.emit('*', event);
  }

  /** @internal A member's presence changed. */
  presence(user: User): void {
    this.change(withPresence(this.snapshot, user));
  }

  /** @internal The state from a REST answer (create, queryChannels); a watched channel keeps its own. */
  fill(server: ChannelState): void {
    this.adopt(server.channel);
    if (this.snapshot.watching || this.watching !== null) return;
    this.change(fromServerState(server, this.pendingMessages(), false));
  }

  /** @internal After a reconnect: watch again, then apply every event missed meanwhile. */
  async resync(): Promise<void> {
    const cid = this.cid;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.snapshot.watching || cid === undefined || this.watching !== null) return;
    this.sequencer.hold();
    try {
      // No messages: what was missed comes from the event log, in order.
      const result = await this.ctx.request<WatchResult>({
        type: 'channel.watch',
        cid,
        message_limit: 0,
      });
      this.adopt(result.channel);
      this.change(withMembers(this.snapshot, result.members, result.read));
      this.typingIn.reset(result.typing.filter((id) => id !== this.ctx.userId()));
      const synced = this.sequencer.sync(true);
      this.sequencer.unhold();
      await synced;
      this.retries = 0;
    } catch (error) {
      this.sequencer.reset();
      this.catchUpFailed(error);
    }
  }

  /** @internal The server stored a queued message of this channel. */
  stored(message: Message): void {
    this.change({ ...this.snapshot, messages: mergeStored(this.snapshot.messages, [message]) });
  }

  /** @internal The server refused a queued message of this channel for good. */
  refused(id: string, error: ChatError): void {
    this.change({
      ...this.snapshot,
      messages: updatePending(this.snapshot.messages, id, (m) => ({
        ...m,
        status: 'failed',
        error,
      })),
    });
  }

  /** @internal The session ended: timers stop, the channel stays as it was, inert. */
  dispose(): void {
    this.disposed = true;
    this.typingOut.reset();
    this.reads.cancel();
    this.stopped();
  }

  private async startWatching(messageLimit: number | undefined): Promise<ChannelStateSnapshot> {
    if (this.channelId === undefined) await this.create();
    this.sequencer.hold();
    try {
      const result = await this.requestWatch(messageLimit).catch(async (error: unknown) => {
        if (!(error instanceof ChatError && error.code === 'channel_not_found')) throw error;
        await this.create();
        return this.requestWatch(messageLimit);
      });
      this.adopt(result.channel);
      this.change(fromServerState(result, this.pendingMessages(), true));
      this.typingIn.reset(result.typing.filter((id) => id !== this.ctx.userId()));
      this.sequencer.lastSeq = result.channel.last_seq;
    } catch (error) {
      this.sequencer.reset();
      throw error;
    }
    const synced = this.sequencer.sync(false);
    this.sequencer.unhold();
    // Watching worked; a gap that cannot be fetched now is tried again.
    await synced.catch((error: unknown) => this.catchUpFailed(error));
    return this.snapshot;
  }

  private requestWatch(messageLimit: number | undefined): Promise<WatchResult> {
    const frame: RequestFrame = { type: 'channel.watch', cid: this.cid! };
    if (messageLimit !== undefined) frame.message_limit = messageLimit;
    return this.ctx.request<WatchResult>(frame);
  }

  private apply(event: ChannelEvent, live: boolean): void {
    const before = this.snapshot.unreadCount;
    this.change(applyChannelEvent(this.snapshot, event, this.ctx.userId()));
    if (event.type === 'channel.updated') this.record = event.channel;
    if (event.type === 'member.removed') this.typingIn.stop(event.user_id);
    if (event.type === 'message.new' && event.message.user_id !== null) {
      this.typingIn.stop(event.message.user_id); // sending ends typing (docs/protocol.md)
    }
    if (!this.snapshot.watching) this.typingIn.clear();
    if (live) this.ctx.unreadChanged(before, this.snapshot.unreadCount);
    this.emitter.emit(event.type, event as never);
    this.emitter.emit('*', event);
    this.ctx.emit(event);
  }

  private async loadPage(
    limit: number,
    cursor: { before?: string; after?: string },
  ): Promise<LocalMessage[]> {
    this.me();
    checkInteger(limit, 'limit', 1, PAGE.messagesMax);
    if (this.channelId === undefined) throw invalid('create or watch the channel first');
    const query = { limit, ...cursor };
    const page = await this.ctx.rest.call<GetMessagesResponse>(
      'GET',
      this.path('/messages'),
      query,
    );
    this.change(withPage(this.snapshot, page, cursor));
    return page.messages.map(sent);
  }

  private sendRead(): void {
    const cid = this.cid;
    const me = this.ctx.userId();
    if (cid === undefined || me === null) return;
    const last = lastStored(this.snapshot.messages);
    const frame: RequestFrame = { type: 'channel.read', cid };
    if (this.snapshot.watching) {
      // A watched channel has every message: read up to the last one shown, if not yet.
      const mine = this.snapshot.read[me];
      if (last === undefined || (mine !== undefined && mine.last_read_seq >= last.seq)) return;
      frame.message_id = last.id;
    }
    this.ctx.request<MarkReadResponse>(frame).then(
      (result) => this.ctx.readAnswered(result),
      (error: ChatError) => {
        if (!error.retryable) this.ctx.error(error);
      },
    );
  }

  private queued(item: QueuedSend): Promise<LocalMessage> {
    return this.ctx.queue
      .enqueue(item)
      .then(
        (message) =>
          this.snapshot.messages.find((m) => m.id === message.id && m.status === 'sent') ??
          sent(message),
      );
  }

  /** Pending messages shown now, plus queued ones (e.g. loaded after a reload) not shown yet. */
  private pendingMessages(): LocalMessage[] {
    const list = this.snapshot.messages.filter((m) => m.status !== 'sent');
    const queued = this.cid === undefined ? [] : this.ctx.queue.itemsOf(this.cid);
    return withQueued(list, queued, this.ctx.author());
  }

  /** The channel's REST path. */
  private path(suffix = ''): string {
    return `/channels/${this.type}/${encodeURIComponent(this.channelId!)}${suffix}`;
  }

  private adopt(data: ChannelData): void {
    this.record = data;
    if (this.channelId === undefined) {
      this.channelId = data.id;
      this.ctx.bind(this);
    }
  }

  /**
   * Catching up failed. Removed or deleted meanwhile: stop. A temporary failure (a late
   * answer, say) on a live link is tried again after a backoff, since no new event may come
   * to reveal the gap; after a lost link, the reconnect tries again.
   */
  private catchUpFailed(error: unknown): void {
    if (error instanceof ChatError && !error.retryable) {
      this.stopped();
      this.ctx.error(error);
      return;
    }
    if (this.disposed || !this.ctx.connected() || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => void this.resync(), this.ctx.retryDelay(this.retries++));
  }

  private stopped(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.sequencer.reset();
    this.typingIn.clear();
    if (this.snapshot.watching || this.snapshot.typing.length > 0) {
      this.change({ ...this.snapshot, watching: false, typing: [] });
    }
  }

  /** The current user's id; throws before `connectUser` and after the session ended. */
  private me(): string {
    const me = this.disposed ? null : this.ctx.userId();
    if (me === null) {
      throw invalid(
        this.disposed
          ? 'this channel belongs to an ended session: get it again with client.channel()'
          : 'call connectUser first',
      );
    }
    return me;
  }

  /** Replaces the state; `state.changed` follows once per burst of changes. */
  private change(next: ChannelStateSnapshot): void {
    this.snapshot = next;
    if (this.publishing) return;
    this.publishing = true;
    queueMicrotask(() => {
      this.publishing = false;
      if (this.snapshot === this.published) return;
      this.published = this.snapshot;
      this.emitter.emit('state.changed', this.snapshot);
    });
  }
}
