import { sql, type Kysely } from 'kysely';
import { MessageDeletedError, MessageNotFoundError } from '../storage-errors.js';
import type {
  EventBuilder,
  EventRecord,
  EventScrubber,
  MessageChange,
  MessageEdit,
  MessageRecord,
  UploadRecord,
} from '../storage.js';
import { memberIdsAmong } from './channel-queries.js';
import { appendEvents, bumpChannel, newEvent, type Trx } from './channel-transaction.js';
import type { Database } from './database.js';
import { getMessage } from './message-queries.js';
import { messageColumns, toEvent, toMessage } from './row-mappers.js';
import { dropReply } from './thread-writes.js';
import { toUpload } from './upload-queries.js';

// Editing, pinning and deleting stored messages. (Sending: send-messages.ts.)

/** The channel a message is in, read before its transaction (to know which row to lock). */
export async function channelOfMessage(db: Kysely<Database>, id: string): Promise<string> {
  const seen = await getMessage(db, id);
  if (seen === null) throw new MessageNotFoundError(id);
  return seen.cid;
}

/**
 * A message read again under its channel's lock, live (not deleted) unless `allowDeleted`.
 * (SQLite has one connection: nothing may be read outside `trx` until it ends.)
 */
export async function lockMessage(
  trx: Trx,
  cid: string,
  id: string,
  allowDeleted = false,
): Promise<MessageRecord> {
  // Takes no seq: whether the change takes one is known only once the message is read.
  await bumpChannel(trx, cid, { events: 0 });
  const row = await trx
    .selectFrom('parley_messages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  // Gone, or moved (never: ids are app-wide and messages do not move), since it was seen.
  if (row === undefined || row.cid !== cid) throw new MessageNotFoundError(id);
  const message = toMessage(row);
  if (message.deletedAt !== null && !allowDeleted) throw new MessageDeletedError(id);
  return message;
}

export async function updateMessage(
  db: Kysely<Database>,
  id: string,
  edit: MessageEdit,
  now: number,
  buildEvent: EventBuilder<MessageChange>,
): Promise<{ message: MessageRecord; event: EventRecord | null }> {
  const cid = await channelOfMessage(db, id);
  return db.transaction().execute(async (trx) => {
    const before = await lockMessage(trx, cid, id);
    const after: MessageRecord = { ...before };
    if (edit.text !== undefined && edit.text !== before.text) {
      after.text = edit.text;
      after.editedAt = now;
    }
    if (edit.data !== undefined && JSON.stringify(edit.data) !== JSON.stringify(before.data)) {
      after.data = edit.data;
      after.editedAt = now;
    }
    if (edit.mentionedUserIds !== undefined) {
      const members = await memberIdsAmong(trx, before.cid, edit.mentionedUserIds);
      after.mentionedUserIds = [...new Set(edit.mentionedUserIds)].filter((u) => members.has(u));
    }
    if (edit.pin === null && before.pinnedAt !== null) {
      after.pinnedAt = null;
      after.pinnedBy = null;
    } else if (edit.pin != null && before.pinnedAt === null) {
      after.pinnedAt = now;
      after.pinnedBy = edit.pin.by;
    }
    const mentionsChanged = !sameList(after.mentionedUserIds, before.mentionedUserIds);
    const changed =
      after.editedAt !== before.editedAt || after.pinnedAt !== before.pinnedAt || mentionsChanged;
    // The same edit again (a retry from an offline queue) changes nothing and tells nobody.
    if (!changed) return { message: before, event: null };
    after.updatedAt = now;
    const channel = await bumpChannel(trx, before.cid, { events: 1, updatedAt: now });
    await trx
      .updateTable('parley_messages')
      .set(messageColumns(after))
      .where('id', '=', id)
      .execute();
    if (mentionsChanged) await replaceMentions(trx, after);
    const quoted = await quotedOf(trx, after);
    const event = newEvent(
      after.cid,
      'message.updated',
      channel.last_seq,
      now,
      { message: after, thread: null, quoted },
      buildEvent,
      id,
    );
    await appendEvents(trx, [event]);
    return { message: after, event };
  });
}

/**
 * Deletes a message (hard: with its thread's replies). Every earlier event that carries a
 * deleted message — its own, or another message quoting it — is rewritten by `scrub`, so
 * that recovery by seq no longer hands out what was deleted.
 */
export async function deleteMessage(
  db: Kysely<Database>,
  id: string,
  hard: boolean,
  now: number,
  buildEvent: EventBuilder<MessageChange & { hard: boolean }>,
  scrub: EventScrubber,
): Promise<{ message: MessageRecord; events: EventRecord[]; uploads: UploadRecord[] }> {
  const cid = await channelOfMessage(db, id);
  return db.transaction().execute(async (trx) => {
    const message = await lockMessage(trx, cid, id, true);
    if (message.deletedAt !== null && !hard) return { message, events: [], uploads: [] };
    const replies =
      hard && message.parentId === null
        ? (
            await trx
              .selectFrom('parley_messages')
              .selectAll()
              .where('parent_id', '=', id)
              .orderBy('seq')
              .execute()
          ).map(toMessage)
        : [];
    // Replies go first, so that the thread's parent is the last thing to go.
    const targets = [...replies, message];
    const channel = await bumpChannel(trx, message.cid, {
      events: targets.length,
      updatedAt: now,
    });
    const firstSeq = channel.last_seq - targets.length + 1;
    const events: EventRecord[] = [];
    for (const [i, target] of targets.entries()) {
      const tombstone = tombstoneOf(target, now);
      await trx.deleteFrom('parley_reactions').where('message_id', '=', target.id).execute();
      await trx.deleteFrom('parley_mentions').where('message_id', '=', target.id).execute();
      if (hard) {
        await trx.deleteFrom('parley_messages').where('id', '=', target.id).execute();
      } else {
        await trx
          .updateTable('parley_messages')
          .set(messageColumns(tombstone))
          .where('id', '=', target.id)
          .execute();
      }
      // A reply that goes alone leaves its thread one reply shorter.
      const thread =
        target.parentId !== null && target.deletedAt === null && target.parentId !== id
          ? await dropReply(trx, target.parentId)
          : null;
      await scrubEvents(trx, target, tombstone, scrub);
      events.push(
        newEvent(
          message.cid,
          'message.deleted',
          firstSeq + i,
          now,
          { message: tombstone, thread, quoted: null, hard },
          buildEvent,
          target.id,
        ),
      );
    }
    await appendEvents(trx, events);
    // Their files go with them (a tombstone keeps none); the blobs once this commits.
    const uploads = await trx
      .deleteFrom('parley_uploads')
      .where(
        'message_id',
        'in',
        targets.map((t) => t.id),
      )
      .returningAll()
      .execute();
    return { message: tombstoneOf(message, now), events, uploads: uploads.map(toUpload) };
  });
}

/** What stays of a deleted message: its place in history, and nothing it said. */
function tombstoneOf(message: MessageRecord, now: number): MessageRecord {
  return {
    ...message,
    text: '',
    data: {},
    mentionedUserIds: [],
    reactionCounts: {},
    latestReactions: [],
    attachments: [],
    pinnedAt: null,
    pinnedBy: null,
    quotedMessageId: null,
    updatedAt: now,
    deletedAt: message.deletedAt ?? now,
  };
}

/**
 * Rewrites the stored events that carry `deleted`, or quote it, with its tombstone: the
 * `message.new` of it and of each message quoting it (all in its channel) by their seqs,
 * the other events about them (edits, reactions, pins…) by the events' message index, which
 * holds only those (migration 019).
 */
async function scrubEvents(
  trx: Trx,
  deleted: MessageRecord,
  tombstone: MessageRecord,
  scrub: EventScrubber,
): Promise<void> {
  const quoting = await trx
    .selectFrom('parley_messages')
    .select(['id', 'seq'])
    .where('quoted_message_id', '=', deleted.id)
    .execute();
  const ids = [deleted.id, ...quoting.map((row) => row.id)];
  const seqs = [deleted.seq, ...quoting.map((row) => row.seq)];
  const rows = await trx
    .selectFrom('parley_events')
    .selectAll()
    .where((eb) =>
      eb.or([
        // A literal, so that both planners see the partial index's own condition.
        eb.and([eb('message_id', 'in', ids), eb('type', '<>', sql.lit('message.new'))]),
        eb.and([eb('cid', '=', deleted.cid), eb('seq', 'in', seqs)]),
      ]),
    )
    .execute();
  for (const row of rows) {
    const event = toEvent(row);
    const payload = scrub(event.payload, tombstone);
    if (payload === event.payload) continue;
    await trx
      .updateTable('parley_events')
      .set({ payload: JSON.stringify(payload) })
      .where('cid', '=', row.cid)
      .where('seq', '=', row.seq)
      .execute();
  }
}

async function replaceMentions(trx: Trx, message: MessageRecord): Promise<void> {
  await trx.deleteFrom('parley_mentions').where('message_id', '=', message.id).execute();
  if (message.mentionedUserIds.length === 0) return;
  await trx
    .insertInto('parley_mentions')
    .values(
      message.mentionedUserIds.map((userId) => ({
        message_id: message.id,
        user_id: userId,
        cid: message.cid,
        seq: message.seq,
      })),
    )
    .execute();
}

async function quotedOf(trx: Trx, message: MessageRecord): Promise<MessageRecord | null> {
  if (message.quotedMessageId === null) return null;
  const row = await trx
    .selectFrom('parley_messages')
    .selectAll()
    .where('id', '=', message.quotedMessageId)
    .executeTakeFirst();
  return row === undefined ? null : toMessage(row);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
