import type { MemberRole } from '@parley/protocol';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { ChannelNotFoundError, MessageIdConflictError, NotMemberError } from '../storage-errors.js';
import type {
  EventBuilder,
  EventRecord,
  MessageChange,
  MessageRecord,
  NewMessage,
  SendResult,
  UploadRecord,
} from '../storage.js';
import { bumpChannels, newEvent, Rollback } from './channel-transaction.js';
import type { Trx } from './channel-transaction.js';
import type { Database, EventsTable, MentionsTable, MessagesTable } from './database.js';
import { eventRow, messageRow, toChannel, toMessage } from './row-mappers.js';
import { toUpload } from './upload-queries.js';
import {
  attachmentOf,
  checkAttachments,
  checkLinks,
  linkedOf,
  type Linked,
} from './send-checks.js';
import { updateThreads } from './thread-writes.js';
import { recordMessageStats } from './analytics-writes.js';
import { jsonStatementsOf } from './json-statements.js';
import type { JsonColumnType, StorageAdapter } from './storage-adapter.js';

/*
 * Sending messages, many per transaction (group commit): a batch costs one commit and a
 * fixed number of statements, whatever its size.
 */

/** How often a batch is read and written again after a concurrent writer got in its way. */
const MAX_ATTEMPTS = 5;

/** Storage.sendMessages: the batch in one transaction, halved on error until the culprit is alone. */
export async function sendMessages(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  messages: readonly NewMessage[],
  buildEvent: EventBuilder<MessageChange>,
): Promise<SendResult[]> {
  if (messages.length === 0) return [];
  try {
    return await storeInTransaction(db, adapter, messages, buildEvent);
  } catch (error) {
    // A dead database fails every message alike: no point in trying them one by one.
    if (adapter.isUnavailable(error)) throw error;
    if (messages.length === 1) return [{ status: 'failed', error }];
    // One message spoilt the transaction (a constraint, a throwing builder). Halving keeps
    // the order of the rest, and finds a few culprits in a few transactions.
    const half = Math.ceil(messages.length / 2);
    const first = await sendMessages(db, adapter, messages.slice(0, half), buildEvent);
    const second = await sendMessages(db, adapter, messages.slice(half), buildEvent);
    return [...first, ...second];
  }
}

async function storeInTransaction(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  messages: readonly NewMessage[],
  buildEvent: EventBuilder<MessageChange>,
): Promise<SendResult[]> {
  const batch = new Batch(adapter, messages, buildEvent);
  for (let attempt = 1; ; attempt++) {
    try {
      // Read before the transaction, both queries at once (on PostgreSQL each takes a
      // connection of the pool): inside it they would see no more, since PostgreSQL's
      // READ COMMITTED reads the latest commits at each statement anyway. What changes
      // in between is caught when writing (see Rollback below).
      const state = await batch.read(db);
      return await db.transaction().execute((trx) => batch.write(trx, state));
    } catch (error) {
      if (!(error instanceof Rollback) || attempt === MAX_ATTEMPTS) throw error;
    }
    // Another writer stored one of the ids or deleted a channel after the batch read
    // them: read again and decide again.
  }
}

/** A message of the batch that is being stored: its place in the batch, record and event. */
interface Accepted {
  index: number;
  record: MessageRecord;
  event: EventRecord;
}

/** What decides each message of a batch: ids already stored, and channels' members. */
interface BatchState {
  /** Stored messages by id, among the batch's ids and the parents and quotes they name. */
  stored: Map<string, MessageRecord>;
  /** Member ids by channel, for the batch's channels that exist. */
  members: Map<string, Set<string>>;
  /** Uploads by id, among those the batch's messages name. */
  uploads: Map<string, UploadRecord>;
  /** What access checks see of each channel: frozen, distinct, members' roles. */
  channels: Map<string, { frozen: boolean; distinct: boolean; roles: Map<string, MemberRole> }>;
}

/**
 * A batch's reads and its transaction. Every statement takes its rows as one JSON table
 * (see StorageAdapter.jsonTable), so a batch costs the same few prepared statements at
 * any size.
 */
