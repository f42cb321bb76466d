import { randomUUID } from 'node:crypto';
import {
  ChatError,
  type Message,
  type SendMessageRequest,
  type SendMessageResponse,
  type ServerEvent,
} from '@parley/protocol';
import type { MessageChange, NewMessage, SendResult, ThreadUpdate } from '../storage/storage.js';
import type { FlagRecord } from '../storage/moderation-records.js';
import { flagCreated } from './app-events.js';
import { actingUserId, checkData, checkText } from './access.js';
import { blockedText } from '../permissions/blocklist.js';
import type { ChannelAction } from '@parley/protocol';
import type { Actor, ServiceContext } from './context.js';
import { GroupCommit } from './group-commit.js';
import type { MessageViews } from './message-views.js';
import type { UserService } from './user-service.js';
import { iso, toChannel, toMessage } from './wire.js';

type MessageNewEvent = Extract<ServerEvent, { type: 'message.new' }>;
type ThreadState = NonNullable<MessageNewEvent['thread']>;

/** A send queued for storage. An object, so that awaiting the queueing does not await `stored`. */
export interface QueuedSend {
  stored: Promise<SendMessageResponse>;
}

/** Sending messages: checks, group commit, fan-out (reading them: ChannelReads). */
export class MessageService {
  private readonly sends: GroupCommit<NewMessage, SendMessageResponse>;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
    private readonly views: MessageViews,
  ) {
    // Over a network (PostgreSQL), two batches are written at once where they share no
    // channel (else the second reads while the first writes); a SQLite file is in the
    // process, where there is nothing to overlap.
    this.sends = new GroupCommit(
      (batch) => this.storeBatch(batch),
      ctx.config.maxSendBatch,
      ctx.storage.dialect === 'postgres' ? 2 : 1,
    );
  }

  /**
   * Stores a message, then fans it out. Resolves only once it is durably stored. Sends
   * that arrive together are stored together (see GroupCommit).
   */
  async send(actor: Actor, cid: string, req: SendMessageRequest): Promise<SendMessageResponse> {
    return (await this.queue(actor, cid, req)).stored;
  }

  /**
   * The first half of `send`: checks the message and queues it for storage. Resolves once
   * it is queued (or refused): messages queued one after another are stored in that
   * order, and `stored` resolves as `send` does.
   */
  async queue(actor: Actor, cid: string, req: SendMessageRequest): Promise<QueuedSend> {
    const type = req.type ?? 'regular';
    if (actor.kind === 'user' && type === 'system') {
      throw new ChatError('forbidden', 'only server-side calls may send system messages');
    }
    if (actor.kind === 'user' && req.created_at !== undefined) {
      throw new ChatError('forbidden', 'only server-side calls may set created_at');
    }
    const authorId =
      type === 'system' ? actingUserId(actor, req.user_id, true) : actingUserId(actor, req.user_id);
    const { limits } = this.ctx.config;
    const attachmentIds = req.attachments?.map((a) => a.id) ?? [];
    // A message of files alone needs no text; an empty one needs some.
    const checkBody = (maxLength: number) => {
      if (attachmentIds.length === 0 || req.text !== '') checkText(req.text, maxLength);
      checkData(req.data, limits.maxCustomDataBytes);
    };
    if (actor.kind !== 'user') {
      checkBody(limits.maxMessageLength);
      const message = this.newMessage(actor, cid, req, authorId, req.text, attachmentIds);
      return { stored: this.sends.submit(message) };
    }

    // A user's send: everything the access rules need is cached or read with the batch.
    const { access } = this.ctx;
    const userId = actor.user.id;
    const [channelType, blockers] = await Promise.all([
      access.typeOfCid(cid),
      access.blockersOf(userId),
    ]);
    await access.refuseRestricted(userId, cid);
    checkBody(channelType.maxMessageLength ?? limits.maxMessageLength);
    const verdict = channelType.blocklist.check(req.text);
    if (verdict.action === 'block') throw blockedText(verdict.matched);
    const message = this.newMessage(actor, cid, req, authorId, verdict.masked, attachmentIds);
    const needs: ChannelAction[] = [req.parent_id == null ? 'send' : 'reply'];
    if ((req.mentioned_users?.length ?? 0) > 0) needs.push('mention');
    if (attachmentIds.length > 0) needs.push('upload');
    message.check = access.sendCheck(actor, channelType, blockers, needs);
    try {
      await this.ctx.rateLimits.consumeMessage(userId);
      if (channelType.slowModeS > 0) {
        const member = await this.ctx.storage.getMember(cid, userId);
        await access.consumeSlowMode(actor, cid, channelType, member);
      }
    } catch (error) {
      // A retry of a stored message is answered even when the budget is spent, so an
      // offline queue that resends is never refused for it.
      const stored = req.id === undefined ? null : await this.ctx.storage.getMessage(req.id);
      if (stored === null || stored.cid !== cid || stored.userId !== userId) throw error;
      const message = await this.views.renderOne(stored, userId);
      return { stored: Promise.resolve({ message, duplicate: true }) };
    }
    // Only what is stored spends the budget: a retry or a refused send gives it back.
    const refund = () => this.ctx.rateLimits.refundMessage(userId);
    return {
      stored: this.sends.submit(message).then(
        async (result) => {
          if (result.duplicate) await refund();
          else if (verdict.action === 'flag')
            await this.flagStored(result.message, verdict.matched);
          return result;
        },
        async (error: unknown) => {
          await refund();
          throw error;
        },
      ),
    };
  }

  private newMessage(
    actor: Actor,
    cid: string,
    req: SendMessageRequest,
    authorId: string | null,
    text: string,
    attachmentIds: string[],
  ): NewMessage {
    return {
      id: req.id ?? randomUUID(),
      cid,
      type: req.type ?? 'regular',
      userId: authorId,
      text,
      data: req.data ?? {},
      createdAt: req.created_at === undefined ? Date.now() : Date.parse(req.created_at),
      allowNonMember: actor.kind === 'user' && actor.user.role === 'admin',
      parentId: req.parent_id,
      showInChannel: req.show_in_channel,
      quotedMessageId: req.quoted_message_id,
      mentionedUserIds: req.mentioned_users,
      attachmentIds,
    };
  }

  /** A stored message the blocklist flags: queued for moderators, audited. */
  private async flagStored(message: Message, matched: readonly string[]): Promise<void> {
    const now = Date.now();
    const id = randomUUID();
    const reason = `blocklist: ${matched.join(', ')}`;
    const flag: FlagRecord = {
      id,
      kind: 'blocklist',
      cid: message.cid,
      messageId: message.id,
      targetUserId: message.user_id,
      flaggedBy: null,
      reason,
      createdAt: now,
      resolution: null,
    };
    try {
      await this.ctx.storage.addFlag(
        flag,
        {
          id: randomUUID(),
          createdAt: now,
          action: 'flag',
          actorId: null,
          targetUserId: message.user_id,
          cid: message.cid,
          messageId: message.id,
          reason,
          data: { flag_id: id, kind: 'blocklist' },
        },
        flagCreated(flag),
      );
    } catch (err) {
      // The message is stored and acknowledged; a lost flag is logged, not the send's failure.
      this.ctx.logger.error({ err, messageId: message.id }, 'blocklist flag failed');
    }
  }

  /** GroupCommit's batch: one transaction for all, then each is fanned out and answered. */
  private async storeBatch(
    batch: NewMessage[],
  ): Promise<PromiseSettledResult<SendMessageResponse>[]> {
    const { storage } = this.ctx;
    this.ctx.metrics.sendBatchSize.observe(batch.length);
    // The event is built inside the transaction, from what is at hand: the users it names
    // (authors, mentioned users, quoted authors) are read meanwhile, beside the batch's
    // own reads.
    const builder = (async () => {
      const quotedIds = [...new Set(batch.flatMap((m) => m.quotedMessageId ?? []))];
      const quoted = quotedIds.length === 0 ? [] : await storage.getMessagesByIds(quotedIds);
      const users = await this.users.usersById([
        ...batch.flatMap((m) => [
          ...(m.userId === null ? [] : [m.userId]),
          ...(m.mentionedUserIds ?? []),
        ]),
        ...quoted.flatMap((m) => (m.userId === null ? [] : [m.userId])),
      ]);
      return (change: MessageChange, seq: number): MessageNewEvent => {
        const message = toMessage(
          { ...change.message, seq },
          { users, quoted: change.quoted, files: this.ctx.fileUrls },
        );
        const event: MessageNewEvent = {
          type: 'message.new',
          cid: message.cid,
          seq,
          created_at: message.created_at,
          message,
        };
        if (change.thread !== null) event.thread = toThread(change.thread);
        return event;
      };
    })();
    // Written after the batch before it where they share a channel (its seqs come first),
    // and alongside it elsewhere.
    const results = await storage.sendMessages(batch, builder);
    return Promise.allSettled(
      results.map(async (result): Promise<SendMessageResponse> => {
        switch (result.status) {
          case 'failed':
            throw result.error;
          case 'duplicate':
            return {
              message: await this.views.renderOne(result.message, result.message.userId),
              duplicate: true,
            };
          case 'stored':
            return { message: await this.fanOut(result), duplicate: false };
        }
      }),
    );
  }

  /** Publishes a stored message (and the end of its author's typing); returns its wire form. */
  private async fanOut(stored: Extract<SendResult, { status: 'stored' }>): Promise<Message> {
    const { message, channel, memberIds } = stored;
    const { cid, userId } = message;
    const event = stored.event.payload as MessageNewEvent;
    this.ctx.metrics.messages.inc();
    // Fan-out restores seq order on the receiving side (ChannelSequencer), so publishes
    // of concurrent sends may leave in any order.
    // Members who do not watch hear of it, unless it is a reply kept in its thread, which
    // counts as unread for nobody; mentioned members hear of it either way.
    const inChannel = message.parentId === null || message.showInChannel;
    const mentioned = message.mentionedUserIds.filter((id) => id !== userId);
    const others = inChannel ? memberIds.filter((id) => id !== userId) : mentioned;
    await this.ctx.bus.publish({
      kind: 'channel',
      cid,
      event,
      notify:
        others.length === 0
          ? undefined
          : {
              memberIds: others,
              mentionedUserIds: mentioned.length === 0 ? undefined : mentioned,
              // The channel as this message left it (the batch may hold later ones).
              channel: toChannel({ ...channel, lastSeq: message.seq }),
            },
    });
    // Not awaited: with several nodes typing lives in Redis, and the ack need not wait for it.
    // Nor asked at all where no state can be (the hints): most sends follow none.
    if (userId !== null && this.ctx.typingHints.mayBeTyping(cid, userId)) {
      void this.endTyping(cid, userId);
    }
    return event.message;
  }

  /** Ends the author's typing state, if any, and tells the channel. */
  private async endTyping(cid: string, userId: string): Promise<void> {
    try {
      if (!(await this.ctx.typing.stop(cid, userId))) return;
      await this.ctx.bus.publish({
        kind: 'channel',
        cid,
        event: { type: 'typing.stop', cid, user_id: userId, created_at: iso(Date.now()) },
        skipUserId: userId,
      });
    } catch (err) {
      this.ctx.logger.error({ err, cid }, 'ending the author’s typing failed');
    }
  }
}

/** A thread's new state, as events carry it. */
export function toThread(thread: ThreadUpdate): ThreadState {
  return {
    parent_id: thread.parentId,
    reply_count: thread.replyCount,
    thread_participants: thread.threadParticipants,
  };
}
