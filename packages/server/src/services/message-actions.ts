import {
  ChatError,
  type GetMessagesResponse,
  type GetPinnedResponse,
  type GetReactionsResponse,
  type MessageResponse,
  type SendReactionRequest,
  type SendReactionResponse,
  type ServerEvent,
  type UpdateMessageRequest,
  type User,
} from '@parley/protocol';
import { z } from 'zod';
import type {
  EventRecord,
  MemberRecord,
  MessageRecord,
  ReactionChange,
} from '../storage/storage.js';
import { randomUUID } from 'node:crypto';
import { blockedText } from '../permissions/blocklist.js';
import { actingUserId, checkData, checkText, requireChannel } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import { removeBlobsOf } from '../uploads/upload-blobs.js';
import { toThread } from './message-service.js';
import { scrubDeleted, type MessageViews } from './message-views.js';
import { PageCursors } from './page-cursor.js';
import type { UserService } from './user-service.js';
import { iso, toMessage, toReaction, userIdsOf } from './wire.js';

type Event<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>;

/** A reactions page continues after this reaction (time, user, type). */
const reactionCursorSchema = z.tuple([z.number().int(), z.string(), z.string()]);

/**
 * What is done to a message once it is sent (message ids are app-wide): reading it and its
 * thread, editing, pinning, deleting, reacting. Each change is one channel event, stored
 * with its seq before it is fanned out, and a retry of the same change is a no-op.
 */
