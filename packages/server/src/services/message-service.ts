import { randomUUID } from 'node:crypto';
import {
  ChatError,
  type GetEventsResponse,
  type GetMessagesResponse,
  type MarkReadResponse,
  type ChannelEvent,
  type SendMessageRequest,
  type SendMessageResponse,
  type ServerEvent,
  type User,
} from '@parley/protocol';
import type { MessageRecord } from '../storage/storage.js';
import { actingUserId, checkData, checkText, requireChannel, requireReader } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import type { UserService } from './user-service.js';
import { iso, toChannel, toMessage, toReadState } from './wire.js';

/** Messages, history, read state and the event log. */
export class MessageService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
  ) {}

  /** Stores a message, then fans it out. Resolves only once it is durably stored. */
  async send(actor: Actor, cid: string, req: SendMessageRequest): Promise<SendMessageResponse> {
    const { storage, config } = this.ctx;
    const type = req.type ?? 'regular';
    if (actor.kind === 'user' && type === 'system') {
      throw new ChatError('forbidden', 'only server-side calls may send system messages');
    }
    if (actor.kind === 'user' && req.created_at !== undefined) {
      throw new ChatError('forbidden', 'only server-side calls may set created_at');
    }
    const authorId =
      type === 'system' ? actingUserId(actor, req.user_id, true) : actingUserId(actor, req.user_id);
    checkText(req.text, config.limits.maxMessageLength);
    checkData(req.data, config.limits.maxCustomDataBytes);
    const channel = await requireChannel(storage, cid);
    if (authorId !== null) {
      const member = await storage.getMember(cid, authorId);
      const admin = actor.kind === 'user' && actor.user.role === 'admin';
      if (member === null && !admin) {
        throw new ChatError('not_member', `${authorId} is not a member of ${cid}`);
      }
    }
    if (actor.kind === 'user') {
      // A retry of a stored message is answered without spending the sender's budget, so
      // an offline queue that resends is never refused for it.
      const stored = req.id === undefined ? null : await storage.getMessage(req.id);
      if (stored !== null && stored.cid === cid && stored.userId === authorId) {
        return { message: toMessage(stored, await this.userOf(stored)), duplicate: true };
      }
      await this.ctx.rateLimits.consumeMessage(actor.user.id);
    }

    const author: User | null =
      authorId === null ? null : ((await this.users.usersById([authorId])).get(authorId) ?? null);
    if (authorId !== null && author === null) {
      throw new ChatError('user_not_found', `user ${authorId} does not exist`);
    }
    const createdAt = req.created_at === undefined ? Date.now() : Date.parse(req.created_at);
    const { message, event, duplicate } = await storage.sendMessage(
      {
        id: req.id ?? randomUUID(),
        cid,
        type,
        userId: authorId,
        text: req.text,
        data: req.data ?? {},
        createdAt,
      },
      (stored, seq, at) => ({
        type: 'message.new',
        cid,
        seq,
        created_at: iso(at),
        message: toMessage({ ...stored, seq }, author),
      }),
    );
    if (duplicate || event === null) {
      const user = message.userId === null ? null : await this.userOf(message);
      return { message: toMessage(message, user), duplicate: true };
    }
    this.ctx.metrics.messages.inc();
    // Fan-out restores seq order on the receiving side (ChannelSequencer), so publishes
    // of concurrent sends may leave in any order.
    const members = await storage.getMembers(cid);
    const updated = toChannel({
      ...channel,
      lastSeq: Math.max(channel.lastSeq, message.seq),
      lastMessageAt: Math.max(channel.lastMessageAt ?? 0, message.createdAt),
      updatedAt: message.createdAt,
    });
    await this.ctx.bus.publish({
      kind: 'channel',
      cid,
      event: event.payload as ServerEvent,
      notify: {
        memberIds: members.map((m) => m.userId).filter((id) => id !== authorId),
        channel: updated,
      },
    });
    if (authorId !== null && (await this.ctx.typing.stop(cid, authorId))) {
      await this.ctx.bus.publish({
        kind: 'channel',
        cid,
        event: { type: 'typing.stop', cid, user_id: authorId, created_at: iso(Date.now()) },
        skipUserId: authorId,
      });
    }
    return { message: toMessage(message, author), duplicate: false };
  }

  /** A page of history, oldest first, around a cursor message or at the end. */
  async history(
    actor: Actor,
    cid: string,
    req: {
      limit: number;
      before?: string | undefined;
      after?: string | undefined;
      around?: string | undefined;
    },
  ): Promise<GetMessagesResponse> {
    const { storage } = this.ctx;
    await requireChannel(storage, cid);
    await requireReader(storage, actor, cid);
    const { limit } = req;
    const cursorId = req.before ?? req.after ?? req.around;
    let messages: MessageRecord[];
    let moreBefore: boolean;
    let moreAfter: boolean;
    if (cursorId === undefined) {
      const rows = await storage.getMessages(cid, { limit: limit + 1 });
      moreBefore = rows.length > limit;
      messages = moreBefore ? rows.slice(1) : rows;
      moreAfter = false;
    } else {
      const cursor = await storage.getMessage(cursorId);
      if (cursor === null || cursor.cid !== cid) {
        throw new ChatError('message_not_found', `message ${cursorId} is not in ${cid}`);
      }
      if (req.before !== undefined) {
        const rows = await storage.getMessages(cid, { limit: limit + 1, beforeSeq: cursor.seq });
        moreBefore = rows.length > limit;
        messages = moreBefore ? rows.slice(1) : rows;
        moreAfter = true;
      } else if (req.after !== undefined) {
        const rows = await storage.getMessages(cid, { limit: limit + 1, afterSeq: cursor.seq });
        moreAfter = rows.length > limit;
        messages = moreAfter ? rows.slice(0, limit) : rows;
        moreBefore = true;
      } else {
        const olderCount = Math.floor((limit - 1) / 2);
        const newerCount = limit - 1 - olderCount;
        const [older, newer] = await Promise.all([
          storage.getMessages(cid, { limit: olderCount + 1, beforeSeq: cursor.seq }),
          storage.getMessages(cid, { limit: newerCount + 1, afterSeq: cursor.seq }),
        ]);
        moreBefore = older.length > olderCount;
        moreAfter = newer.length > newerCount;
        messages = [
          ...(moreBefore ? older.slice(1) : older),
          cursor,
          ...(moreAfter ? newer.slice(0, newerCount) : newer),
        ];
      }
    }
    const users = await this.users.usersById(
      messages.flatMap((m) => (m.userId === null ? [] : [m.userId])),
    );
    return {
      messages: messages.map((m) =>
        toMessage(m, m.userId === null ? null : (users.get(m.userId) ?? null)),
      ),
      has_more_before: moreBefore,
      has_more_after: moreAfter,
    };
  }

  /** Moves the reader's position to a message (default: the latest) and tells the channel. */
  async markRead(
    actor: Actor,
    cid: string,
    req: { message_id?: string | undefined; user_id?: string | undefined },
  ): Promise<MarkReadResponse> {
    const { storage } = this.ctx;
    const userId = actingUserId(actor, req.user_id);
    await requireChannel(storage, cid);
    const member = await storage.getMember(cid, userId);
    if (member === null) throw new ChatError('not_member', `${userId} is not a member of ${cid}`);
    let target: MessageRecord | undefined;
    if (req.message_id !== undefined) {
      const found = await storage.getMessage(req.message_id);
      if (found === null || found.cid !== cid) {
        throw new ChatError('message_not_found', `message ${req.message_id} is not in ${cid}`);
      }
      target = found;
    } else {
      target = (await storage.getMessages(cid, { limit: 1 }))[0];
    }
    const upTo = { seq: target?.seq ?? 0, messageId: target?.id ?? null };
    const result = await storage.markRead(cid, userId, upTo, Date.now(), (m, seq, at) => ({
      type: 'message.read',
      cid,
      seq,
      created_at: iso(at),
      user_id: userId,
      last_read_message_id: m.lastReadMessageId,
      last_read_seq: m.lastReadSeq,
    }));
    const readEvent = result.event;
    if (readEvent !== null) {
      await this.ctx.bus.publish({ kind: 'channel', cid, event: readEvent.payload as ServerEvent });
    }
    const unread = await this.users.unread(userId);
    const unreadHere = unread.channels.find((c) => c.cid === cid)?.unread_count ?? 0;
    if (result.event !== null) {
      await this.ctx.bus.publish({
        kind: 'users',
        userIds: [userId],
        event: {
          type: 'notification.mark_read',
          cid,
          created_at: iso(result.event.createdAt),
          last_read_message_id: result.member.lastReadMessageId,
          last_read_seq: result.member.lastReadSeq,
          unread_count: unreadHere,
          total_unread_count: unread.total_unread_count,
          unread_channels: unread.unread_channels,
        },
      });
    }
    return {
      read: toReadState(result.member),
      unread_count: unreadHere,
      total_unread_count: unread.total_unread_count,
      unread_channels: unread.unread_channels,
    };
  }

  /** Recovery: the channel's stored events after `sinceSeq`, in order. */
  async events(
    actor: Actor,
    cid: string,
    sinceSeq: number,
    limit: number,
  ): Promise<GetEventsResponse> {
    const { storage } = this.ctx;
    const channel = await requireChannel(storage, cid);
    await requireReader(storage, actor, cid);
    const rows = await storage.getEvents(cid, sinceSeq, limit + 1);
    const page = rows.slice(0, limit);
    return {
      events: page.map((e) => e.payload as ChannelEvent),
      has_more: rows.length > limit,
      last_seq: Math.max(channel.lastSeq, page.at(-1)?.seq ?? 0),
    };
  }

  private async userOf(message: MessageRecord): Promise<User | null> {
    if (message.userId === null) return null;
    return (await this.users.usersById([message.userId])).get(message.userId) ?? null;
  }
}
