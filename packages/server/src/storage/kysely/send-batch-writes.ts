import { sql } from 'kysely';
import type { MessageRecord, NewMessage, UploadRecord } from '../storage.js';
import { bumpChannels, Rollback } from './channel-transaction.js';
import type { Trx } from './channel-transaction.js';
import type { EventsTable, MentionsTable, MessagesTable } from './database.js';
import { eventRow, messageRow, toChannel } from './row-mappers.js';
import { attachmentOf } from './send-checks.js';
import { jsonStatementsOf } from './json-statements.js';
import type { JsonColumnType, StorageAdapter } from './storage-adapter.js';
import type { Accepted } from './send-batch.js';

/*
 * The statements of a batch's transaction (see send-messages.ts): each takes its rows as
 * one JSON table, so a batch costs the same few prepared statements at any size.
 */

/** Takes each channel's seqs and gives them to its messages in batch order. */
export async function takeSeqs(
  trx: Trx,
  adapter: StorageAdapter,
  accepted: readonly NewMessage[],
  members: ReadonlyMap<string, ReadonlySet<string>>,
  uploads: ReadonlyMap<string, UploadRecord>,
) {
  const bumps = channelBumps(accepted);
  const rows = await bumpChannels(trx, adapter, bumps);
  // Deleted since it was read: decide again without it.
  if (rows.length !== bumps.size) throw new Rollback();
  const before = new Map(rows.map((row) => [row.cid, row.last_seq - bumps.get(row.cid)!.events]));
  const records = numberMessages(accepted, before, members, uploads);
  return { channels: new Map(rows.map((row) => [row.cid, toChannel(row)])), records };
}

/** Per channel: how many seqs `accepted` takes, and its latest message time. */
export function channelBumps(accepted: readonly NewMessage[]) {
  const bumps = new Map<string, { events: number; messageAt: number }>();
  for (const { cid, createdAt } of accepted) {
    const bump = bumps.get(cid);
    if (bump === undefined) bumps.set(cid, { events: 1, messageAt: createdAt });
    else {
      bump.events++;
      bump.messageAt = Math.max(bump.messageAt, createdAt);
    }
  }
  return bumps;
}

/**
 * The records of `accepted`, each channel's numbered in batch order from the seq after
 * its entry in `before`.
 */
export function numberMessages(
  accepted: readonly NewMessage[],
  before: ReadonlyMap<string, number>,
  members: ReadonlyMap<string, ReadonlySet<string>>,
  uploads: ReadonlyMap<string, UploadRecord>,
): MessageRecord[] {
  const next = new Map(before);
  return accepted.map((message): MessageRecord => {
    const seq = next.get(message.cid)! + 1;
    next.set(message.cid, seq);
    const memberIds = members.get(message.cid)!;
    return {
      id: message.id,
      cid: message.cid,
      seq,
      type: message.type,
      userId: message.userId,
      text: message.text,
      data: message.data,
      createdAt: message.createdAt,
      updatedAt: message.createdAt,
      parentId: message.parentId ?? null,
      showInChannel: message.parentId != null && message.showInChannel === true,
      replyCount: 0,
      threadParticipants: [],
      quotedMessageId: message.quotedMessageId ?? null,
      // Only members can be mentioned; the rest are dropped, each id once.
      mentionedUserIds: [...new Set(message.mentionedUserIds ?? [])].filter((u) =>
        memberIds.has(u),
      ),
      reactionCounts: {},
      latestReactions: [],
      attachments: (message.attachmentIds ?? []).map((id) => attachmentOf(uploads.get(id)!)),
      pinnedAt: null,
      pinnedBy: null,
      editedAt: null,
      deletedAt: null,
    };
  });
}

