import type BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import { CHANNEL_COLUMNS } from '../kysely/channel-transaction.js';
import type { ChannelsTable } from '../kysely/database.js';
import { EVENT_COLUMNS, MENTION_COLUMNS, MESSAGE_COLUMNS } from '../kysely/send-batch-writes.js';
import type { SendBatchRows } from '../kysely/storage-adapter.js';

/*
 * A send batch as one synchronous transaction of statements prepared once
 * (StorageAdapter.writeSendBatch). SQLite runs in the process, so the batch's statements
 * cost no round trip, but each built and run through Kysely cost its query pipeline and a
 * promise, and each JSON-table statement parsed its JSON and extracted every column again:
 * together most of a lone send's storage CPU. Here each row is one run of a prepared
 * statement with plain parameters, and nothing else can run on the connection in between.
 *
 * The seqs were taken from last_seq as read before; a channel whose last_seq is no longer
 * that, or a message id stored already (its primary key), throws and rolls back the whole
 * transaction: the caller reads again and decides again.
 */

/** `max(column, @message_at)` with NULL older than anything, of the row before the update. */
const later = (column: string) =>
  `case when ${column} is null or ${column} < @message_at then @message_at else ${column} end`;

/** `insert into table (columns) values (?, …)`. */
function insert(table: string, columns: Record<string, unknown>): string {
  const names = Object.keys(columns);
  return `insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`;
}

/** A channel that moved on since the batch read it. */
export class SendBatchConflictError extends Error {
  constructor(cid: string) {
    super(`parley: send batch conflict: ${cid} moved on since the batch read it`);
  }
}

/** Writes send batches on one better-sqlite3 connection (create once per connection). */
export function sqliteSendWriter(
  db: BetterSqlite3.Database,
): (rows: SendBatchRows) => Selectable<ChannelsTable>[] {
  const bump = db.prepare<[SendBatchRows['channels'][number]], Selectable<ChannelsTable>>(
    `update parley_channels set
      last_seq = last_seq + @events,
      updated_at = ${later('updated_at')},
      last_message_at = ${later('last_message_at')},
      activity_at = ${later('last_message_at')}
    where cid = @cid and last_seq = @last_seq
    returning ${CHANNEL_COLUMNS.join(', ')}`,
  );
  const message = db.prepare(insert('parley_messages', MESSAGE_COLUMNS));
  const event = db.prepare(insert('parley_events', EVENT_COLUMNS));
  const mention = db.prepare(insert('parley_mentions', MENTION_COLUMNS));
  const channelDay = db.prepare(
    `insert into parley_stats_channel_day (day, cid, messages) values (@day, @cid, @n)
    on conflict (day, cid) do update set messages = messages + excluded.messages`,
  );
  const userDay = db.prepare(
    `insert into parley_stats_user_day (day, user_id) values (@day, @user_id)
    on conflict (day, user_id) do nothing`,
  );
  const readPosition = db.prepare(
    `update parley_members set last_read_seq = @seq, last_read_message_id = @message_id,
      last_read_at = @at
    where cid = @cid and user_id = @user_id`,
  );
  const messageColumns = Object.keys(MESSAGE_COLUMNS) as (keyof typeof MESSAGE_COLUMNS)[];
  const eventColumns = Object.keys(EVENT_COLUMNS) as (keyof typeof EVENT_COLUMNS)[];
  const mentionColumns = Object.keys(MENTION_COLUMNS) as (keyof typeof MENTION_COLUMNS)[];
  return db.transaction((rows: SendBatchRows) => {
    const channels = rows.channels.map((channel) => {
      const row = bump.get(channel);
      if (row === undefined) throw new SendBatchConflictError(channel.cid);
      return row;
    });
    for (const row of rows.messages) message.run(messageColumns.map((column) => row[column]));
    for (const row of rows.events) event.run(eventColumns.map((column) => row[column]));
    for (const row of rows.mentions) mention.run(mentionColumns.map((column) => row[column]));
    for (const row of rows.channelDays) channelDay.run(row);
    for (const row of rows.userDays) userDay.run(row);
    for (const row of rows.readPositions) readPosition.run(row);
    return channels;
  });
}
