import { PAGE, type ChatError } from '@parley/protocol/codes';
import type {
  Channel as ChannelData,
  ChannelEvent,
  ChannelMember,
  ChannelState,
  GetOrCreateChannelResponse,
  MarkReadResponse,
  Message,
  ServerEvent,
  User,
  WatchResult,
} from '@parley/protocol';
import { checkInteger, invalid } from '../arguments.js';
import type { ChannelEventMap } from '../client-events.js';
import { Emitter, type Handler } from '../emitter.js';
import type { QueuedAction } from '../queue/queue-store.js';
import type { ChannelContext, ChannelOptions } from './channel-context.js';
import { ChannelMessages } from './channel-messages.js';
import { ChannelMessageMethods } from './channel-message-methods.js';
import { ChannelWatcher } from './channel-watcher.js';
import {
  applyChannelEvent,
  emptyChannelModel,
  fromServerState,
  snapshotOf,
  withMembers,
  applyNotification,
  withPresence,
  type ChannelModel,
  type ChannelStateSnapshot,
} from './channel-state.js';
import { ReadCoalescer, readFrame } from './read-coalescer.js';
import { TypingController } from './typing-controller.js';
import { TypingExpiry } from './typing-expiry.js';

/** One channel: its state, kept current from events, and what a user does in it. */
export class Channel extends ChannelMessageMethods {
  readonly type: string;
  private channelId: string | undefined;
  private record: ChannelData | null = null;
  private model: ChannelModel;
  /** The snapshot of `model`, made when asked for. */
  private snapshot: { of: ChannelModel; state: ChannelStateSnapshot } | null = null;
  private published: ChannelModel;
  private publishing = false;
  private readonly emitter = new Emitter<ChannelEventMap>();
  private readonly watcher: ChannelWatcher;
  private readonly typingOut: TypingController;
  private readonly typingIn: TypingExpiry;
  private readonly reads: ReadCoalescer;
  protected readonly messages: ChannelMessages;
  private disposed = false;

  /** Made by `client.channel()`. */
  constructor(
    private readonly ctx: ChannelContext,
    type: string,
    id: string | undefined,
    private readonly options: ChannelOptions,
  ) {
    super();
    this.type = type;
    this.channelId = id;
    this.model = this.published = emptyChannelModel(ctx.maxMessages);
    this.watcher = new ChannelWatcher({
      ctx,
      cid: () => this.cid,
      create: () => this.create(),
      watching: () => this.model.watching,
      answered: (result, full) => this.answered(result, full),
      apply: (event, live) => this.apply(event, live),
      stop: () => this.stopped(),
      disposed: () => this.disposed,
    });
    this.typingOut = new TypingController({
      send: (frameType) => void this.ctx.send({ type: frameType, cid: this.cid! }),
    });
    this.typingIn = new TypingExpiry((typing) => this.change({ ...this.model, typing }));
    this.reads = new ReadCoalescer(ctx.markReadDelayMs, () => this.sendRead());
    this.messages = new ChannelMessages({
      ctx,
      me: () => this.me(),
      cid: () => this.cid,
      create: () => this.create(),
      path: (suffix) => (this.channelId === undefined ? undefined : this.path(suffix)),
      model: () => this.model,
      change: (next) => this.change(next),
      follow: async () => {
        if (!this.watcher.active) await this.watch();
      },
      sending: () => this.typingOut.reset(),
    });
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
    if (this.snapshot?.of !== this.model) {
      this.snapshot = { of: this.model, state: snapshotOf(this.model) };
    }
    return this.snapshot.state;
  }

  /** The channel's members by user id (as `state.members`), e.g. for @mention suggestions. */
  get members(): Record<string, ChannelMember> {
    return this.model.members;
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
    return this.watcher.watch(options.messageLimit).then(() => this.state);
  }

  /** Stops receiving the channel's events. */
  async stopWatching(): Promise<void> {
    this.me();
    const cid = this.cid;
    if (cid === undefined || !this.model.watching) return;
    this.stopped();
    await this.ctx.request({ type: 'channel.unwatch', cid });
  }

