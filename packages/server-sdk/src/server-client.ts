import {
  ChatError,
  changeMembersRequestSchema,
  channelIdSchema,
  channelTypeSchema,
  getChannelRequestSchema,
  getEventsRequestSchema,
  getOrCreateChannelRequestSchema,
  getOrCreateDistinctChannelRequestSchema,
  healthResponseSchema,
  queryChannelsRequestSchema,
  removeMembersRequestSchema,
  updateChannelRequestSchema,
  upsertUsersRequestSchema,
  userIdSchema,
  type Channel,
  type ChangeMembersResponse,
  type ChannelState,
  type DeleteChannelResponse,
  type GetEventsResponse,
  type GetOrCreateChannelResponse,
  type GetUserResponse,
  type HealthResponse,
  type QueryChannelsResponse,
  type UnreadSummary,
  type UpdateChannelRequest,
  type UpdateChannelResponse,
  type UpsertUsersResponse,
  type User,
  type UserInput,
} from '@parley/protocol';
import { createHttp, type Http } from './http.js';
import type {
  AddMembersOptions,
  CreateTokenOptions,
  GetChannelOptions,
  GetEventsOptions,
  GetOrCreateChannelOptions,
  GetOrCreateDirectChannelOptions,
  ParleyServerClientOptions,
  QueryChannelsOptions,
} from './server-client-options.js';
import { channelPath, checkChannel } from './server-messages.js';
import { ServerModerationCalls } from './server-moderation.js';
import { secretKey, signServerToken, signUserToken } from './token.js';
import { check, invalid } from './validate.js';

/** Creates a client for an app backend; it holds the secret and acts as the server. */
export function createParleyServerClient(options: ParleyServerClientOptions): ParleyServerClient {
  return new ParleyServerClient(options);
}

/**
 * Parley's REST API as an app backend calls it. Every call authenticates with the server
 * token; arguments are checked with the protocol's schemas before anything is sent, and
 * every failure is a ChatError carrying the server's code (or `network_error`).
 */
export class ParleyServerClient extends ServerModerationCalls {
  private readonly key: Uint8Array;
  private readonly http: Http;
  private readonly apiKey: string | undefined;
  private serverToken: Promise<string> | undefined;

