import { createHash } from 'node:crypto';
import {
  ChatError,
  PAGE,
  cidSchema,
  toCid,
  type ChangeMembersRequest,
  type ChannelState,
  type GetOrCreateChannelRequest,
  type GetOrCreateChannelResponse,
  type GetOrCreateDistinctChannelRequest,
  type MemberRole,
  type QueryChannelsResponse,
  type ServerEvent,
  type UpdateChannelRequest,
} from '@parley/protocol';
import type { ChannelRecord, UserRecord } from '../storage/storage.js';
import { actingUserId, checkData, requireChannel, requireUser } from './access.js';
import { z } from 'zod';
import type { Actor, ServiceContext } from './context.js';
import { PageCursors } from './page-cursor.js';
import { removeBlobsOf } from '../uploads/upload-blobs.js';
import { ChannelMembers, type MembersChange } from './channel-members.js';
import type { MessageViews } from './message-views.js';
import type { UserService } from './user-service.js';
import { iso, toChannel, toMember, toReadState } from './wire.js';

/** Channels: creation, state, data, members, listing. */
export class ChannelService {
  private readonly cursors: PageCursors;
  private readonly members: ChannelMembers;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
    private readonly views: MessageViews,
  ) {
    this.cursors = new PageCursors(ctx.config.secret);
    this.members = new ChannelMembers(ctx, users);
  }

  private decodeCursor(cursor: string): { activityAt: number; cid: string } {
    const [activityAt, cid] = this.cursors.decode('channels', cursor, channelCursorSchema);
    return { activityAt, cid };
  }

  async getOrCreate(
    actor: Actor,
    type: string,
    id: string,
    req: GetOrCreateChannelRequest,
  ): Promise<GetOrCreateChannelResponse> {
    const creatorId = this.creatorOf(actor, req.created_by_id);
    const roles = new Map<string, MemberRole>();
    for (const userId of req.members ?? []) roles.set(userId, 'member');
    if (creatorId !== null) roles.set(creatorId, 'owner');
    return this.create(actor, {
      type,
      id,
      distinct: false,
      data: req.data,
      creatorId,
      roles,
      messageLimit: req.message_limit,
    });
  }

  /** The distinct channel of a member list: the same members always get the same channel. */
  async getOrCreateDistinct(
    actor: Actor,
    type: string,
    req: GetOrCreateDistinctChannelRequest,
  ): Promise<GetOrCreateChannelResponse> {
    const creatorId = this.creatorOf(actor, req.created_by_id);
    const members = new Set(req.members);
    if (creatorId !== null) members.add(creatorId);
    if (members.size < 2) {
      throw new ChatError('invalid_request', 'a distinct channel needs at least two members');
    }
    const sorted = [...members].sort();
    const hash = createHash('sha256').update(sorted.join('\n')).digest('base64url').slice(0, 40);
    const roles = new Map<string, MemberRole>(sorted.map((u) => [u, 'member']));
    return this.create(actor, {
      type,
      id: `!members-${hash}`,
      distinct: true,
      data: req.data,
      creatorId,
      roles,
      messageLimit: req.message_limit,
    });
  }

  async get(actor: Actor, cid: string, messageLimit?: number): Promise<ChannelState> {
    const channel = await requireChannel(this.ctx.storage, cid);
    await this.ctx.access.requireReader(actor, cid);
    return this.state(actor, channel, messageLimit ?? PAGE.messagesDefault);
  }

  async update(actor: Actor, cid: string, req: UpdateChannelRequest): Promise<ChannelRecord> {
    const current = await requireChannel(this.ctx.storage, cid);
    await this.ctx.access.requirePermission(actor, cid, 'update_channel');
    const merged: Record<string, unknown> = { ...current.data, ...req.set };
    for (const key of req.unset ?? []) delete merged[key];
    checkData(merged, this.ctx.config.limits.maxCustomDataBytes);
    const { channel, event } = await this.ctx.storage.updateChannelData(
      cid,
      { set: req.set ?? {}, unset: req.unset ?? [] },
      Date.now(),
      (updated, seq, at) => ({
        type: 'channel.updated',
        cid,
        seq,
        created_at: iso(at),
        channel: toChannel({ ...updated, lastSeq: seq }),
      }),
    );
    await this.ctx.bus.publish({ kind: 'channel', cid, event: event.payload as ServerEvent });
    return channel;
  }

  async delete(actor: Actor, cid: string): Promise<void> {
    await requireChannel(this.ctx.storage, cid);
    await this.ctx.access.requirePermission(actor, cid, 'delete_channel');
    const members = await this.ctx.storage.getMembers(cid);
    const deleted = await this.ctx.storage.deleteChannel(cid);
    await removeBlobsOf(this.ctx.blobs, deleted?.uploads ?? [], this.ctx.logger);
    const event: ServerEvent = { type: 'channel.deleted', cid, created_at: iso(Date.now()) };
    await this.ctx.bus.publish({
      kind: 'channel',
      cid,
      event,
      alsoToUserIds: members.map((m) => m.userId),
    });
  }

  /** Adds members (see ChannelMembers). */
  addMembers(actor: Actor, cid: string, req: ChangeMembersRequest): Promise<MembersChange> {
    return this.members.add(actor, cid, req);
  }

  /** Removes members, or the caller leaves (see ChannelMembers). */
  removeMembers(actor: Actor, cid: string, req: ChangeMembersRequest): Promise<MembersChange> {
    return this.members.remove(actor, cid, req);
  }

  async query(
    actor: Actor,
    req: {
      type?: string | undefined;
      user_id?: string | undefined;
      all?: 'true' | 'false' | undefined;
      limit: number;
      message_limit: number;
      cursor?: string | undefined;
    },
  ): Promise<QueryChannelsResponse> {
    // `all=true` (the server, an app admin: an operator's console) lists every channel, as
    // does the server without user_id.
    const all = req.all === 'true';
    if (all) this.ctx.access.requireAppAdmin(actor, 'list_all_channels');
    if (all && req.user_id !== undefined) {
      throw new ChatError('invalid_request', 'all=true lists every channel: leave out user_id');
    }
    const userId = all ? null : actingUserId(actor, req.user_id, true);
    const rows = await this.ctx.storage.queryChannels({
      userId,
      type: req.type,
      cursor: req.cursor === undefined ? undefined : this.decodeCursor(req.cursor),
      limit: req.limit + 1,
    });
    const page = rows.slice(0, req.limit);
    const last = page.at(-1);
    const next =
      rows.length > req.limit && last !== undefined
        ? this.cursors.encode('channels', [last.lastMessageAt ?? last.createdAt, last.cid])
        : null;
    if (userId === null) {
      const all = await Promise.all(page.map((c) => this.state(actor, c, req.message_limit)));
      return { channels: all, next_cursor: next };
    }
    const asUser: Actor =
      actor.kind === 'user' ? actor : { kind: 'user', user: await this.userRecord(userId) };
    // A channel the user is banned from is not theirs to read, though they are a member.
    const bans = new Set(
      (await this.ctx.access.activeRestrictions(userId))
        .filter((r) => r.kind === 'ban' && r.cid !== null)
        .map((r) => r.cid),
    );
    const channels: ChannelState[] = [];
    for (const channel of page) {
      if (bans.has(channel.cid)) continue;
      channels.push(await this.state(asUser, channel, req.message_limit));
    }
    return { channels, next_cursor: next };
  }

  /** The channel with members, latest messages, read states and the caller's unread count. */
  async state(
    actor: Actor,
    channel: ChannelRecord,
    messageLimit: number,
    options: { upToSeq?: number } = {},
  ): Promise<ChannelState> {
    const { storage } = this.ctx;
    const beforeSeq = options.upToSeq === undefined ? undefined : options.upToSeq + 1;
    const [members, latest] = await Promise.all([
      storage.getMembers(channel.cid),
      messageLimit > 0
        ? storage.getMessages(channel.cid, { limit: messageLimit + 1, beforeSeq })
        : Promise.resolve([]),
    ]);
    const hasMore = latest.length > messageLimit;
    const messages = hasMore ? latest.slice(1) : latest;
    const me = actor.kind === 'user' ? actor.user.id : null;
    const [users, wireMessages, unread] = await Promise.all([
      this.users.usersById(members.map((m) => m.userId)),
      this.views.render(messages, me),
      me === null ? Promise.resolve(undefined) : storage.getUnreadCounts(me, [channel.cid]),
    ]);
    const counts = unread?.get(channel.cid);
    const wireMembers = members.flatMap((m) => {
      const user = users.get(m.userId);
      return user === undefined ? [] : [toMember(m, user)];
    });
    return {
      channel: toChannel(channel),
      members: wireMembers,
      messages: wireMessages,
      has_more_messages: hasMore,
      read: members.map(toReadState),
      membership: wireMembers.find((m) => m.user_id === me) ?? null,
      unread_count: counts?.unread ?? 0,
      unread_mentions: counts?.mentions ?? 0,
    };
  }

  private userRecord(userId: string): Promise<UserRecord> {
    return requireUser(this.ctx.storage, userId);
  }

  private creatorOf(actor: Actor, createdById: string | undefined): string | null {
    if (actor.kind === 'user') {
      if (createdById !== undefined && createdById !== actor.user.id) {
        throw new ChatError(
          'user_mismatch',
          `the token is for ${actor.user.id}, not ${createdById}`,
        );
      }
      return actor.user.id;
    }
    return createdById ?? null;
  }

  private async create(
    actor: Actor,
    spec: {
      type: string;
      id: string;
      distinct: boolean;
      data: Record<string, unknown> | undefined;
      creatorId: string | null;
      roles: Map<string, MemberRole>;
      messageLimit: number | undefined;
    },
  ): Promise<GetOrCreateChannelResponse> {
    const cid = toCid(spec.type, spec.id);
    const messageLimit = spec.messageLimit ?? PAGE.messagesDefault;
    const existing = await this.ctx.storage.getChannel(cid);
    if (existing !== null) {
      await this.ctx.access.requireReader(actor, cid);
      return { ...(await this.state(actor, existing, messageLimit)), created: false };
    }
    checkData(spec.data, this.ctx.config.limits.maxCustomDataBytes);
    await this.users.requireExisting([...spec.roles.keys()]);
    const now = Date.now();
    const { channel, created } = await this.ctx.storage.getOrCreateChannel({
      cid,
      type: spec.type,
      id: spec.id,
      data: spec.data ?? {},
      distinct: spec.distinct,
      createdById: spec.creatorId,
      members: [...spec.roles].map(([userId, role]) => ({ userId, role })),
      now,
    });
    if (!created) await this.ctx.access.requireReader(actor, cid);
    const state = await this.state(actor, channel, messageLimit);
    if (created) await this.announce(channel, state, spec.creatorId);
    return { ...state, created };
  }

  /** Tells the initial members (but the creator) that they were added. */
  private async announce(channel: ChannelRecord, state: ChannelState, creatorId: string | null) {
    for (const member of state.members) {
      if (member.user_id === creatorId) continue;
      const unread = await this.users.unread(member.user_id);
      await this.ctx.bus.publish({
        kind: 'users',
        userIds: [member.user_id],
        event: {
          type: 'notification.added_to_channel',
          cid: channel.cid,
          created_at: iso(channel.createdAt),
          channel: state.channel,
          member,
          unread_count: 0,
          total_unread_count: unread.total_unread_count,
          unread_channels: unread.unread_channels,
        },
      });
    }
  }
}

/** A channel list continues after this (activity time, cid). */
const channelCursorSchema = z.tuple([z.number().int(), cidSchema]);
