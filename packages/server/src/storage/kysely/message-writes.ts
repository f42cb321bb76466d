import type { Kysely } from 'kysely';
import { MessageIdConflictError } from '../storage-errors.js';
import type {
  EventBuilder,
  EventRecord,
  MemberRecord,
  MessageRecord,
  NewMessage,
} from '../storage.js';
import { memberOrThrow } from './channel-queries.js';
import { appendEvents, bumpChannel, newEvent, Rollback } from './channel-transaction.js';
import type { Trx } from './channel-transaction.js';
import type { Database } from './database.js';
import { toMember, toMessage } from './row-mappers.js';

// Sending messages and moving read positions.

export async function sendMessage(
  db: Kysely<Database>,
  message: NewMessage,
  buildEvent: EventBuilder<MessageRecord>,
): Promise<{ message: MessageRecord; event: EventRecord | null; duplicate: boolean }> {
  for (;;) {
    try {
      return await db.transaction().execute((trx) => insertMessage(trx, message, buildEvent));
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    // The id is taken and the rollback gave the seq back: a retry, or a conflict?
    const existing = await db
      .selectFrom('parley_messages')
      .selectAll()
      .where('id', '=', message.id)
      .executeTakeFirst();
    // Deleted meanwhile with its channel: the id is free again.
    if (existing === undefined) continue;
    if (existing.cid !== message.cid || existing.user_id !== message.userId) {
      throw new MessageIdConflictError(message.id);
    }
    return { message: toMessage(existing), event: null, duplicate: true };
  }
}

/** sendMessage's transaction; throws Rollback when the id is taken. */
async function insertMessage(
  trx: Trx,
  message: NewMessage,
  buildEvent: EventBuilder<MessageRecord>,
): Promise<{ message: MessageRecord; event: EventRecord; duplicate: false }> {
  const { id, cid, userId, createdAt } = message;
  const channel = await bumpChannel(trx, cid, {
    events: 1,
    updatedAt: createdAt,
    messageAt: createdAt,
  });
  const seq = channel.last_seq;
  const record: MessageRecord = {
    id,
    cid,
    seq,
    type: message.type,
    userId,
    text: message.text,
    data: message.data,
    createdAt,
    updatedAt: createdAt,
  };
  // The primary key decides idempotency, even between concurrent sends of one id.
  const inserted = await trx
    .insertInto('parley_messages')
    .values({
      id,
      cid,
      seq,
      type: record.type,
      user_id: userId,
      text: record.text,
      data: JSON.stringify(record.data),
      created_at: createdAt,
      updated_at: createdAt,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted === undefined) throw new Rollback();

  const event = newEvent(cid, 'message.new', seq, createdAt, record, buildEvent);
  await appendEvents(trx, [event]);
  if (userId !== null) {
    // Authors have read what they wrote; the message.new event says so, no read event.
    await trx
      .updateTable('parley_members')
      .set({ last_read_seq: seq, last_read_message_id: id, last_read_at: createdAt })
      .where('cid', '=', cid)
      .where('user_id', '=', userId)
      .where('last_read_seq', '<', seq)
      .execute();
  }
  return { message: record, event, duplicate: false };
}

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