class Batch {
  constructor(
    private readonly adapter: StorageAdapter,
    private readonly messages: readonly NewMessage[],
    private readonly buildEvent: EventBuilder<MessageChange>,
  ) {}

  /** Decides each message from `state`, then writes the accepted ones at once. */
  async write(trx: Trx, state: BatchState): Promise<SendResult[]> {
    const { messages } = this;
    const { stored, members, uploads, channels: seen } = state;
    const results = new Array<SendResult>(messages.length);
    const accepted: NewMessage[] = [];
    const acceptedIndexes: number[] = [];
    // Per id: the index of the message accepted for it in this batch.
    const acceptedById = new Map<string, number>();
    // Duplicates of a message accepted earlier in this batch, by that message's index.
    const duplicatesOf = new Map<number, number[]>();
    // Uploads taken by a message accepted earlier in this batch.
    const taken = new Set<string>();
    /** A parent or quoted message: stored, or accepted earlier in this batch. */
    const find = (id: string): Linked | undefined => {
      const earlier = acceptedById.get(id);
      return earlier === undefined ? stored.get(id) : linkedOf(messages[earlier]!);
    };
    messages.forEach((message, index) => {
      const { id, cid, userId } = message;
      const memberIds = members.get(cid);
      if (memberIds === undefined) {
        results[index] = { status: 'failed', error: new ChannelNotFoundError(cid) };
        return;
      }
      if (userId !== null && message.allowNonMember !== true && !memberIds.has(userId)) {
        results[index] = { status: 'failed', error: new NotMemberError(cid, userId) };
        return;
      }
      if (message.check !== undefined) {
        const channel = seen.get(cid)!;
        const refusal = message.check({
          cid,
          frozen: channel.frozen,
          distinct: channel.distinct,
          memberIds,
          role: userId === null ? null : (channel.roles.get(userId) ?? null),
        });
        if (refusal !== null && refusal !== undefined) {
          results[index] = { status: 'failed', error: refusal };
          return;
        }
      }
      const earlier = acceptedById.get(id);
      const prior = earlier === undefined ? stored.get(id) : messages[earlier];
      if (prior === undefined) {
        const invalid = checkLinks(message, find) ?? checkAttachments(message, uploads, taken);
        if (invalid !== null) {
          results[index] = { status: 'failed', error: invalid };
          return;
        }
        for (const uploadId of message.attachmentIds ?? []) taken.add(uploadId);
        acceptedById.set(id, index);
        accepted.push(message);
        acceptedIndexes.push(index);
      } else if (prior.cid !== cid || prior.userId !== userId) {
        results[index] = { status: 'failed', error: new MessageIdConflictError(id) };
      } else if (earlier !== undefined) {
        duplicatesOf.set(earlier, [...(duplicatesOf.get(earlier) ?? []), index]);
      } else {
        results[index] = { status: 'duplicate', message: stored.get(id)! };
      }
    });
    if (accepted.length === 0) return results;

    const { channels, records } = await this.takeSeqs(trx, accepted, members, uploads);
    await this.insertMessages(trx, records);
    await this.takeUploads(trx, records);
    // Parents change once their replies are in (a parent may be in this very batch).
    const threads = await updateThreads(trx, records);
    const byId = new Map(records.map((record) => [record.id, record]));
    const written: Accepted[] = records.map((record, i) => {
      const quotedId = record.quotedMessageId;
      const change: MessageChange = {
        message: record,
        thread: record.parentId === null ? null : threads.get(record.id)!,
        quoted: quotedId === null ? null : (byId.get(quotedId) ?? stored.get(quotedId) ?? null),
      };
      return {
        index: acceptedIndexes[i]!,
        record,
        event: newEvent(
          record.cid,
          'message.new',
          record.seq,
          record.createdAt,
          change,
          this.buildEvent,
          record.id,
        ),
      };
    });
    await this.insertEvents(trx, written);
    await this.insertMentions(trx, records);
    await recordMessageStats(trx, this.adapter, records);
    await this.moveAuthorsReadPositions(trx, written);

    const memberLists = new Map([...members].map(([cid, ids]) => [cid, [...ids]]));
    for (const { index, record, event } of written) {
      results[index] = {
        status: 'stored',
        message: record,
        event,
        channel: channels.get(record.cid)!,
        memberIds: memberLists.get(record.cid)!,
      };
      for (const duplicate of duplicatesOf.get(index) ?? []) {
        results[duplicate] = { status: 'duplicate', message: record };
      }
    }
    return results;
  }

