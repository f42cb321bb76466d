import { ChatError, PAGE } from '@parley/protocol/codes';
import type {
  Message,
  MessageResponse,
  QueryChannelsResponse,
  ServerEvent,
  User,
} from '@parley/protocol';
import {
  checkChannelType,
  checkInteger,
  checkMessageId,
  checkUserId,
  invalid,
} from './arguments.js';
import type { Channel } from './channel/channel.js';
import type { ChannelContext, ChannelOptions } from './channel/channel-context.js';
import { ChannelRegistry } from './channel/channel-registry.js';
import type { ClientEventMap, ConnectionInfo, UnreadCounts } from './client-events.js';
import { resolveOptions, type ChatClientOptions, type ResolvedOptions } from './client-options.js';
import { backoffDelay } from './connection/backoff.js';
import { Connection } from './connection/connection.js';
import type { ConnectionChangedEvent, ConnectionState } from './connection/connection-state.js';
import { Emitter, type Handler } from './emitter.js';
import { isAction, type QueuedSend } from './queue/queue-store.js';
import { SendQueue } from './queue/send-queue.js';
import { RestClient } from './rest/rest-client.js';
import { search, type SearchOptions, type SearchPage } from './search.js';
import { placeholderUser } from './placeholder-user.js';
import { TokenSource, type TokenProvider } from './token-source.js';
import { UnreadCounter } from './unread-counter.js';

/** What `queryChannels` takes. */
export interface QueryChannelsOptions {
  /** Only channels of this type. */
  type?: string;
  /** Channels per page, 1–100. Default 20. */
  limit?: number;
  /** Latest messages per channel, 0–200. Default 1. */
  messageLimit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * A Parley client: one WebSocket per session, reconnects and recovers by itself, queues
 * sends while offline, and keeps each channel's state current.
 */
export class ChatClient {
  /** The connected user, from `connection.ok`; null before and after a session. */
  user: User | null = null;
  private readonly options: ResolvedOptions;
  private readonly emitter = new Emitter<ClientEventMap>();
  private readonly connection: Connection;
  private readonly rest: RestClient;
  private readonly queue: SendQueue;
  private readonly channels: ChannelRegistry;
  private readonly unreadCounter = new UnreadCounter((counts) =>
    this.emitter.emit('unread.changed', counts),
  );
  private userId: string | null = null;
  private tokens: TokenSource | null = null;
  private connecting: {
    resolve(info: ConnectionInfo): void;
    reject(error: ChatError): void;
  } | null = null;
  private connectedBefore = false;
  /** The last `queryChannels` and how many channels it loaded, re-run after a reconnect. */
  private lastQuery: { type?: string; messageLimit?: number; loaded: number } | null = null;

  constructor(options: ChatClientOptions) {
    const o = (this.options = resolveOptions(options));
    this.rest = new RestClient({
      baseUrl: o.baseUrl,
      apiKey: o.apiKey,
      fetch: o.fetch,
      timeoutMs: o.requestTimeoutMs,
      tokens: () => this.tokens,
    });
    this.connection = new Connection(
      { ...o, url: o.socketUrl },
      {
        ok: (frame) => {
          this.user = frame.user;
          const { unread } = frame;
          // `?? 0`: a server from before mentions sends none.
          this.unreadCounter.set(
            unread.total_unread_count,
            unread.unread_channels,
            unread.total_unread_mentions ?? 0,
          );
          this.connecting?.resolve({
            connectionId: frame.connection_id,
            user: frame.user,
            unread: frame.unread,
          });
          this.connecting = null;
        },
        state: (event) => this.stateChanged(event),
        event: (event) => this.route(event),
        error: (error) => this.emitter.emit('error', error),
      },
    );
    this.queue = new SendQueue({
      store: o.queueStore,
      send: async (item) => {
        const frame = isAction(item)
          ? item.frame
          : { type: 'message.send', cid: item.cid, message: messageOf(item) };
        return (await this.connection.request<{ message: Message }>(frame)).message;
      },
      canSend: () => this.connection.state === 'connected',
      userId: () => this.userId,
      retryDelay: (attempt, error) =>
        Number(error.details?.retry_after_ms) || backoffDelay(attempt, o.backoff),
      acked: (item, message) => {
        const channel = this.channels.get(item.cid);
        if (isAction(item)) channel?.actionAcked(item, message);
        else channel?.stored(message);
      },
      failed: (item, error) => {
        const channel = this.channels.get(item.cid);
        // Sent from an earlier page: no channel shows it and no caller waits for it.
        if (channel === undefined) this.emitter.emit('error', error);
        else if (isAction(item)) channel.actionRefused(item);
        else channel.refused(item.id, error);
      },
      storeFailed: (error) => this.storeFailed(error),
    });
    const context: ChannelContext = {
      userId: () => this.userId,
      author: () => this.user ?? placeholderUser(this.userId ?? ''),
      request: (frame) => this.connection.request(frame),
      send: (frame) => this.connection.send(frame),
      connected: () => this.connection.state === 'connected',
      retryDelay: (attempt) => backoffDelay(attempt, o.backoff),
      rest: this.rest,
      queue: this.queue,
      markReadDelayMs: o.markReadDelayMs,
      maxMessages: o.maxMessages,
      bind: (channel) => this.channels.bind(channel),
      unreadChanged: (before, after, mentions) =>
        this.unreadCounter.channelChanged(before, after, mentions),
      readAnswered: ({ total_unread_count: total, unread_channels: channels }) =>
        // docs/protocol.md leaves unread_channels out of mark-read results; the server sends it.
        this.unreadCounter.set(total, channels ?? this.unreadCounter.counts.unread_channels),
      emit: (event) => this.emitEvent(event),
      error: (error) => this.emitter.emit('error', error),
    };
    this.channels = new ChannelRegistry(context, () => this.userId);
  }

