import type { Kysely, SelectQueryBuilder } from 'kysely';
import type {
  EventRecord,
  MessagePage,
  MessageRecord,
  ReactionCursor,
  ReactionRecord,
} from '../storage.js';
import type { Database, MessagesTable } from './database.js';
import { executePrepared } from './prepared-statements.js';
import { toEvent, toMessage, toReaction } from './row-mappers.js';

// Reads of messages, threads, reactions and the event log.

export async function getMessage(db: Kysely<Database>, id: string): Promise<MessageRecord | null> {
  const row = await db
    .selectFrom('parley_messages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : toMessage(row);
}

export async function getMessagesByIds(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<MessageRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('parley_messages').selectAll().where('id', 'in', ids).execute();
  return rows.map(toMessage);
}

type MessageSelect = SelectQueryBuilder<Database, 'parley_messages', MessagesTable>;

/**
 * A channel's history: its messages, and the replies shown in the channel; replies kept in
 * their thread are read with getReplies.
 */
export function getMessages(
  db: Kysely<Database>,
  cid: string,
  page: MessagePage,
): Promise<MessageRecord[]> {
  return pageOf(db, 'messages.page', cid, page, {
    base: (channel) =>
      db
        .selectFrom('parley_messages')
        .selectAll()
        .where('cid', '=', channel)
        .where((eb) => eb.or([eb('parent_id', 'is', null), eb('show_in_channel', '=', 1)])),
    seqOf: (id, channel) =>
      db
        .selectFrom('parley_messages')
        .select('seq')
        .where('id', '=', id)
        .where('cid', '=', channel),
  });
}

/** A thread's replies, oldest first, paged by seq like a channel's history. */
export function getReplies(
  db: Kysely<Database>,
  parentId: string,
  page: MessagePage,
): Promise<MessageRecord[]> {
  return pageOf(db, 'messages.replies', parentId, page, {
    base: (parent) => db.selectFrom('parley_messages').selectAll().where('parent_id', '=', parent),
    seqOf: (id, parent) =>
      db
        .selectFrom('parley_messages')
        .select('seq')
        .where('id', '=', id)
        .where('parent_id', '=', parent),
  });
}

/**
 * The page of `query.base(scope)` a MessagePage asks for, oldest first. `scope` is the
 * channel or the thread; a cursor message's seq is read in the page's own query
 * (`query.seqOf`: no row when it is elsewhere).
 */
async function pageOf(
  db: Kysely<Database>,
  name: string,
  scope: string,
  page: MessagePage,
  query: {
    base: (scope: string) => MessageSelect;
    seqOf: (
      id: string,
      scope: string,
    ) => SelectQueryBuilder<Database, 'parley_messages', { seq: number }>;
  },
): Promise<MessageRecord[]> {
  const { limit, beforeSeq, afterSeq, beforeId, afterId } = page;
  const after = afterSeq !== undefined || afterId !== undefined;
  // One compiled statement per combination of bounds and page size (see
  // prepared-statements.ts): SQLite has the limit in the text (InlineLimitPlugin).
  const bounds = [beforeSeq, beforeId, afterSeq, afterId].map((b) => (b === undefined ? '-' : 'x'));
  const shape = `${name}:${bounds.join('')}:${limit}`;
  const rows = await executePrepared(
    db,
    shape,
    [scope, beforeSeq ?? 0, beforeId ?? '', afterSeq ?? 0, afterId ?? ''] as const,
    (scopeValue, beforeSeqValue, beforeIdValue, afterSeqValue, afterIdValue) => {
      const seqOf = (id: string) => query.seqOf(id, scopeValue);
      let select = query.base(scopeValue).limit(limit);
      if (beforeSeq !== undefined) select = select.where('seq', '<', beforeSeqValue);
      if (beforeId !== undefined) select = select.where('seq', '<', seqOf(beforeIdValue));
      // After a bound: the first `limit` after it (both bounds apply when both are given).
      if (afterSeq !== undefined) select = select.where('seq', '>', afterSeqValue);
      if (afterId !== undefined) select = select.where('seq', '>', seqOf(afterIdValue));
      return select.orderBy('seq', after ? 'asc' : 'desc');
    },
  );
  return after ? rows.map(toMessage) : rows.reverse().map(toMessage);
}

/** A channel's pinned messages, newest pin first. */
export async function getPinned(
  db: Kysely<Database>,
  cid: string,
  limit: number,
): Promise<MessageRecord[]> {
  const rows = await db
    .selectFrom('parley_messages')
    .selectAll()
    .where('cid', '=', cid)
    .where('pinned_at', 'is not', null)
    .orderBy('pinned_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toMessage);
}

/** A message's reactions, newest first, strictly after `page.after` in that order. */
export async function getReactions(
  db: Kysely<Database>,
  messageId: string,
  page: { type?: string | undefined; after?: ReactionCursor | undefined; limit: number },
): Promise<ReactionRecord[]> {
  let select = db
    .selectFrom('parley_reactions')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('created_at', 'desc')
    .orderBy('user_id', 'desc')
    .orderBy('type', 'desc')
    .limit(page.limit);
  if (page.type !== undefined) select = select.where('type', '=', page.type);
  const after = page.after;
  if (after !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('user_id', '<', after.userId)]),
        eb.and([
          eb('created_at', '=', after.createdAt),
          eb('user_id', '=', after.userId),
          eb('type', '<', after.type),
        ]),
      ]),
    );
  }
  return (await select.execute()).map(toReaction);
}

