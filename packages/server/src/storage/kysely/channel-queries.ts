import type { Kysely } from 'kysely';
import { ChannelNotFoundError, NotMemberError } from '../storage-errors.js';
import type { ChannelCursor, ChannelRecord, MemberRecord } from '../storage.js';
import type { Database } from './database.js';
import { executePrepared } from './prepared-statements.js';
import { toChannel, toMember } from './row-mappers.js';

// Reads of channels and members. (Messages and events: message-queries.ts.)

export async function getChannel(db: Kysely<Database>, cid: string): Promise<ChannelRecord | null> {
  const row = await db
    .selectFrom('parley_channels')
    .selectAll()
    .where('cid', '=', cid)
    .executeTakeFirst();
  return row === undefined ? null : toChannel(row);
}

export async function getChannels(
  db: Kysely<Database>,
  cids: readonly string[],
): Promise<ChannelRecord[]> {
  if (cids.length === 0) return [];
  const rows = await db
    .selectFrom('parley_channels')
    .selectAll()
    .where('cid', 'in', cids)
    .execute();
  return rows.map(toChannel);
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
  // Every history page reads the reader's membership: compiled once.
  const [row] = await executePrepared(db, 'members.one', [cid, userId] as const, (c, u) =>
    db.selectFrom('parley_members').selectAll().where('cid', '=', c).where('user_id', '=', u),
  );
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
    userId: string | null;
    type?: string | undefined;
    cursor?: ChannelCursor | undefined;
    limit: number;
  },
): Promise<ChannelRecord[]> {
  const { userId, type, cursor, limit } = query;
  // A user's channels through their memberships; every channel (operators) without one.
  const every = () => db.selectFrom('parley_channels as c').selectAll('c');
  // The join adds table m to the builder's type; what follows reads c alone, so the
  // user's query is typed as the plain one.
  let select =
    userId === null
      ? every()
      : (db
          .selectFrom('parley_channels as c')
          .innerJoin('parley_members as m', 'm.cid', 'c.cid')
          .selectAll('c')
          .where('m.user_id', '=', userId) as unknown as ReturnType<typeof every>);
  select = select.orderBy('c.activity_at', 'desc').orderBy('c.cid', 'desc').limit(limit);
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