  /** Where the connection is. */
  get state(): ConnectionState {
    return this.connection.state;
  }

  /** The user's unread totals, kept current. */
  get unread(): UnreadCounts {
    return this.unreadCounter.counts;
  }

  /** Sends queued and not yet acknowledged. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /** Listens to server events, `connection.*`, `unread.changed`, `error` or `'*'`; returns the unsubscribe. */
  on<K extends keyof ClientEventMap>(type: K, handler: Handler<ClientEventMap[K]>): () => void {
    return this.emitter.on(type, handler);
  }

  /**
   * Connects as `user` and resolves on the first `connection.ok`. Rejects, and stays
   * `disconnected`, when the server refuses the token for good. With a provider, an
   * expired token is replaced by asking it again.
   */
  async connectUser(user: { id: string }, token: string | TokenProvider): Promise<ConnectionInfo> {
    if (typeof user !== 'object' || user === null) throw invalid('user must be { id }');
    const id = checkUserId(user.id);
    if (!(typeof token === 'function' || (typeof token === 'string' && token !== ''))) {
      throw invalid('token must be a token string or a function that resolves to one');
    }
    if (this.state !== 'idle' && this.state !== 'disconnected') {
      throw invalid('already connected: call disconnect() first');
    }
    if (this.options.WebSocket === undefined) {
      throw invalid('no WebSocket here: pass the WebSocket option (in Node, `ws`)');
    }
    const tokens = (this.tokens = new TokenSource(token));
    this.userId = id;
    this.connectedBefore = false;
    const connected = new Promise<ConnectionInfo>((resolve, reject) => {
      this.connecting = { resolve, reject };
    });
    // Queued sends from an earlier session (or page) show and go out with this one.
    await this.queue.load().catch((error: unknown) => this.storeFailed(error));
    if (this.tokens === tokens) this.connection.start(tokens); // unless disconnect() came first
    return connected;
  }

  /**
   * Ends the session: closes the socket with 1000, stops every timer and listener, and
   * rejects what is pending. Queued sends stay in the queue store for the next session.
   */
  async disconnect(): Promise<void> {
    this.connecting?.reject(new ChatError('network_error', 'the client disconnected'));
    this.endSession(new ChatError('network_error', 'the client disconnected; it stays queued'));
    await this.connection.stop();
  }

  /**
   * Tries to reconnect now instead of at the end of the current backoff wait (a "Retry"
   * button). Does nothing unless the client is `reconnecting` between attempts, or
   * `offline` (then it tries even though the browser says the network is down).
   */
  reconnectNow(): void {
    this.connection.tryNow();
  }

  /** The channel `type:id` (the same instance for the same cid). */
  channel(type: string, id: string, options?: ChannelOptions): Channel;
  /** The distinct channel of `members` (a DM when two): its id is known after `watch()` or `create()`. */
  channel(type: string, options: ChannelOptions & { members: string[] }): Channel;
  channel(type: string, idOrOptions: string | ChannelOptions, options: ChannelOptions = {}) {
    checkChannelType(type);
    return typeof idOrOptions === 'string'
      ? this.channels.withId(type, idOrOptions, options)
      : this.channels.withMembers(type, idOrOptions);
  }

