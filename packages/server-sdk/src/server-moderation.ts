import {
  analyticsRequestSchema,
  banRequestSchema,
  channelTypeSchema,
  createChannelTypeRequestSchema,
  flagRequestSchema,
  freezeRequestSchema,
  liftRequestSchema,
  queryAuditLogRequestSchema,
  queryFlagsRequestSchema,
  resolveFlagRequestSchema,
  setUserRoleRequestSchema,
  userIdSchema,
  type AnalyticsResponse,
  type BlocklistEntry,
  type Channel,
  type ChannelPermissions,
  type ChannelTypeSettings,
  type Flag,
  type QueryAuditLogResponse,
  type QueryFlagsResponse,
  type Restriction,
  type User,
  type UserRole,
} from '@parley/protocol';
import { channelPath, checkChannel } from './server-messages.js';
import { ServerNotificationCalls } from './server-notifications.js';
import { check } from './validate.js';

/** A channel type's settings to create or change; what is left out keeps its value. */
export interface ChannelTypeOptions {
  /** Roles allowed each action (`owner`, `moderator`, `member`, `admin`), action by action. */
  permissions?: Partial<ChannelPermissions>;
  /** Longest text in this type; null: the server's limit. */
  maxMessageLength?: number | null;
  /** Seconds between a user's messages in one channel; 0: off. */
  slowModeS?: number;
  blocklist?: BlocklistEntry[];
}

/** A ban or mute: of `targetUserId`, in `cid` (a ban without it is app-wide). */
export interface RestrictOptions {
  targetUserId: string;
  cid?: string;
  /** Ends by itself after this many seconds. */
  timeoutS?: number;
  reason?: string;
  /** The moderator acting, for the audit log; omitted: the app itself. */
  userId?: string;
}

/**
 * The moderation half of the server client: channel types, flags, bans and mutes,
 * freezing, blocks, channel mutes, the audit log and analytics.
 */
export abstract class ServerModerationCalls extends ServerNotificationCalls {
  /** Every channel type with its settings, built-in ones included. */
  async listChannelTypes(): Promise<ChannelTypeSettings[]> {
    return (await this.call<{ channel_types: ChannelTypeSettings[] }>('GET', '/channel-types'))
      .channel_types;
  }

  async getChannelType(name: string): Promise<ChannelTypeSettings> {
    return (await this.call<{ channel_type: ChannelTypeSettings }>('GET', typePath(name)))
      .channel_type;
  }

  /** Creates a type; settings left out are `messaging`'s. Fails with `channel_type_exists`. */
  async createChannelType(
    name: string,
    settings: ChannelTypeOptions = {},
  ): Promise<ChannelTypeSettings> {
    const body = check(createChannelTypeRequestSchema, typeBody(settings));
    return (
      await this.call<{ channel_type: ChannelTypeSettings }>('POST', typePath(name), { body })
    ).channel_type;
  }

  /** Changes a type's settings (built-ins too); applies on every node at once. */
  async updateChannelType(name: string, change: ChannelTypeOptions): Promise<ChannelTypeSettings> {
    const body = check(createChannelTypeRequestSchema, typeBody(change));
    return (
      await this.call<{ channel_type: ChannelTypeSettings }>('PATCH', typePath(name), { body })
    ).channel_type;
  }

  /** Flags a message or a user for moderators, as `userId` (omitted: the app). */
  async flag(options: {
    messageId?: string;
    targetUserId?: string;
    reason?: string;
    userId?: string;
  }): Promise<Flag> {
    const body = check(flagRequestSchema, {
      message_id: options.messageId,
      target_user_id: options.targetUserId,
      reason: options.reason,
      user_id: options.userId,
    });
    return (await this.call<{ flag: Flag }>('POST', '/moderation/flag', { body })).flag;
  }

  /** The moderation queue, newest first (of one channel with `cid`); open flags unless `status` says. */
  async queryFlags(
    options: {
      cid?: string;
      status?: 'open' | 'resolved' | 'all';
      limit?: number;
      cursor?: string;
    } = {},
  ): Promise<QueryFlagsResponse> {
    const query = check(queryFlagsRequestSchema, options);
    return this.call('GET', '/moderation/flags', { query });
  }

  /** Takes a flag out of the queue: `dismissed` (the default) or `actioned`. */
  async resolveFlag(
    id: string,
    options: { resolution?: 'dismissed' | 'actioned'; reason?: string; userId?: string } = {},
  ): Promise<Flag> {
    const body = check(resolveFlagRequestSchema, {
      resolution: options.resolution,
      reason: options.reason,
      user_id: options.userId,
    });
    const path = `/moderation/flags/${encodeURIComponent(id)}/resolve`;
    return (await this.call<{ flag: Flag }>('POST', path, { body })).flag;
  }

  /** Bans a user from a channel, or app-wide without `cid`. */
  async ban(options: RestrictOptions): Promise<Restriction> {
    return this.restrict('ban', options);
  }

  /** Lifts a ban; false when there was none. */
  async unban(options: Omit<RestrictOptions, 'timeoutS'>): Promise<boolean> {
    return this.lift('ban', options);
  }

  /**
   * Changes a user's app role (`user` or `admin`): audited as `user.role` and delivered to
   * webhooks as the app event `user.role_changed` (an upsert's `role` is neither).
   */
  async setUserRole(
    userId: string,
    role: UserRole,
    options: { reason?: string } = {},
  ): Promise<User> {
    check(userIdSchema, userId);
    const body = check(setUserRoleRequestSchema, { role, reason: options.reason });
    const path = `/users/${encodeURIComponent(userId)}/role`;
    return (await this.call<{ user: User }>('PUT', path, { body })).user;
  }