  /** Marks the channel read: at once locally, on the server once per burst of calls. */
  markRead(): void {
    this.me();
    const { unreadCount: before, unreadMentions: mentions } = this.model;
    if (before > 0 || mentions > 0) {
      this.change({ ...this.model, unreadCount: 0, unreadMentions: 0 });
      this.ctx.unreadChanged(before, 0, -mentions);
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
      case 'message.updated':
      case 'message.deleted':
      case 'reaction.new':
      case 'reaction.deleted':
      case 'message.read':
      case 'member.added':
      case 'member.removed':
      case 'channel.updated':
        // Only a watching connection gets these; an unwatch may still have some on the way.
        if (this.watcher.active) this.watcher.push(event);
        return;
      case 'typing.start':
        if (event.user_id !== me) this.typingIn.start(event.user_id);
        break;
      case 'typing.stop':
        this.typingIn.stop(event.user_id);
        break;
      case 'notification.message_new':
        this.record = event.channel;
        this.change(applyNotification(this.model, event, me));
        this.messages.history.applied(event.message);
        break;
      case 'notification.mark_read':
      case 'notification.mention':
        this.change(applyNotification(this.model, event, me));
        break;
      case 'notification.added_to_channel':
        this.record = event.channel;
        break;
      case 'notification.removed_from_channel':
        this.stopped();
        break;
      case 'channel.deleted':
        this.stopped();
        this.watcher.deleted();
        break;
    }
    this.emitter.emit(event.type, event as never);
    this.emitter.emit('*', event);
  }

  /** @internal A member's presence changed. */
  presence(user: User): void {
    this.change(withPresence(this.model, user));
  }

  /** @internal The state from a REST answer (create, queryChannels); a watched channel keeps its own. */
  fill(server: ChannelState): void {
    this.adopt(server.channel);
    if (this.watcher.active) return;
    const pending = this.messages.sender.pending();
    const next = fromServerState(server, pending, false, this.model.capacity);
    this.change(this.messages.refilled(next));
  }

  /** @internal After a reconnect: watch again, then apply every event missed meanwhile. */
  resync(): Promise<void> {
    return this.watcher.resync();
  }

  /** @internal The server stored a queued message of this channel. */
  stored(message: Message): void {
    this.messages.stored(message);
  }

  /** @internal The server acknowledged a queued edit, delete, pin or reaction. */
  actionAcked(item: QueuedAction, message: Message): void {
    this.messages.actionAcked(item, message);
  }

  /** @internal The server refused a queued edit, delete, pin or reaction: it is rolled back. */
  actionRefused(item: QueuedAction): void {
    this.messages.actions.refused(item);
  }

  /** @internal The server refused a queued message of this channel for good. */
  refused(id: string, error: ChatError): void {
    this.messages.sender.refused(id, error);
  }

  /** @internal The session ended: timers stop, the channel stays as it was, inert. */
  dispose(): void {
    this.disposed = true;
    this.typingOut.reset();
    this.reads.cancel();
    this.stopped();
    this.messages.threads.clear();
  }

  /** A `channel.watch` answered: a first watch fills the state, a resync updates members. */
  private answered(result: WatchResult, full: boolean): void {
    this.adopt(result.channel);
    const pending = this.messages.sender.pending();
    this.change(
      full
        ? this.messages.refilled(fromServerState(result, pending, true, this.model.capacity))
        : withMembers(this.model, result.members, result.read),
    );
    this.typingIn.reset(result.typing.filter((id) => id !== this.ctx.userId()));
  }

  private apply(event: ChannelEvent, live: boolean): void {
    const { unreadCount: before, unreadMentions: mentions } = this.model;
    const next = applyChannelEvent(this.model, event, this.ctx.userId());
    this.change(this.messages.applied(event, next));
    this.messages.afterApplied(event);
    if (event.type === 'channel.updated') this.record = event.channel;
    if (event.type === 'member.removed') this.typingIn.stop(event.user_id);
    if (event.type === 'message.new' && event.message.user_id !== null) {
      this.typingIn.stop(event.message.user_id); // sending ends typing (docs/protocol.md)
    }
    if (!this.model.watching) this.typingIn.clear();
    if (live) {
      this.ctx.unreadChanged(before, this.model.unreadCount, this.model.unreadMentions - mentions);
    }
    this.emitter.emit(event.type, event as never);
    this.emitter.emit('*', event);
    this.ctx.emit(event);
  }

  private sendRead(): void {
    const frame = readFrame(this.model, this.cid, this.ctx.userId());
    if (frame === undefined) return;
    this.ctx.request<MarkReadResponse>(frame).then(
      (result) => this.ctx.readAnswered(result),
      (error: ChatError) => {
        if (!error.retryable) this.ctx.error(error);
      },
    );
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

  private stopped(): void {
    this.watcher.stopped();
    this.typingIn.clear();
    if (this.model.watching) this.messages.stopped();
    if (this.model.watching || this.model.typing.length > 0) {
      this.change({ ...this.model, watching: false, typing: [] });
    }
  }

  /** The current user's id; throws before `connectUser` and after the session ended. */
  protected me(): string {
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
  private change(next: ChannelModel): void {
    this.model = next;
    if (this.publishing) return;
    this.publishing = true;
    queueMicrotask(() => {
      this.publishing = false;
      if (this.model === this.published) return;
      this.published = this.model;
      this.emitter.emit('state.changed', this.state);
    });
  }
}