  /** Reads what decides each message. */
  async read(db: Kysely<Database>): Promise<BatchState> {
    const { adapter, messages } = this;
    const statements = jsonStatementsOf(adapter);
    const linked = messages.flatMap((m) => [m.id, m.parentId ?? [], m.quotedMessageId ?? []]);
    const ids = [...new Set(linked.flat())].map((id) => ({ id }));
    const cids = [...new Set(messages.map((m) => m.cid))].map((cid) => ({ cid }));
    const uploadIds = [...new Set(messages.flatMap((m) => m.attachmentIds ?? []))];
    const [storedRows, memberRows, uploadRows] = await Promise.all([
      statements.execute(
        db,
        'send.stored',
        { rows: ids, columns: { id: 'text' }, alias: 'r' },
        (table) =>
          db.selectFrom(table).innerJoin('parley_messages as m', 'm.id', 'r.id').selectAll('m'),
      ),
      // A channel without members still has a row here, with a null user_id.
      statements.execute(
        db,
        'send.members',
        { rows: cids, columns: { cid: 'text' }, alias: 'r' },
        (table) =>
          db
            .selectFrom(table)
            .innerJoin('parley_channels as c', 'c.cid', 'r.cid')
            .leftJoin('parley_members as m', 'm.cid', 'c.cid')
            .select(['c.cid', 'c.frozen', 'c.is_distinct', 'm.user_id', 'm.role']),
      ),
      // Most batches carry no file: no statement at all then.
      uploadIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('parley_uploads').selectAll().where('id', 'in', uploadIds).execute(),
    ]);
    const members = new Map<string, Set<string>>();
    const channels: BatchState['channels'] = new Map();
    for (const { cid, user_id, role, frozen, is_distinct } of memberRows) {
      let set = members.get(cid);
      let channel = channels.get(cid);
      if (set === undefined || channel === undefined) {
        members.set(cid, (set = new Set()));
        channel = { frozen: frozen === 1, distinct: is_distinct === 1, roles: new Map() };
        channels.set(cid, channel);
      }
      if (user_id !== null) {
        set.add(user_id);
        channel.roles.set(user_id, role as MemberRole);
      }
    }
    const stored = new Map(storedRows.map((row) => [row.id, toMessage(row)]));
    const uploads = new Map(uploadRows.map((row) => [row.id, toUpload(row)]));
    return { stored, members, uploads, channels };
  }

