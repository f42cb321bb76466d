import type BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import { CHANNEL_COLUMNS } from '../kysely/channel-transaction.js';
import type { ChannelsTable } from '../kysely/database.js';
import { EVENT_COLUMNS, MENTION_COLUMNS, MESSAGE_COLUMNS } from '../kysely/send-batch-writes.js';
import type { SendBatchRows } from '../kysely/storage-adapter.js';
import { FTS_TABLES } from './sqlite-search.js';

/*
 * A send batch as one synchronous transaction of statements prepared once
 * (StorageAdapter.writeSendBatch). SQLite runs in the process, so the batch's statements
 * cost no round trip, but each built and run through Kysely cost its query pipeline and a
 * promise, and each JSON-table statement parsed its JSON and extracted every column again:
 * together most of a lone send's storage CPU. Here each row is one run of a prepared
 * statement with plain parameters, and nothing else can run on the connection in between.
 *
 * The seqs were taken from last_seq as read before; the rows of a channel whose last_seq is
 * no longer that are not written (the caller decides its messages again), the rest are. A
 * message id stored already (its primary key) throws and rolls back the whole transaction:
 * the caller reads again and decides again.
 */

/**
 * Every MERGE_EVERY batches, FTS5 merges up to MERGE_PAGES pages of each search index's
 * b-trees, in the batch's transaction (their automatic merges are off, migration 017). Each
 * transaction adds a small b-tree to the index; FTS5 merged them inside the insert that
 * filled a level, 15–35 ms at once in one send every few thousand. In these steps (about a
 * quarter of a millisecond each) the index stays as compact, and no send waits long.
 */
const MERGE_EVERY = 4;
const MERGE_PAGES = 16;

/** `max(column, @message_at)` with NULL older than anything, of the row before the update. */
const later = (column: string) =>
  `case when ${column} is null or ${column} < @message_at then @message_at else ${column} end`;

/** `insert into table (columns) values (?, …)`. */
function insert(table: string, columns: Record<string, unknown>): string {
  const names = Object.keys(columns);
  return `insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`;
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
    where cid = @cid and last_seq = @last_seq and created_at = @created_at
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
  const merges = FTS_TABLES.map((table) =>
    db.prepare(`insert into ${table} (${table}, rank) values ('merge', ${MERGE_PAGES})`),
  );
  let batches = 0;
  const messageColumns = Object.keys(MESSAGE_COLUMNS) as (keyof typeof MESSAGE_COLUMNS)[];
  const eventColumns = Object.keys(EVENT_COLUMNS) as (keyof typeof EVENT_COLUMNS)[];
  const mentionColumns = Object.keys(MENTION_COLUMNS) as (keyof typeof MENTION_COLUMNS)[];
  return db.transaction((rows: SendBatchRows) => {
    const channels: Selectable<ChannelsTable>[] = [];
    for (const channel of rows.channels) {
      const row = bump.get(channel);
      if (row !== undefined) channels.push(row);
    }
    // Nearly always every channel: then no row needs testing.
    const moved = channels.length < rows.channels.length;
    const bumped = new Set(moved ? channels.map((c) => c.cid) : []);
    const written = (row: { cid: string }) => !moved || bumped.has(row.cid);
    const authors = new Set<string | null>();
    for (const row of rows.messages) {
      if (!written(row)) continue;
      message.run(messageColumns.map((column) => row[column]));
      authors.add(row.user_id);
    }
    for (const row of rows.events) {
      if (written(row)) event.run(eventColumns.map((column) => row[column]));
    }
    for (const row of rows.mentions) {
      if (written(row)) mention.run(mentionColumns.map((column) => row[column]));
    }
    for (const row of rows.channelDays) if (written(row)) channelDay.run(row);
    for (const row of rows.userDays) if (authors.has(row.user_id)) userDay.run(row);
    for (const row of rows.readPositions) if (written(row)) readPosition.run(row);
    if (++batches % MERGE_EVERY === 0) for (const merge of merges) merge.run();
    return channels;
  });
}
