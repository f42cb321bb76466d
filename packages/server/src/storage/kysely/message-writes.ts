import type { Kysely } from 'kysely';
import type { EventBuilder, EventRecord, MemberRecord } from '../storage.js';
import { memberOrThrow } from './channel-queries.js';
import { appendEvents, bumpChannel, newEvent, Rollback } from './channel-transaction.js';
import type { Database } from './database.js';
import { toMember } from './row-mappers.js';

// Moving read positions. (Sending messages: send-messages.ts.)

export async function markRead(
  db: Kysely<Database>,
  cid: string,
  userId: string,
  upTo: { seq: number; messageId: string | null },
  now: number,
  buildEvent: EventBuilder<MemberRecord>,
): Promise<{ member: MemberRecord; event: EventRecord | null }> {
  // A read position never moves back, so one already at or past `seq` stays there: the
  // common "nothing new" case needs no transaction and no channel lock.
  const current = await memberOrThrow(db, cid, userId);
  if (current.lastReadSeq >= upTo.seq) return { member: current, event: null };
  try {
    return await db.transaction().execute(async (trx) => {
      const channel = await bumpChannel(trx, cid, { events: 1 });
      const row = await trx
        .updateTable('parley_members')
        .set({ last_read_seq: upTo.seq, last_read_message_id: upTo.messageId, last_read_at: now })
        .where('cid', '=', cid)
        .where('user_id', '=', userId)
        .where('last_read_seq', '<', upTo.seq)
        .returningAll()
        .executeTakeFirst();
      // Removed, or moved as far by a concurrent call: give the seq back.
      if (row === undefined) throw new Rollback();
      const member = toMember(row);
      const event = newEvent(cid, 'message.read', channel.last_seq, now, member, buildEvent);
      await appendEvents(trx, [event]);
      return { member, event };
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return { member: await memberOrThrow(db, cid, userId), event: null };
}
