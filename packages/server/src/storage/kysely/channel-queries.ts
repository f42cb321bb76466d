import type { Kysely } from 'kysely';
import { ChannelNotFoundError, NotMemberError } from '../storage-errors.js';
import type {
  ChannelCursor,
  ChannelRecord,
  EventRecord,
  MemberRecord,
  MessagePage,
  MessageRecord,
} from '../storage.js';
import type { Database } from './database.js';
import { toChannel, toEvent, toMember, toMessage } from './row-mappers.js';

// Reads of channels, members, messages and events.

export async function getChannel(db: Kysely<Database>, cid: string): Promise<ChannelRecord | null> {
  const row = await db
    .selectFrom('parley_channels')
    .selectAll()
    .where('cid', '=', cid)
    .executeTakeFirst();
  return row === undefined ? null : toChannel(row);
}

export async function getMembers(db: Kysely<Database>, cid: string): Promise<MemberRecord[]> {
  const rows = await db
    .selectFrom('parley_members')
    .selectAll()
    .where('cid', '=', cid)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
  return rows.map(toMember);
}

export async function getMember(
  db: Kysely<Database>,
  cid: string,
  userId: string,
): Promise<MemberRecord | null> {
  const row = await db
    .selectFrom('parley_members')
    .selectAll()
    .where('cid', '=', cid)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row === undefined ? null : toMember(row);
}

/** The member, or ChannelNotFoundError / NotMemberError saying why there is none. */
export async function memberOrThrow(
  db: Kysely<Database>,
  cid: string,
  userId: string,
): Promise<MemberRecord> {
  const member = await getMember(db, cid, userId);
  if (member !== null) return member;
  if ((await getChannel(db, cid)) === null) throw new ChannelNotFoundError(cid);
  throw new NotMemberError(cid, userId);
}

/** Which of `userIds` are members of the channel. */
export async function memberIdsAmong(
  db: Kysely<Database>,
  cid: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('parley_members')
    .select('user_id')
    .where('cid', '=', cid)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((row) => row.user_id));
}

export async function queryChannels(
  db: Kysely<Database>,
  query: {
    userId: string;
    type?: string | undefined;
    cursor?: ChannelCursor | undefined;
    limit: number;
  },
): Promise<ChannelRecord[]> {
  const { userId, type, cursor, limit } = query;
  let select = db
    .selectFrom('parley_channels as c')
    .innerJoin('parley_members as m', 'm.cid', 'c.cid')
    .selectAll('c')
    .where('m.user_id', '=', userId)
    .orderBy('c.activity_at', 'desc')
    .orderBy('c.cid', 'desc')
    .limit(limit);
  if (type !== undefined) select = select.where('c.type', '=', type);
  if (cursor !== undefined) {
    // Strictly after the cursor in (activity_at desc, cid desc) order.
    select = select.where((eb) =>
      eb.or([
        eb('c.activity_at', '<', cursor.activityAt),
        eb.and([eb('c.activity_at', '=', cursor.activityAt), eb('c.cid', '<', cursor.cid)]),
      ]),
    );
  }
  return (await select.execute()).map(toChannel);
}

export async function getChannelIdsOf(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('parley_members')
    .select('cid')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((row) => row.cid);
}

export async function getMessage(db: Kysely<Database>, id: string): Promise<MessageRecord | null> {
  const row = await db
    .selectFrom('parley_messages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : toMessage(row);
}

export async function getMessages(
  db: Kysely<Database>,
  cid: string,
  page: MessagePage,
): Promise<MessageRecord[]> {
  const { limit, beforeSeq, afterSeq, beforeId, afterId } = page;
  // A cursor message's seq, read in the page's own query (no row when it is elsewhere).
  const seqOf = (id: string) =>
    db.selectFrom('parley_messages').select('seq').where('id', '=', id).where('cid', '=', cid);
  let select = db.selectFrom('parley_messages').selectAll().where('cid', '=', cid).limit(limit);
  if (beforeSeq !== undefined) select = select.where('seq', '<', beforeSeq);
  if (beforeId !== undefined) select = select.where('seq', '<', seqOf(beforeId));
  // After a bound: the first `limit` after it (both bounds apply when both are given).
  if (afterSeq !== undefined || afterId !== undefined) {
    if (afterSeq !== undefined) select = select.where('seq', '>', afterSeq);
    if (afterId !== undefined) select = select.where('seq', '>', seqOf(afterId));
    const rows = await select.orderBy('seq', 'asc').execute();
    return rows.map(toMessage);
  }
  const rows = await select.orderBy('seq', 'desc').execute();
  return rows.reverse().map(toMessage);
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

export async function getUnreadCounts(
  db: Kysely<Database>,
  userId: string,
  cids?: readonly string[],
): Promise<Map<string, number>> {
  if (cids?.length === 0) return new Map();
  let select = db
    .selectFrom('parley_members as mb')
    .innerJoin('parley_messages as m', (join) =>
      join.onRef('m.cid', '=', 'mb.cid').onRef('m.seq', '>', 'mb.last_read_seq'),
    )
    .where('mb.user_id', '=', userId)
    // System messages have no author and count as unread for everyone.
    .where((eb) =>
      eb.or([eb('m.user_id', 'is', null), eb('m.user_id', '!=', eb.ref('mb.user_id'))]),
    )
    .select((eb) => ['m.cid', eb.fn.countAll<number>().as('unread')])
    .groupBy('m.cid');
  if (cids !== undefined) select = select.where('mb.cid', 'in', cids);
  const rows = await select.execute();
  return new Map(rows.map((row) => [row.cid, row.unread]));
}