  /** The user's channels, most recent activity first, each with its state filled. */
  async queryChannels(
    options: QueryChannelsOptions = {},
  ): Promise<{ channels: Channel[]; nextCursor: string | null }> {
    if (this.userId === null) throw invalid('call connectUser first');
    const { type, cursor } = options;
    if (type !== undefined) checkChannelType(type);
    const limit = checkInteger(options.limit, 'limit', 1, PAGE.channelsMax);
    const messageLimit = checkInteger(options.messageLimit, 'messageLimit', 0, PAGE.messagesMax);
    if (cursor !== undefined && typeof cursor !== 'string')
      throw invalid('cursor must be a string');
    const page = await this.fetchChannels(type, limit, messageLimit, cursor);
    const before = cursor === undefined ? 0 : (this.lastQuery?.loaded ?? 0);
    this.lastQuery = { type, messageLimit, loaded: before + page.channels.length };
    return {
      channels: page.channels.map((state) => this.channels.adopt(state)),
      nextCursor: page.next_cursor,
    };
  }

  /** Searches the messages of the user's channels; `page.next()` loads the next page. */
  search(options: SearchOptions): Promise<SearchPage> {
    if (this.userId === null) return Promise.reject(invalid('call connectUser first'));
    return search(this.rest, options);
  }

  /** A message by id, from any channel the user can read. */
  async getMessage(messageId: string): Promise<Message> {
    if (this.userId === null) throw invalid('call connectUser first');
    const path = `/messages/${encodeURIComponent(checkMessageId(messageId))}`;
    return (await this.rest.call<MessageResponse>('GET', path)).message;
  }

  private fetchChannels(type?: string, limit?: number, messageLimit?: number, cursor?: string) {
    const query = { type, limit, message_limit: messageLimit, cursor };
    return this.rest.call<QueryChannelsResponse>('GET', '/channels', query);
  }

  private stateChanged(event: ConnectionChangedEvent): void {
    this.emitter.emit('connection.changed', event);
    this.emitter.emit(`connection.${event.state}` as 'connection.changed', event);
    if (event.state === 'connected') {
      if (this.connectedBefore) this.recover();
      this.connectedBefore = true;
      this.queue.flush();
    } else if (event.state === 'disconnected' && event.error !== undefined) {
      // Refused for good: the session ends as if disconnect() was called.
      this.connecting?.reject(event.error);
      this.emitter.emit('error', event.error);
      this.endSession(event.error);
    }
  }

  /** After a reconnect: watched channels catch up from the event log; listed ones are listed again. */
  private recover(): void {
    for (const channel of this.channels.all()) void channel.resync();
    const query = this.lastQuery;
    if (query === null || query.loaded === 0) return;
    const limit = Math.min(PAGE.channelsMax, query.loaded);
    this.fetchChannels(query.type, limit, query.messageLimit).then(
      (page) => page.channels.forEach((state) => this.channels.adopt(state)),
      (error: ChatError) => this.emitter.emit('error', error),
    );
  }

  /** Routes a server event to its channel and to the handlers. */
  private route(event: ServerEvent): void {
    if (event.type === 'user.presence.changed') {
      for (const channel of this.channels.all()) channel.presence(event.user);
    }
    if ('total_unread_count' in event) {
      this.unreadCounter.set(event.total_unread_count, event.unread_channels);
    }
    if (event.type === 'notification.mention') {
      const { total_unread_count: total, unread_channels: channels } = this.unreadCounter.counts;
      this.unreadCounter.set(total, channels, event.total_unread_mentions);
    }
    const channel = 'cid' in event ? this.channels.get(event.cid) : undefined;
    if (channel !== undefined && 'cid' in event) {
      channel.receive(event);
      // A channel emits its seq events itself, once each, when it applies them.
      if ('seq' in event) return;
    }
    this.emitEvent(event);
  }

  private emitEvent(event: ServerEvent): void {
    this.emitter.emit(event.type, event as never);
    this.emitter.emit('*', event);
  }

  private storeFailed(error: unknown): void {
    this.emitter.emit(
      'error',
      new ChatError('internal_error', `the queue store failed: ${String(error)}`),
    );
  }

  /** Forgets the session: channels, user, calls in flight. */
  private endSession(error: ChatError): void {
    this.connecting = null;
    this.tokens = null;
    this.userId = null;
    this.user = null;
    this.lastQuery = null;
    this.queue.stop(error);
    this.rest.abortAll();
    this.channels.clear();
    this.unreadCounter.set(0, 0, 0);
  }
}

/** The `message` of a `message.send` frame for a queued send. */
function messageOf(item: QueuedSend): Record<string, unknown> {
  const message: Record<string, unknown> = { id: item.id, text: item.text };
  if (item.data !== undefined) message.data = item.data;
  if (item.parentId !== undefined) message.parent_id = item.parentId;
  if (item.showInChannel === true) message.show_in_channel = true;
  if (item.quotedMessageId !== undefined) message.quoted_message_id = item.quotedMessageId;
  if (item.mentionedUserIds !== undefined) message.mentioned_users = item.mentionedUserIds;
  return message;
}