  /** Takes each channel's seqs and gives them to its messages in batch order. */
  private async takeSeqs(
    trx: Trx,
    accepted: readonly NewMessage[],
    members: ReadonlyMap<string, ReadonlySet<string>>,
    uploads: ReadonlyMap<string, UploadRecord>,
  ) {
    const bumps = new Map<string, { events: number; messageAt: number }>();
    for (const { cid, createdAt } of accepted) {
      const bump = bumps.get(cid);
      if (bump === undefined) bumps.set(cid, { events: 1, messageAt: createdAt });
      else {
        bump.events++;
        bump.messageAt = Math.max(bump.messageAt, createdAt);
      }
    }
    const rows = await bumpChannels(trx, this.adapter, bumps);
    // Deleted since it was read: decide again without it.
    if (rows.length !== bumps.size) throw new Rollback();
    const next = new Map(rows.map((row) => [row.cid, row.last_seq - bumps.get(row.cid)!.events]));
    const records = accepted.map((message): MessageRecord => {
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
    return { channels: new Map(rows.map((row) => [row.cid, toChannel(row)])), records };
  }

  private async insertMessages(trx: Trx, records: readonly MessageRecord[]): Promise<void> {
    const table = {
      rows: records.map(messageRow),
      columns: MESSAGE_COLUMNS,
      alias: 'r',
    } as const;
    // The primary key decides idempotency, even between concurrent batches of one id.
    const inserted = await jsonStatementsOf(this.adapter).execute(
      trx,
      'send.messages',
      table,
      (rows) =>
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
  private async takeUploads(trx: Trx, records: readonly MessageRecord[]): Promise<void> {
    const rows = records.flatMap((m) => m.attachments.map((a) => ({ id: a.id, message_id: m.id })));
    if (rows.length === 0) return;
    const updated = await jsonStatementsOf(this.adapter).execute(
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

  private async insertEvents(trx: Trx, written: readonly Accepted[]): Promise<void> {
    const table = {
      rows: written.map(({ event }) => eventRow(event)),
      columns: EVENT_COLUMNS,
      alias: 'r',
    } as const;
    await jsonStatementsOf(this.adapter).execute(trx, 'send.events', table, (rows) =>
      trx
        .insertInto('parley_events')
        .columns(EVENT_COLUMN_NAMES)
        .expression((eb) => eb.selectFrom(rows).select(EVENT_COLUMN_NAMES)),
    );
  }

  /** Who each message mentions, for unread mention counts. */
  private async insertMentions(trx: Trx, records: readonly MessageRecord[]): Promise<void> {
    const rows = records.flatMap((m) =>
      m.mentionedUserIds.map((userId) => ({
        message_id: m.id,
        user_id: userId,
        cid: m.cid,
        seq: m.seq,
      })),
    );
    // Most batches mention nobody: no statement at all then.
    if (rows.length === 0) return;
    await jsonStatementsOf(this.adapter).execute(
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
  private async moveAuthorsReadPositions(trx: Trx, written: readonly Accepted[]) {
    const last = new Map<string, MessageRecord>();
    for (const { record } of written) {
      if (record.userId !== null) last.set(`${record.cid}\n${record.userId}`, record);
    }
    if (last.size === 0) return;
    const table = {
      // In key order, as bumpChannels locks channels, so that two batches lock alike.
      rows: [...last.values()].sort(byKey).map((m) => ({
        cid: m.cid,
        user_id: m.userId!,
        seq: m.seq,
        message_id: m.id,
        at: m.createdAt,
      })),
      columns: {
        cid: 'text',
        user_id: 'text',
        seq: 'integer',
        message_id: 'text',
        at: 'bigint',
      },
      alias: 'r',
    } as const;
    await jsonStatementsOf(this.adapter).execute(trx, 'send.read-positions', table, (reads) =>
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
}

function byKey(a: MessageRecord, b: MessageRecord): number {
  if (a.cid !== b.cid) return a.cid < b.cid ? -1 : 1;
  return a.userId! < b.userId! ? -1 : 1;
}

const MESSAGE_COLUMNS = {
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
} as const satisfies Record<keyof MessagesTable, JsonColumnType>;
const MESSAGE_COLUMN_NAMES = Object.keys(MESSAGE_COLUMNS) as (keyof MessagesTable)[];

const EVENT_COLUMNS = {
  cid: 'text',
  seq: 'integer',
  type: 'text',
  created_at: 'bigint',
  payload: 'text',
  message_id: 'text',
} as const satisfies Record<keyof EventsTable, JsonColumnType>;
const EVENT_COLUMN_NAMES = Object.keys(EVENT_COLUMNS) as (keyof EventsTable)[];

const MENTION_COLUMNS = {
  message_id: 'text',
  user_id: 'text',
  cid: 'text',
  seq: 'integer',
} as const satisfies Record<keyof MentionsTable, JsonColumnType>;
const MENTION_COLUMN_NAMES = Object.keys(MENTION_COLUMNS) as (keyof MentionsTable)[];
