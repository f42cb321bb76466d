import type { Message } from '@parley/protocol';
import type { EventScrubber, MessageRecord } from '../storage/storage.js';
import type { ServiceContext } from './context.js';
import type { UserService } from './user-service.js';
import { iso, toMessage, userIdsOf } from './wire.js';

/**
 * Stored messages as one reader sees them: with their authors, mentioned users, quotes and
 * reactions, and the reader's own reactions. A page costs a few queries whatever its size:
 * the users, the quoted messages and the reader's reactions, each only when needed.
 */
export class MessageViews {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
  ) {}

  async render(records: readonly MessageRecord[], readerId: string | null): Promise<Message[]> {
    if (records.length === 0) return [];
    if (readerId !== null) {
      // A reader never sees the messages of users they blocked (events still carry them,
      // so that seqs stay whole: clients hide those by the reader's block list).
      const blocked = await this.ctx.access.blockedBy(readerId);
      if (blocked.size > 0) {
        records = records.filter((r) => r.userId === null || !blocked.has(r.userId));
        if (records.length === 0) return [];
      }
    }
    return this.renderAll(records, readerId);
  }

  /** One message, asked for by id: shown even if the reader blocked its author. */
  async renderOne(record: MessageRecord, readerId: string | null): Promise<Message> {
    return (await this.renderAll([record], readerId))[0]!;
  }

  private async renderAll(
    records: readonly MessageRecord[],
    readerId: string | null,
  ): Promise<Message[]> {
    const { storage } = this.ctx;
    const quotedIds = [...new Set(records.flatMap((r) => r.quotedMessageId ?? []))];
    const reacted = records.filter((r) => r.latestReactions.length > 0).map((r) => r.id);
    const [quotedList, own] = await Promise.all([
      quotedIds.length === 0 ? Promise.resolve([]) : storage.getMessagesByIds(quotedIds),
      readerId === null || reacted.length === 0
        ? Promise.resolve(new Map())
        : storage.getOwnReactions(readerId, reacted),
    ]);
    const quoted = new Map(quotedList.map((m) => [m.id, m]));
    const quoteOf = (r: MessageRecord) =>
      r.quotedMessageId === null ? null : (quoted.get(r.quotedMessageId) ?? null);
    const users = await this.users.usersById(records.flatMap((r) => userIdsOf(r, quoteOf(r))));
    const files = this.ctx.fileUrls;
    return records.map((r) =>
      toMessage(r, { users, quoted: quoteOf(r), own: own.get(r.id), files }),
    );
  }
}

/**
 * Rewrites a stored event that carries a deleted message — as its subject, or quoted by
 * another — so that replaying the log hands out the tombstone, not what was deleted.
 */
export const scrubDeleted: EventScrubber = (payload, tombstone) => {
  const message = payload.message as Message | undefined;
  if (message === undefined) return payload;
  const deletedAt = iso(tombstone.deletedAt ?? tombstone.updatedAt);
  if (message.id === tombstone.id) {
    const scrubbed: Message = {
      ...message,
      text: '',
      data: {},
      attachments: [],
      mentioned_users: [],
      reaction_counts: {},
      latest_reactions: [],
      own_reactions: [],
      pinned: false,
      pinned_at: null,
      pinned_by: null,
      quoted_message_id: null,
      quoted_message: null,
      updated_at: iso(tombstone.updatedAt),
      deleted_at: deletedAt,
    };
    return { ...payload, message: scrubbed };
  }
  if (message.quoted_message?.id === tombstone.id) {
    const quote = { ...message.quoted_message, text: '', deleted_at: deletedAt };
    return { ...payload, message: { ...message, quoted_message: quote } };
  }
  return payload;
};