export class MessageActions {
  private readonly cursors: PageCursors;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
    private readonly views: MessageViews,
  ) {
    this.cursors = new PageCursors(ctx.config.secret);
  }

  async get(actor: Actor, id: string): Promise<MessageResponse> {
    const { message } = await this.readable(actor, id);
    return { message: await this.views.renderOne(message, readerOf(actor)) };
  }

  /** Edits the text or data (the author), or pins and unpins (owners, moderators, admins). */
  async update(actor: Actor, id: string, req: UpdateMessageRequest): Promise<MessageResponse> {
    const { message, member } = await this.readable(actor, id);
    const actorId = actingUserId(actor, req.user_id, true);
    const editsContent =
      req.text !== undefined || req.data !== undefined || req.mentioned_users !== undefined;
    const { access } = this.ctx;
    const type = await access.typeOfCid(message.cid);
    if (actor.kind === 'user') {
      if (editsContent) {
        if (message.userId === actor.user.id) {
          const channel = await requireChannel(this.ctx.storage, message.cid);
          await access.requireWriter(actor, channel, 'send', { member });
          this.checkEditWindow(message);
        } else {
          await access.requirePermission(actor, message.cid, 'edit_others', { member });
        }
      }
      if (req.pinned !== undefined) {
        await access.requirePermission(actor, message.cid, 'pin', { member });
      }
      await this.ctx.rateLimits.consumeMessage(actor.user.id);
    }
    const { limits } = this.ctx.config;
    // Files alone make a message: its text may be emptied.
    if (req.text !== undefined && (req.text !== '' || message.attachments.length === 0)) {
      checkText(req.text, type.maxMessageLength ?? limits.maxMessageLength);
      if (actor.kind === 'user') {
        const verdict = type.blocklist.check(req.text);
        if (verdict.action === 'block') throw blockedText(verdict.matched);
        if (verdict.action === 'mask') req = { ...req, text: verdict.masked };
      }
    }
    checkData(req.data, limits.maxCustomDataBytes);
    if (message.deletedAt !== null) throw deleted(id);
    const quoted = await this.quotedOf(message);
    const files = this.ctx.fileUrls;
    const users = await this.users.usersById([
      ...userIdsOf(message, quoted),
      ...(req.mentioned_users ?? []),
    ]);
    const result = await this.ctx.storage.updateMessage(
      id,
      {
        text: req.text,
        data: req.data,
        mentionedUserIds: req.mentioned_users,
        pin: req.pinned === undefined ? undefined : req.pinned ? { by: actorId } : null,
      },
      Date.now(),
      (change, seq, at): Event<'message.updated'> => ({
        type: 'message.updated',
        cid: change.message.cid,
        seq,
        created_at: iso(at),
        message: toMessage(change.message, { users, quoted: change.quoted, files }),
      }),
    );
    await this.publish(message.cid, result.event === null ? [] : [result.event]);
    return { message: await this.views.renderOne(result.message, readerOf(actor)) };
  }

  /** A tombstone (the author, owners, moderators, admins), or gone with `hard` (admins). */
  async delete(actor: Actor, id: string, req: { hard: boolean }): Promise<MessageResponse> {
    const { message, member } = await this.readable(actor, id);
    const { access } = this.ctx;
    const byOther = actor.kind === 'server' || message.userId !== actor.user.id;
    if (actor.kind === 'user') {
      if (req.hard) await access.requirePermission(actor, message.cid, 'hard_delete', { member });
      if (byOther) {
        await access.requirePermission(actor, message.cid, 'delete_others', { member });
      } else {
        const channel = await requireChannel(this.ctx.storage, message.cid);
        await access.requireWriter(actor, channel, 'send', { member });
      }
      await this.ctx.rateLimits.consumeMessage(actor.user.id);
    }
    const users = await this.users.usersById(userIdsOf(message));
    const files = this.ctx.fileUrls;
    const result = await this.ctx.storage.deleteMessage(
      id,
      req.hard,
      Date.now(),
      (change, seq, at): Event<'message.deleted'> => {
        const event: Event<'message.deleted'> = {
          type: 'message.deleted',
          cid: change.message.cid,
          seq,
          created_at: iso(at),
          message: toMessage(change.message, { users, files }),
          hard: change.hard,
        };
        if (change.thread !== null) event.thread = toThread(change.thread);
        return event;
      },
      scrubDeleted,
    );
    // The records are gone with the commit; the bytes follow (a failure is only logged).
    await removeBlobsOf(this.ctx.blobs, result.uploads, this.ctx.logger);
    await this.publish(message.cid, result.events);
    if (byOther && result.events.length > 0) {
      await this.ctx.storage.appendAudit({
        id: randomUUID(),
        createdAt: Date.now(),
        action: req.hard ? 'message.hard_delete' : 'message.delete',
        actorId: actor.kind === 'user' ? actor.user.id : null,
        targetUserId: message.userId,
        cid: message.cid,
        messageId: message.id,
        reason: null,
        data: {},
      });
    }
    return { message: toMessage(result.message, { users, files }) };
  }

  /** Adds the user's reaction; the same type again changes nothing and tells nobody. */
  async react(actor: Actor, id: string, req: SendReactionRequest): Promise<SendReactionResponse> {
    const { message } = await this.writable(actor, id);
    const userId = actingUserId(actor, req.user_id);
    if (actor.kind === 'user') await this.ctx.rateLimits.consumeMessage(userId);
    const users = await this.users.usersById([userId, ...userIdsOf(message)]);
    const result = await this.ctx.storage.addReaction(
      { messageId: id, userId, type: req.type, score: req.score ?? 1 },
      { unique: req.enforce_unique === true, maxTypes: this.ctx.config.limits.maxReactionTypes },
      Date.now(),
      (change, seq, at) => reactionEvent(change, seq, at, users),
    );
    await this.publish(message.cid, result.events);
    return {
      message: await this.views.renderOne(result.message, userId),
      reaction: toReaction(result.reaction, users),
      duplicate: result.duplicate,
    };
  }

  /** Takes the user's reaction back; one that is not there is a no-op. */
  async unreact(
    actor: Actor,
    id: string,
    type: string,
    req: { user_id?: string | undefined },
  ): Promise<MessageResponse> {
    const { message } = await this.writable(actor, id);
    const userId = actingUserId(actor, req.user_id);
    if (actor.kind === 'user') await this.ctx.rateLimits.consumeMessage(userId);
    const users = await this.users.usersById([userId, ...userIdsOf(message)]);
    const result = await this.ctx.storage.removeReaction(id, userId, type, Date.now(), (c, s, at) =>
      reactionEvent(c, s, at, users),
    );
    await this.publish(message.cid, result.event === null ? [] : [result.event]);
    return { message: await this.views.renderOne(result.message, userId) };
  }

  /** Who reacted, newest first. */
  async reactions(
    actor: Actor,
    id: string,
    req: { type?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<GetReactionsResponse> {
    await this.readable(actor, id);
    const after =
      req.cursor === undefined
        ? undefined
        : this.cursors.decode('reactions', req.cursor, reactionCursorSchema);
    const rows = await this.ctx.storage.getReactions(id, {
      type: req.type,
      limit: req.limit + 1,
      after:
        after === undefined ? undefined : { createdAt: after[0], userId: after[1], type: after[2] },
    });
    const page = rows.slice(0, req.limit);
    const last = page.at(-1);
    const users = await this.users.usersById(page.map((r) => r.userId));
    return {
      reactions: page.map((r) => toReaction(r, users)),
      next_cursor:
        rows.length > req.limit && last !== undefined
          ? this.cursors.encode('reactions', [last.createdAt, last.userId, last.type])
          : null,
    };
  }

  /** A page of a message's thread, oldest first, like a channel's history. */
  async replies(
    actor: Actor,
    id: string,
    req: { limit: number; before?: string | undefined; after?: string | undefined },
  ): Promise<GetMessagesResponse> {
    await this.readable(actor, id);
    const { storage } = this.ctx;
    const { limit } = req;
    const cursorId = req.before ?? req.after;
    if (cursorId !== undefined) {
      const cursor = await storage.getMessage(cursorId);
      if (cursor === null || cursor.parentId !== id) {
        throw new ChatError('message_not_found', `message ${cursorId} is not a reply to ${id}`);
      }
    }
    const before = req.before !== undefined;
    const rows = await storage.getReplies(
      id,
      cursorId === undefined
        ? { limit: limit + 1 }
        : before
          ? { limit: limit + 1, beforeId: cursorId }
          : { limit: limit + 1, afterId: cursorId },
    );
    const more = rows.length > limit;
    const fromEnd = cursorId === undefined || before;
    const page = !more ? rows : fromEnd ? rows.slice(1) : rows.slice(0, limit);
    return {
      messages: await this.views.render(page, readerOf(actor)),
      has_more_before: fromEnd ? more : true,
      has_more_after: cursorId === undefined ? false : before ? true : more,
    };
  }

  /** A channel's pinned messages, newest pin first. */
  async pinned(actor: Actor, cid: string, limit: number): Promise<GetPinnedResponse> {
    const { storage } = this.ctx;
    if ((await storage.getChannel(cid)) === null) {
      throw new ChatError('channel_not_found', `channel ${cid} does not exist`);
    }
    await this.ctx.access.requireReader(actor, cid);
    const rows = await storage.getPinned(cid, limit);
    return { messages: await this.views.render(rows, readerOf(actor)) };
  }

  /** The message, for someone who may read its channel. */
  private async readable(
    actor: Actor,
    id: string,
  ): Promise<{ message: MessageRecord; member: MemberRecord | null }> {
    const message = await this.ctx.storage.getMessage(id);
    if (message === null) throw new ChatError('message_not_found', `message ${id} does not exist`);
    return { message, member: await this.ctx.access.requireReader(actor, message.cid) };
  }

  /** The message, for someone who may react in its channel (see AccessControl.requireWriter). */
  private async writable(actor: Actor, id: string) {
    const found = await this.readable(actor, id);
    if (found.message.deletedAt !== null) throw deleted(id);
    const channel = await requireChannel(this.ctx.storage, found.message.cid);
    await this.ctx.access.requireWriter(actor, channel, 'react', { member: found.member });
    return found;
  }

  private checkEditWindow(message: MessageRecord): void {
    const window = this.ctx.config.limits.editWindowMs;
    if (window > 0 && Date.now() - message.createdAt > window) {
      throw new ChatError('edit_window_expired', `messages may be edited for ${window} ms`, {
        edit_window_ms: window,
      });
    }
  }

  private async quotedOf(message: MessageRecord): Promise<MessageRecord | null> {
    if (message.quotedMessageId === null) return null;
    return this.ctx.storage.getMessage(message.quotedMessageId);
  }

  private async publish(cid: string, events: readonly EventRecord[]): Promise<void> {
    for (const event of events) {
      await this.ctx.bus.publish({ kind: 'channel', cid, event: event.payload as ServerEvent });
    }
  }
}

function reactionEvent(
  change: ReactionChange & { added: boolean },
  seq: number,
  at: number,
  users: ReadonlyMap<string, User>,
): Event<'reaction.new'> | Event<'reaction.deleted'> {
  return {
    type: change.added ? 'reaction.new' : 'reaction.deleted',
    cid: change.message.cid,
    seq,
    created_at: iso(at),
    message_id: change.message.id,
    reaction: toReaction(change.reaction, users),
    reaction_counts: change.message.reactionCounts,
  };
}

function readerOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.user.id : null;
}

function deleted(id: string): ChatError {
  return new ChatError('message_deleted', `message ${id} was deleted`);
}
