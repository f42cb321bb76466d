import { DEFAULT_LIMITS } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { TooManyReactionTypesError } from '../storage-errors.js';
import type {
  EventBuilder,
  EventRecord,
  MessageRecord,
  ReactionChange,
  ReactionRecord,
} from '../storage.js';
import { appendEvents, bumpChannel, newEvent, type Trx } from './channel-transaction.js';
import type { Database } from './database.js';
import { channelOfMessage, lockMessage } from './message-edits.js';
import { latestReactionsColumn, toReaction } from './row-mappers.js';

// Reactions: one per user, message and type; each added or removed one is a channel event.

type ReactionEventBuilder = EventBuilder<ReactionChange & { added: boolean }>;

export async function addReaction(
  db: Kysely<Database>,
  reaction: { messageId: string; userId: string; type: string; score: number },
  options: { unique: boolean; maxTypes: number },
  now: number,
  buildEvent: ReactionEventBuilder,
): Promise<{
  message: MessageRecord;
  reaction: ReactionRecord;
  events: EventRecord[];
  duplicate: boolean;
}> {
  const { messageId, userId, type } = reaction;
  const cid = await channelOfMessage(db, messageId);
  return db.transaction().execute(async (trx) => {
    const message = await lockMessage(trx, cid, messageId);
    const mine = await trx
      .selectFrom('parley_reactions')
      .selectAll()
      .where('message_id', '=', messageId)
      .where('user_id', '=', userId)
      .execute();
    const had = mine.map(toReaction).find((r) => r.type === type);
    const removed = options.unique ? mine.map(toReaction).filter((r) => r.type !== type) : [];
    // Sent again (a retry, a double click): nothing changes and nobody is told.
    if (had !== undefined && removed.length === 0) {
      return { message, reaction: had, events: [], duplicate: true };
    }
    const counts = { ...message.reactionCounts };
    for (const r of removed) decrement(counts, r.type);
    if (had === undefined && counts[type] === undefined) {
      if (Object.keys(counts).length >= options.maxTypes) {
        throw new TooManyReactionTypesError(messageId, options.maxTypes);
      }
    }
    const added: ReactionRecord = had ?? {
      messageId,
      userId,
      type,
      score: reaction.score,
      createdAt: now,
      updatedAt: now,
    };
    if (had === undefined) counts[type] = (counts[type] ?? 0) + 1;
    const changes = [
      ...removed.map((r) => ({ reaction: r, added: false })),
      ...(had === undefined ? [{ reaction: added, added: true }] : []),
    ];
    const channel = await bumpChannel(trx, message.cid, { events: changes.length });
    if (removed.length > 0) {
      await trx
        .deleteFrom('parley_reactions')
        .where('message_id', '=', messageId)
        .where('user_id', '=', userId)
        .where('type', '!=', type)
        .execute();
    }
    if (had === undefined) {
      await trx
        .insertInto('parley_reactions')
        .values({
          message_id: messageId,
          user_id: userId,
          type,
          cid: message.cid,
          score: added.score,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const after = await storeSummary(trx, message, counts);
    const events = changes.map((change, i) =>
      newEvent(
        message.cid,
        change.added ? 'reaction.new' : 'reaction.deleted',
        channel.last_seq - changes.length + 1 + i,
        now,
        { reaction: change.reaction, message: after, added: change.added },
        buildEvent,
        messageId,
      ),
    );
    await appendEvents(trx, events);
    return { message: after, reaction: added, events, duplicate: false };
  });
}

export async function removeReaction(
  db: Kysely<Database>,
  messageId: string,
  userId: string,
  type: string,
  now: number,
  buildEvent: ReactionEventBuilder,
): Promise<{ message: MessageRecord; event: EventRecord | null }> {
  const cid = await channelOfMessage(db, messageId);
  return db.transaction().execute(async (trx) => {
    const message = await lockMessage(trx, cid, messageId);
    const row = await trx
      .deleteFrom('parley_reactions')
      .where('message_id', '=', messageId)
      .where('user_id', '=', userId)
      .where('type', '=', type)
      .returningAll()
      .executeTakeFirst();
    // Not there (never added, or removed by a previous try): nothing to tell.
    if (row === undefined) return { message, event: null };
    const counts = { ...message.reactionCounts };
    decrement(counts, type);
    const channel = await bumpChannel(trx, message.cid, { events: 1 });
    const after = await storeSummary(trx, message, counts);
    const event = newEvent(
      message.cid,
      'reaction.deleted',
      channel.last_seq,
      now,
      { reaction: toReaction(row), message: after, added: false },
      buildEvent,
      messageId,
    );
    await appendEvents(trx, [event]);
    return { message: after, event };
  });
}

/** Writes the message's counts and newest reactions (read back from the table). */
async function storeSummary(
  trx: Trx,
  message: MessageRecord,
  counts: Record<string, number>,
): Promise<MessageRecord> {
  const newest = await trx
    .selectFrom('parley_reactions')
    .selectAll()
    .where('message_id', '=', message.id)
    .orderBy('created_at', 'desc')
    .orderBy('user_id', 'desc')
    .orderBy('type', 'desc')
    .limit(DEFAULT_LIMITS.latestReactions)
    .execute();
  const latestReactions = newest.map(toReaction);
  await trx
    .updateTable('parley_messages')
    .set({
      reaction_counts: JSON.stringify(counts),
      latest_reactions: latestReactionsColumn(latestReactions),
    })
    .where('id', '=', message.id)
    .execute();
  return { ...message, reactionCounts: counts, latestReactions };
}

function decrement(counts: Record<string, number>, type: string): void {
  const left = (counts[type] ?? 0) - 1;
  if (left > 0) counts[type] = left;
  else delete counts[type];
}