  constructor(options: ParleyServerClientOptions) {
    super();
    const { url, secret, timeoutMs = 10_000 } = options;
    if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
      throw invalid('url', 'give the server base URL, http(s)://host[:port][/prefix]');
    }
    // The server refuses to start with a shorter secret, so a short one is a wrong one
    // (typically an unset environment variable).
    if (typeof secret !== 'string' || secret.length < 32) {
      throw invalid('secret', 'the app secret has at least 32 characters');
    }
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw invalid('timeoutMs', 'must be a positive number of milliseconds');
    }
    this.key = secretKey(secret);
    this.apiKey = options.apiKey;
    this.http = createHttp({
      baseUrl: url.replace(/\/+$/, ''),
      // Looked up per call, not bound once, so a fetch patched later (tracing) is honoured.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs,
    });
  }

  /** A user token for the browser or app: HS256, claim `user_id`, `exp` if `expiresIn`. */
  async createToken(userId: string, options: CreateTokenOptions = {}): Promise<string> {
    check(userIdSchema, userId, 'userId');
    const { expiresIn } = options;
    if (expiresIn !== undefined && !Number.isFinite(expiresIn)) {
      throw invalid('expiresIn', 'must be a number of seconds');
    }
    return signUserToken(this.key, userId, expiresIn);
  }

  /** Creates or updates users (1–100); fields left out keep their stored value. */
  async upsertUsers(users: UserInput[]): Promise<User[]> {
    const body = check(upsertUsersRequestSchema, { users });
    return (await this.call<UpsertUsersResponse>('POST', '/users', { body })).users;
  }

  /** Creates or updates one user. */
  async upsertUser(user: UserInput): Promise<User> {
    const [stored] = await this.upsertUsers([user]);
    if (stored === undefined) throw new ChatError('internal_error', 'the server returned no user');
    return stored;
  }

  /** One user; `user_not_found` if there is none. */
  async getUser(id: string): Promise<User> {
    check(userIdSchema, id, 'id');
    return (await this.call<GetUserResponse>('GET', `/users/${encodeURIComponent(id)}`)).user;
  }

  /** The channel `type:id` with its state, created first if it does not exist (`created`). */
  async getOrCreateChannel(
    type: string,
    id: string,
    options: GetOrCreateChannelOptions = {},
  ): Promise<GetOrCreateChannelResponse> {
    check(channelTypeSchema, type, 'type');
    check(channelIdSchema, id, 'id');
    const body = check(getOrCreateChannelRequestSchema, {
      members: options.members,
      data: options.data,
      created_by_id: options.createdById,
      message_limit: options.messageLimit,
    });
    return this.call('POST', channelPath(type, id), { body });
  }

  /** The distinct channel of two users: the same pair, in any order, gets the same channel. */
  async getOrCreateDirectChannel(
    type: string,
    users: readonly [string, string],
    options: GetOrCreateDirectChannelOptions = {},
  ): Promise<GetOrCreateChannelResponse> {
    check(channelTypeSchema, type, 'type');
    if (!Array.isArray(users) || users.length !== 2 || users[0] === users[1]) {
      throw invalid('users', 'a direct channel is between two different users');
    }
    const body = check(getOrCreateDistinctChannelRequestSchema, {
      members: [...users],
      data: options.data,
      message_limit: options.messageLimit,
    });
    return this.call('POST', `/channels/${encodeURIComponent(type)}`, { body });
  }

  /** A channel's state: channel, members, latest messages, read states. */
  async getChannel(
    type: string,
    id: string,
    options: GetChannelOptions = {},
  ): Promise<ChannelState> {
    checkChannel(type, id);
    const query = { message_limit: options.messageLimit };
    check(getChannelRequestSchema, query);
    return this.call('GET', channelPath(type, id), { query });
  }

  /** Shallow-merges `set` into the channel's data and removes the `unset` keys. */
  async updateChannel(type: string, id: string, change: UpdateChannelRequest): Promise<Channel> {
    checkChannel(type, id);
    const body = check(updateChannelRequestSchema, change);
    return (await this.call<UpdateChannelResponse>('PATCH', channelPath(type, id), { body }))
      .channel;
  }

  /** Adds users who are not members yet; answers the channel and all its members. */
  async addMembers(
    type: string,
    id: string,
    userIds: string[],
    options: AddMembersOptions = {},
  ): Promise<ChangeMembersResponse> {
    checkChannel(type, id);
    const body = check(changeMembersRequestSchema, { user_ids: userIds, role: options.role });
    return this.call('POST', `${channelPath(type, id)}/members`, { body });
  }

  /** Removes members; answers the channel and the members left. */
  async removeMembers(type: string, id: string, userIds: string[]): Promise<ChangeMembersResponse> {
    checkChannel(type, id);
    const body = check(removeMembersRequestSchema, { user_ids: userIds });
    return this.call('DELETE', `${channelPath(type, id)}/members`, { body });
  }

  /** A user's channels by latest activity, newest first; pass `next_cursor` for more. */
  async queryChannels(
    userId: string,
    options: QueryChannelsOptions = {},
  ): Promise<QueryChannelsResponse> {
    const query = {
      user_id: userId,
      type: options.type,
      limit: options.limit,
      cursor: options.cursor,
      message_limit: options.messageLimit,
    };
    check(userIdSchema, userId, 'userId');
    check(queryChannelsRequestSchema, query);
    return this.call('GET', '/channels', { query });
  }

  /** A user's unread totals, and per channel. */
  async getUnread(userId: string): Promise<UnreadSummary> {
    check(userIdSchema, userId, 'userId');
    return this.call('GET', '/unread', { query: { user_id: userId } });
  }

  /** The channel's stored events after `sinceSeq`, in order; page while `has_more`. */
  async getEvents(type: string, id: string, options: GetEventsOptions): Promise<GetEventsResponse> {
    checkChannel(type, id);
    // The query schema coerces strings; a wrong type here is a caller's bug, so say so.
    if (!Number.isInteger(options?.sinceSeq) || options.sinceSeq < 0) {
      throw invalid('sinceSeq', 'must be an integer of at least 0');
    }
    const query = { since_seq: options.sinceSeq, limit: options.limit };
    check(getEventsRequestSchema, query);
    return this.call('GET', `${channelPath(type, id)}/events`, { query });
  }

  /** Deletes the channel with all its messages. */
  async deleteChannel(type: string, id: string): Promise<DeleteChannelResponse> {
    checkChannel(type, id);
    return this.call('DELETE', channelPath(type, id));
  }

  /**
   * The server's health, without credentials. A server whose storage does not answer is
   * reported (`status: 'unavailable'`, HTTP 503), not thrown; unreachable is `network_error`.
   */
  async health(): Promise<HealthResponse> {
    const body = await this.http({ method: 'GET', path: '/health', acceptStatuses: [503] });
    // A 503 from a proxy or a node shutting down is not a health report.
    const report = healthResponseSchema.safeParse(body);
    if (report.success) return report.data;
    throw new ChatError('network_error', 'the /health answer did not come from Parley');
  }

  /** An authenticated call: the cached server token, and the api key when configured. */
  protected async call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    request: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}` };
    if (this.apiKey !== undefined) headers['x-api-key'] = this.apiKey;
    return this.http<T>({ method, path, headers, ...request });
  }

  /** Signed once: the server token has no `exp`, so one token serves every call. */
  private token(): Promise<string> {
    this.serverToken ??= signServerToken(this.key).catch((err: unknown) => {
      this.serverToken = undefined;
      throw err;
    });
    return this.serverToken;
  }
}