export async function getOwnReactions(
  db: Kysely<Database>,
  userId: string,
  messageIds: readonly string[],
): Promise<Map<string, ReactionRecord[]>> {
  const own = new Map<string, ReactionRecord[]>();
  if (messageIds.length === 0) return own;
  const rows = await db
    .selectFrom('parley_reactions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('message_id', 'in', messageIds)
    .orderBy('created_at', 'desc')
    .execute();
  for (const row of rows) {
    const list = own.get(row.message_id);
    if (list === undefined) own.set(row.message_id, [toReaction(row)]);
    else list.push(toReaction(row));
  }
  return own;
}

export async function getEvents(
  db: Kysely<Database>,
  cid: string,
  sinceSeq: number,
  limit: number,
): Promise<EventRecord[]> {
  const rows = await db
    .selectFrom('parley_events')
    .selectAll()
    .where('cid', '=', cid)
    .where('seq', '>', sinceSeq)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

/**
 * Unread messages per channel, and how many of them mention the user. A message counts
 * when it is after the member's read position, from someone else (system messages count
 * for everyone), not deleted, and shown in the channel (not a reply kept in its thread).
 */
export async function getUnreadCounts(
  db: Kysely<Database>,
  userId: string,
  cids?: readonly string[],
): Promise<Map<string, { unread: number; mentions: number }>> {
  if (cids?.length === 0) return new Map();
  let select = db
    .selectFrom('parley_members as mb')
    .innerJoin('parley_messages as m', (join) =>
      join.onRef('m.cid', '=', 'mb.cid').onRef('m.seq', '>', 'mb.last_read_seq'),
    )
    .leftJoin('parley_mentions as mn', (join) =>
      join.onRef('mn.message_id', '=', 'm.id').onRef('mn.user_id', '=', 'mb.user_id'),
    )
    .where('mb.user_id', '=', userId)
    .where((eb) =>
      eb.or([eb('m.user_id', 'is', null), eb('m.user_id', '!=', eb.ref('mb.user_id'))]),
    )
    .where('m.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('m.parent_id', 'is', null), eb('m.show_in_channel', '=', 1)]))
    .select((eb) => [
      'm.cid',
      eb.fn.countAll<number>().as('unread'),
      eb.fn.count<number>('mn.user_id').as('mentions'),
    ])
    .groupBy('m.cid');
  if (cids !== undefined) select = select.where('mb.cid', 'in', cids);
  const rows = await select.execute();
  // PostgreSQL answers count() as a string (bigint).
  return new Map(
    rows.map((row) => [row.cid, { unread: Number(row.unread), mentions: Number(row.mentions) }]),
  );
}
