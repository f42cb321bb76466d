import {
  ChatError,
  type ChannelEvent,
  type GetEventsResponse,
  type GetMessagesResponse,
  type MarkReadResponse,
  type ServerEvent,
} from '@parley/protocol';
import type { MessageRecord } from '../storage/storage.js';
import { withFreshUrls } from '../uploads/attachment-wire.js';
import { actingUserId, requireChannel } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import type { MessageViews } from './message-views.js';
import type { UserService } from './user-service.js';
import { iso, toReadState } from './wire.js';

/** A channel's history pages, its readers' positions and its event log (for recovery). */
export class ChannelReads {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
    private readonly views: MessageViews,
  ) {}

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
    const { limit } = req;
    const cursorId = req.before ?? req.after ?? req.around;
    // The usual page (before or after a cursor, or the latest) is read side by side with
    // the membership: on PostgreSQL one round trip instead of two. A refused caller's page
    // is dropped unread.
    const pageFirst = req.before !== undefined || req.after !== undefined || cursorId === undefined;
    const rows = pageFirst
      ? storage.getMessages(
          cid,
          req.before !== undefined
            ? { limit: limit + 1, beforeId: req.before }
            : req.after !== undefined
              ? { limit: limit + 1, afterId: req.after }
              : { limit: limit + 1 },
        )
      : undefined;
    rows?.catch(() => {});
    await this.requireHistoryReader(actor, cid);
    let messages: MessageRecord[];
    let moreBefore: boolean;
    let moreAfter: boolean;
    if (cursorId === undefined) {
      const latest = await rows!;
      moreBefore = latest.length > limit;
      messages = moreBefore ? latest.slice(1) : latest;
      moreAfter = false;
    } else if (pageFirst) {
      // The cursor's seq is read in the page's query; an empty page says no more when the
      // cursor exists, and is an error otherwise.
      const page = await rows!;
      const before = req.before !== undefined;
      if (page.length === 0) await this.requireCursor(cid, cursorId);
      const more = page.length > limit;
      messages = !more ? page : before ? page.slice(1) : page.slice(0, limit);
      moreBefore = before ? more : true;
      moreAfter = before ? true : more;
    } else {
      const cursor = await this.requireCursor(cid, cursorId);
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
    return {
      messages: await this.views.render(messages, actor.kind === 'user' ? actor.user.id : null),
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
    await this.ctx.access.refuseBanned(userId, cid);
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
    await this.ctx.access.requireReader(actor, cid);
    const rows = await storage.getEvents(cid, sinceSeq, limit + 1);
    const page = rows.slice(0, limit);
    return {
      events: page.map((e) => withFreshUrls(e.payload, this.ctx.fileUrls) as ChannelEvent),
      has_more: rows.length > limit,
      last_seq: Math.max(channel.lastSeq, page.at(-1)?.seq ?? 0),
    };
  }

  /** Throws unless the actor may read the channel's history (which must exist). */
  private async requireHistoryReader(actor: Actor, cid: string): Promise<void> {
    const { storage } = this.ctx;
    // A membership proves the channel exists: one query for a member, the usual case.
    const member = actor.kind === 'user' ? await storage.getMember(cid, actor.user.id) : null;
    if (member === null) {
      await requireChannel(storage, cid);
      await this.ctx.access.requireReader(actor, cid);
    } else {
      await this.ctx.access.refuseBanned(member.userId, cid);
    }
  }

  /** The message `id` of channel `cid`, or message_not_found. */
  private async requireCursor(cid: string, id: string): Promise<MessageRecord> {
    const cursor = await this.ctx.storage.getMessage(id);
    if (cursor === null || cursor.cid !== cid) {
      throw new ChatError('message_not_found', `message ${id} is not in ${cid}`);
    }
    return cursor;
  }
}