  /** Mutes a user in a channel (`cid` required): they read but do not write. */
  async mute(options: RestrictOptions & { cid: string }): Promise<Restriction> {
    return this.restrict('mute', options);
  }

  async unmute(options: Omit<RestrictOptions, 'timeoutS'> & { cid: string }): Promise<boolean> {
    return this.lift('mute', options);
  }

  /** Makes a channel read-only for users (the app still writes). */
  async freezeChannel(
    type: string,
    id: string,
    options: { reason?: string; userId?: string } = {},
  ): Promise<Channel> {
    return this.freeze('POST', type, id, options);
  }

  async unfreezeChannel(
    type: string,
    id: string,
    options: { reason?: string; userId?: string } = {},
  ): Promise<Channel> {
    return this.freeze('DELETE', type, id, options);
  }

  /** `userId` blocks `targetUserId`: no direct messages from them, their messages hidden. */
  async blockUser(userId: string, targetUserId: string): Promise<void> {
    await this.block('POST', userId, targetUserId);
  }

  async unblockUser(userId: string, targetUserId: string): Promise<void> {
    await this.block('DELETE', userId, targetUserId);
  }

  /** Whom `userId` blocked. */
  async getBlockedUsers(userId: string): Promise<string[]> {
    check(userIdSchema, userId, 'userId');
    const query = { user_id: userId };
    return (await this.call<{ blocked_user_ids: string[] }>('GET', '/blocks', { query }))
      .blocked_user_ids;
  }

  /** Mutes a channel for `userId`: it stops counting in their unread totals. */
  async muteChannel(type: string, id: string, userId: string): Promise<void> {
    await this.channelMute('POST', type, id, userId);
  }

  async unmuteChannel(type: string, id: string, userId: string): Promise<void> {
    await this.channelMute('DELETE', type, id, userId);
  }

  /** The audit log, newest first. */
  async queryAuditLog(
    options: {
      cid?: string;
      actorId?: string;
      targetUserId?: string;
      action?: string;
      limit?: number;
      cursor?: string;
    } = {},
  ): Promise<QueryAuditLogResponse> {
    const query = check(queryAuditLogRequestSchema, {
      cid: options.cid,
      actor_id: options.actorId,
      target_user_id: options.targetUserId,
      action: options.action,
      limit: options.limit,
      cursor: options.cursor,
    });
    return this.call('GET', '/audit-log', { query });
  }

  /** Daily aggregates from `from` to `to` (UTC days `YYYY-MM-DD`, at most 366). */
  async getAnalytics(options: {
    from: string;
    to: string;
    granularity?: 'day' | 'week' | 'month';
  }): Promise<AnalyticsResponse> {
    const query = check(analyticsRequestSchema, options);
    return this.call('GET', '/analytics', { query });
  }

  private async restrict(kind: 'ban' | 'mute', options: RestrictOptions): Promise<Restriction> {
    const body = check(banRequestSchema, restrictBody(options));
    const answer = await this.call<{ restriction: Restriction }>('POST', `/moderation/${kind}`, {
      body,
    });
    return answer.restriction;
  }

  private async lift(kind: 'ban' | 'mute', options: Omit<RestrictOptions, 'timeoutS'>) {
    const body = check(liftRequestSchema, {
      target_user_id: options.targetUserId,
      cid: options.cid,
      reason: options.reason,
      user_id: options.userId,
    });
    return (await this.call<{ lifted: boolean }>('DELETE', `/moderation/${kind}`, { body })).lifted;
  }

  private async freeze(
    method: 'POST' | 'DELETE',
    type: string,
    id: string,
    options: { reason?: string; userId?: string },
  ): Promise<Channel> {
    checkChannel(type, id);
    const body = check(freezeRequestSchema, { reason: options.reason, user_id: options.userId });
    const path = `${channelPath(type, id)}/freeze`;
    return (await this.call<{ channel: Channel }>(method, path, { body })).channel;
  }

  private async block(method: 'POST' | 'DELETE', userId: string, targetUserId: string) {
    check(userIdSchema, userId, 'userId');
    check(userIdSchema, targetUserId, 'targetUserId');
    const path = `/users/${encodeURIComponent(targetUserId)}/block`;
    await this.call(method, path, { body: { user_id: userId } });
  }

  private async channelMute(method: 'POST' | 'DELETE', type: string, id: string, userId: string) {
    checkChannel(type, id);
    check(userIdSchema, userId, 'userId');
    await this.call(method, `${channelPath(type, id)}/mute`, { body: { user_id: userId } });
  }
}

function typePath(name: string): string {
  check(channelTypeSchema, name, 'name');
  return `/channel-types/${encodeURIComponent(name)}`;
}

function typeBody(settings: ChannelTypeOptions) {
  return {
    permissions: settings.permissions,
    max_message_length: settings.maxMessageLength,
    slow_mode_s: settings.slowModeS,
    blocklist: settings.blocklist,
  };
}

function restrictBody(options: Partial<RestrictOptions>) {
  return {
    target_user_id: options.targetUserId,
    cid: options.cid,
    timeout_s: options.timeoutS,
    reason: options.reason,
    user_id: options.userId,
  };
}
