import type { MemberRole } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type {
  ChannelRecord,
  EventBuilder,
  EventRecord,
  MemberRecord,
  NewChannel,
  UploadRecord,
} from '../storage.js';
import { memberIdsAmong } from './channel-queries.js';
import { appendEvents, bumpChannel, newEvent } from './channel-transaction.js';
import type { Database } from './database.js';
import { memberRow, parseObject, toChannel } from './row-mappers.js';
import { assertUsersExist } from './user-queries.js';
import { toUpload } from './upload-queries.js';
import { recordNewChannel } from './analytics-writes.js';

// Creating, changing and deleting channels and their members.

export async function getOrCreateChannel(
  db: Kysely<Database>,
  channel: NewChannel,
): Promise<{ channel: ChannelRecord; created: boolean }> {
  const members = uniqueBy(channel.members, (member) => member.userId);
  // A concurrent delete can remove the conflicting channel before we read it: try again.
  for (;;) {
    const result = await db.transaction().execute(async (trx) => {
      // ON CONFLICT DO NOTHING rather than catching a unique violation: on PostgreSQL this
      // insert waits for a concurrent creator's commit, then does nothing, and the select
      // below (a new snapshot under READ COMMITTED) sees that creator's channel.
      const inserted = await trx
        .insertInto('parley_channels')
        .values({
          cid: channel.cid,
          type: channel.type,
          id: channel.id,
          data: JSON.stringify(channel.data),
          is_distinct: channel.distinct ? 1 : 0,
          created_by_id: channel.createdById,
          created_at: channel.now,
          updated_at: channel.now,
          last_message_at: null,
          activity_at: channel.now,
          member_count: members.length,
          last_seq: 0,
          frozen: 0,
        })
        .onConflict((oc) => oc.column('cid').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted === undefined) {
        const existing = await trx
          .selectFrom('parley_channels')
          .selectAll()
          .where('cid', '=', channel.cid)
          .executeTakeFirst();
        return existing && { channel: toChannel(existing), created: false };
      }
      await assertUsersExist(
        trx,
        members.map((member) => member.userId),
      );
      if (members.length > 0) {
        const rows = members.map((member) =>
          memberRow(newMember(channel.cid, member, channel.now)),
        );
        await trx.insertInto('parley_members').values(rows).execute();
      }
      await recordNewChannel(trx, channel.cid, channel.now);
      return { channel: toChannel(inserted), created: true };
    });
    if (result !== undefined) return result;
  }
}

export function updateChannelData(
  db: Kysely<Database>,
  cid: string,
  change: { set: Record<string, unknown>; unset: readonly string[] },
  now: number,
  buildEvent: EventBuilder<ChannelRecord>,
): Promise<{ channel: ChannelRecord; event: EventRecord }> {
  return db.transaction().execute(async (trx) => {
    const row = await bumpChannel(trx, cid, { events: 1, updatedAt: now });
    // Merged here rather than with SQL JSON functions, which differ by dialect; the bump
    // holds the row, so no concurrent change is lost. `unset` wins over `set`.
    const data = { ...parseObject(row.data), ...change.set };
    for (const key of change.unset) delete data[key];
    await trx
      .updateTable('parley_channels')
      .set({ data: JSON.stringify(data) })
      .where('cid', '=', cid)
      .execute();
    const channel = { ...toChannel(row), data };
    const event = newEvent(cid, 'channel.updated', row.last_seq, now, channel, buildEvent);
    await appendEvents(trx, [event]);
    return { channel, event };
  });
}

export function deleteChannel(
  db: Kysely<Database>,
  cid: string,
): Promise<{ uploads: UploadRecord[] } | null> {
  return db.transaction().execute(async (trx) => {
    // Lock the row first, so that no concurrent change adds rows that reference it.
    const locked = await trx
      .updateTable('parley_channels')
      .set((eb) => ({ last_seq: eb.ref('last_seq') }))
      .where('cid', '=', cid)
      .returning('cid')
      .executeTakeFirst();
    if (locked === undefined) return null;
    // Every upload for the channel, sent or not; the blobs go once this commits.
    const uploads = await trx
      .deleteFrom('parley_uploads')
      .where('cid', '=', cid)
      .returningAll()
      .execute();
    await trx.deleteFrom('parley_events').where('cid', '=', cid).execute();
    await trx.deleteFrom('parley_messages').where('cid', '=', cid).execute();
    await trx.deleteFrom('parley_members').where('cid', '=', cid).execute();
    await trx.deleteFrom('parley_channels').where('cid', '=', cid).execute();
    return { uploads: uploads.map(toUpload) };
  });
}

export function addMembers(
  db: Kysely<Database>,
  cid: string,
  members: readonly { userId: string; role: MemberRole }[],
  now: number,
  buildEvent: EventBuilder<MemberRecord>,
): Promise<{ channel: ChannelRecord; added: MemberRecord[]; events: EventRecord[] }> {
  return db.transaction().execute(async (trx) => {
    // Lock without taking a seq: how many are needed is known only once members are read.
    const locked = await bumpChannel(trx, cid, { events: 0 });
    const existing = await memberIdsAmong(
      trx,
      cid,
      members.map((member) => member.userId),
    );
    const fresh = uniqueBy(members, (member) => member.userId).filter(
      (member) => !existing.has(member.userId),
    );
    if (fresh.length === 0) return { channel: toChannel(locked), added: [], events: [] };
    await assertUsersExist(
      trx,
      fresh.map((member) => member.userId),
    );

    const n = fresh.length;
    const row = await bumpChannel(trx, cid, { events: n, memberDelta: n, updatedAt: now });
    // History from before someone joined is not news to them: it starts out read.
    const added = fresh.map((member) => newMember(cid, member, now, locked.last_seq));
    await trx.insertInto('parley_members').values(added.map(memberRow)).execute();
    const firstSeq = row.last_seq - n + 1;
    const events = added.map((member, i) =>
      newEvent(cid, 'member.added', firstSeq + i, now, member, buildEvent),
    );
    await appendEvents(trx, events);
    return { channel: toChannel(row), added, events };
  });
}

export function removeMembers(
  db: Kysely<Database>,
  cid: string,
  userIds: readonly string[],
  now: number,
  buildEvent: EventBuilder<string>,
): Promise<{ channel: ChannelRecord; removed: string[]; events: EventRecord[] }> {
  return db.transaction().execute(async (trx) => {
    const locked = await bumpChannel(trx, cid, { events: 0 });
    const existing = await memberIdsAmong(trx, cid, userIds);
    const removed = [...new Set(userIds)].filter((userId) => existing.has(userId));
    if (removed.length === 0) return { channel: toChannel(locked), removed, events: [] };

    const n = removed.length;
    const row = await bumpChannel(trx, cid, { events: n, memberDelta: -n, updatedAt: now });
    await trx
      .deleteFrom('parley_members')
      .where('cid', '=', cid)
      .where('user_id', 'in', removed)
      .execute();
    const firstSeq = row.last_seq - n + 1;
    const events = removed.map((userId, i) =>
      newEvent(cid, 'member.removed', firstSeq + i, now, userId, buildEvent),
    );
    await appendEvents(trx, events);
    return { channel: toChannel(row), removed, events };
  });
}

function newMember(
  cid: string,
  member: { userId: string; role: MemberRole },
  now: number,
  lastReadSeq = 0,
): MemberRecord {
  return {
    cid,
    userId: member.userId,
    role: member.role,
    createdAt: now,
    lastReadSeq,
    lastReadMessageId: null,
    lastReadAt: null,
  };
}

/** Drops the items whose key an earlier item has. */
function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.values()];
}
