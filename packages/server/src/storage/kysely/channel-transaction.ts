import { sql } from 'kysely';
import type { Expression, Selectable, Transaction } from 'kysely';
import { ChannelNotFoundError } from '../storage-errors.js';
import type { EventBuilder, EventRecord } from '../storage.js';
import type { ChannelsTable, Database } from './database.js';
import { jsonStatementsOf } from './json-statements.js';
import { eventRow } from './row-mappers.js';
import type { StorageAdapter } from './storage-adapter.js';

/*
 * Building blocks of the rule that every channel change is one transaction: bump the
 * channel's last_seq first, then write the change and its events with those seqs.
 */

export type Trx = Transaction<Database>;

/** Thrown inside a transaction to roll it back when nothing should change; caught by the caller. */
export class Rollback extends Error {
  constructor() {
    super('rolled back');
  }
}

/** What a change does to its channel row besides taking seqs. */
export interface ChannelBump {
  /** How many seqs the change takes; 0 only locks the row. */
  events: number;
  memberDelta?: number | undefined;
  /** Moves updated_at forward to this time. */
  updatedAt?: number | undefined;
  /** A message created at this time: moves last_message_at and activity_at forward to it. */
  messageAt?: number | undefined;
}

/**
 * The first statement of every channel change: takes `events` seqs from the channel and
 * returns its row as updated. The UPDATE's row lock serialises concurrent writers of one
 * channel on PostgreSQL until commit (SQLite has a single connection), so the seqs
 * `last_seq - events + 1 .. last_seq` belong to this transaction alone.
 */
export async function bumpChannel(
  trx: Trx,
  cid: string,
  bump: ChannelBump,
): Promise<Selectable<ChannelsTable>> {
  const row = await trx
    .updateTable('parley_channels')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', bump.events),
      ...(bump.memberDelta !== undefined && {
        member_count: eb('member_count', '+', bump.memberDelta),
      }),
      ...(bump.updatedAt !== undefined && { updated_at: later('updated_at', bump.updatedAt) }),
      ...(bump.messageAt !== undefined && {
        last_message_at: later('last_message_at', bump.messageAt),
        // activity_at is the last message time once there is one, even an imported message
        // older than the channel itself.
        activity_at: later('last_message_at', bump.messageAt),
      }),
    }))
    .where('cid', '=', cid)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new ChannelNotFoundError(cid);
  return row;
}

/**
 * Like bumpChannel for several channels in one statement: takes `bump.events` seqs from
 * each channel and moves its message times forward to `bump.messageAt`. Returns the rows
 * as updated; a channel that does not exist is missing from them. On PostgreSQL each
 * row stays locked until commit, as with bumpChannel.
 */
export async function bumpChannels(
  trx: Trx,
  adapter: StorageAdapter,
  bumps: ReadonlyMap<string, { events: number; messageAt: number }>,
): Promise<Selectable<ChannelsTable>[]> {
  const rows = {
    // In cid order: on PostgreSQL rows are locked as the table is read, and two batches
    // locking the same channels in the same order cannot deadlock.
    rows: [...bumps]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([cid, b]) => ({ cid, events: b.events, message_at: b.messageAt })),
    columns: { cid: 'text', events: 'integer', message_at: 'bigint' },
    alias: 'b',
  } as const;
  return jsonStatementsOf(adapter).execute(trx, 'channels.bump', rows, (table) =>
    trx
      .updateTable('parley_channels')
      .from(table)
      .set((eb) => ({
        last_seq: eb('last_seq', '+', eb.ref('b.events')),
        updated_at: later('updated_at', eb.ref('b.message_at')),
        last_message_at: later('last_message_at', eb.ref('b.message_at')),
        activity_at: later('last_message_at', eb.ref('b.message_at')),
      }))
      .whereRef('parley_channels.cid', '=', 'b.cid')
      // Qualified: `cid` alone would be ambiguous on PostgreSQL, and SQLite refuses `t.*` here.
      .returning(CHANNEL_COLUMNS.map((column) => `parley_channels.${column}` as const)),
  );
}

export const CHANNEL_COLUMNS = [
  'cid',
  'type',
  'id',
  'data',
  'is_distinct',
  'created_by_id',
  'created_at',
  'updated_at',
  'last_message_at',
  'activity_at',
  'member_count',
  'last_seq',
  'outbox_seq',
  'frozen',
] as const satisfies readonly (keyof ChannelsTable)[];

/**
 * `max(column, at)` treating NULL as older than anything, written with CASE because
 * SQLite spells it max() and PostgreSQL greatest(). In an UPDATE, column refers to the old value.
 */
export function later(
  column: 'updated_at' | 'last_message_at' | 'last_active',
  at: number | Expression<number>,
) {
  const ref = sql.ref(column);
  return sql<number>`case when ${ref} is null or ${ref} < ${at} then ${at} else ${ref} end`;
}

/** Stores events in the channel's log. */
export async function appendEvents(trx: Trx, events: readonly EventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await trx.insertInto('parley_events').values(events.map(eventRow)).execute();
}

/**
 * An event record whose payload the caller's builder makes from the final seq and time.
 * `messageId`: the message it is about, for events that carry a message's content.
 */
export function newEvent<T>(
  cid: string,
  type: EventRecord['type'],
  seq: number,
  createdAt: number,
  subject: T,
  buildEvent: EventBuilder<T>,
  messageId: string | null = null,
): EventRecord {
  return { cid, seq, type, createdAt, payload: buildEvent(subject, seq, createdAt), messageId };
}