export async function insertMessages(
  trx: Trx,
  adapter: StorageAdapter,
  records: readonly MessageRecord[],
): Promise<void> {
  const table = {
    rows: records.map(messageRow),
    columns: MESSAGE_COLUMNS,
    alias: 'r',
  } as const;
  // The primary key decides idempotency, even between concurrent batches of one id.
  const inserted = await jsonStatementsOf(adapter).execute(trx, 'send.messages', table, (rows) =>
    trx
      .insertInto('parley_messages')
      .columns(MESSAGE_COLUMN_NAMES)
      .expression((eb) =>
        eb
          .selectFrom(rows)
          .select(MESSAGE_COLUMN_NAMES)
          // SQLite needs a WHERE to tell ON CONFLICT from a join's ON in INSERT … SELECT.
          .where(sql<boolean>`true`),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id'),
  );
  // An id stored by another transaction since it was read: decide again.
  if (inserted.length !== records.length) throw new Rollback();
}

/**
 * Marks the messages' uploads as theirs. An upload another message took (or the sweeper
 * removed) since the batch read it is not updated: decide again.
 */
export async function takeUploads(
  trx: Trx,
  adapter: StorageAdapter,
  records: readonly MessageRecord[],
): Promise<void> {
  const rows = records.flatMap((m) => m.attachments.map((a) => ({ id: a.id, message_id: m.id })));
  if (rows.length === 0) return;
  const updated = await jsonStatementsOf(adapter).execute(
    trx,
    'send.uploads',
    { rows, columns: { id: 'text', message_id: 'text' }, alias: 'r' },
    (table) =>
      trx
        .updateTable('parley_uploads')
        .from(table)
        .set((eb) => ({ message_id: eb.ref('r.message_id') }))
        .whereRef('parley_uploads.id', '=', 'r.id')
        .where('parley_uploads.message_id', 'is', null)
        .returning('parley_uploads.id'),
  );
  if (updated.length !== rows.length) throw new Rollback();
}

export async function insertEvents(
  trx: Trx,
  adapter: StorageAdapter,
  written: readonly Accepted[],
): Promise<void> {
  const table = {
    rows: written.map(({ event }) => eventRow(event)),
    columns: EVENT_COLUMNS,
    alias: 'r',
  } as const;
  await jsonStatementsOf(adapter).execute(trx, 'send.events', table, (rows) =>
    trx
      .insertInto('parley_events')
      .columns(EVENT_COLUMN_NAMES)
      .expression((eb) => eb.selectFrom(rows).select(EVENT_COLUMN_NAMES)),
  );
}

/** Who each message mentions, for unread mention counts. */
export async function insertMentions(
  trx: Trx,
  adapter: StorageAdapter,
  records: readonly MessageRecord[],
): Promise<void> {
  const rows = mentionRows(records);
  // Most batches mention nobody: no statement at all then.
  if (rows.length === 0) return;
  await jsonStatementsOf(adapter).execute(
    trx,
    'send.mentions',
    { rows, columns: MENTION_COLUMNS, alias: 'r' },
    (table) =>
      trx
        .insertInto('parley_mentions')
        .columns(MENTION_COLUMN_NAMES)
        .expression((eb) => eb.selectFrom(table).select(MENTION_COLUMN_NAMES)),
  );
}

/**
 * Authors have read what they wrote: each author's read position moves to their last
 * message of the batch. (The message.new event says so; no read event.) A new seq is
 * above every read position of its channel, so the move is always forward.
 */
export async function moveAuthorsReadPositions(
  trx: Trx,
  adapter: StorageAdapter,
  written: readonly Accepted[],
) {
  const rows = readPositionRows(written.map(({ record }) => record));
  if (rows.length === 0) return;
  const table = { rows, columns: READ_POSITION_COLUMNS, alias: 'r' } as const;
  await jsonStatementsOf(adapter).execute(trx, 'send.read-positions', table, (reads) =>
    trx
      .updateTable('parley_members')
      .from(reads)
      .set((eb) => ({
        last_read_seq: eb.ref('r.seq'),
        last_read_message_id: eb.ref('r.message_id'),
        last_read_at: eb.ref('r.at'),
      }))
      .whereRef('parley_members.cid', '=', 'r.cid')
      .whereRef('parley_members.user_id', '=', 'r.user_id'),
  );
}

/** Who each message mentions, as parley_mentions rows. */
export function mentionRows(records: readonly MessageRecord[]): MentionsTable[] {
  return records.flatMap((m) =>
    m.mentionedUserIds.map((userId) => ({
      message_id: m.id,
      user_id: userId,
      cid: m.cid,
      seq: m.seq,
    })),
  );
}

/** Each author's last message of `records`, as the read position it moves to. */
export function readPositionRows(records: readonly MessageRecord[]) {
  const last = new Map<string, MessageRecord>();
  for (const record of records) {
    if (record.userId !== null) last.set(`${record.cid}\n${record.userId}`, record);
  }
  // In key order, as bumpChannels locks channels, so that two batches lock alike.
  return [...last.values()].sort(byKey).map((m) => ({
    cid: m.cid,
    user_id: m.userId!,
    seq: m.seq,
    message_id: m.id,
    at: m.createdAt,
  }));
}

export const READ_POSITION_COLUMNS = {
  cid: 'text',
  user_id: 'text',
  seq: 'integer',
  message_id: 'text',
  at: 'bigint',
} as const;

function byKey(a: MessageRecord, b: MessageRecord): number {
  if (a.cid !== b.cid) return a.cid < b.cid ? -1 : 1;
  return a.userId! < b.userId! ? -1 : 1;
}

export const MESSAGE_COLUMNS = {
  id: 'text',
  cid: 'text',
  seq: 'integer',
  type: 'text',
  user_id: 'text',
  text: 'text',
  data: 'text',
  created_at: 'bigint',
  updated_at: 'bigint',
  parent_id: 'text',
  show_in_channel: 'integer',
  reply_count: 'integer',
  thread_participants: 'text',
  quoted_message_id: 'text',
  mentioned_users: 'text',
  reaction_counts: 'text',
  latest_reactions: 'text',
  attachments: 'text',
  pinned_at: 'bigint',
  pinned_by: 'text',
  edited_at: 'bigint',
  deleted_at: 'bigint',
  search_text: 'text',
  search_bigrams: 'text',
} as const satisfies Record<keyof MessagesTable, JsonColumnType>;
const MESSAGE_COLUMN_NAMES = Object.keys(MESSAGE_COLUMNS) as (keyof MessagesTable)[];

export const EVENT_COLUMNS = {
  cid: 'text',
  seq: 'integer',
  type: 'text',
  created_at: 'bigint',
  payload: 'text',
  message_id: 'text',
} as const satisfies Record<keyof EventsTable, JsonColumnType>;
const EVENT_COLUMN_NAMES = Object.keys(EVENT_COLUMNS) as (keyof EventsTable)[];

export const MENTION_COLUMNS = {
  message_id: 'text',
  user_id: 'text',
  cid: 'text',
  seq: 'integer',
} as const satisfies Record<keyof MentionsTable, JsonColumnType>;
const MENTION_COLUMN_NAMES = Object.keys(MENTION_COLUMNS) as (keyof MentionsTable)[];
