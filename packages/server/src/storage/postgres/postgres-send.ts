import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import { CHANNEL_DAY_COLUMNS, USER_DAY_COLUMNS } from '../kysely/analytics-writes.js';
import { CHANNEL_COLUMNS } from '../kysely/channel-transaction.js';
import type { ChannelsTable, Database } from '../kysely/database.js';
import {
  EVENT_COLUMNS,
  MENTION_COLUMNS,
  MESSAGE_COLUMNS,
  READ_POSITION_COLUMNS,
} from '../kysely/send-batch-writes.js';
import type { JsonColumnType, SendBatchRows } from '../kysely/storage-adapter.js';

/*
 * A send batch in one statement (StorageAdapter.writeSendBatch): PostgreSQL runs every
 * data-modifying CTE of a statement to completion, and a statement outside a transaction
 * block commits on its own, so the batch costs one round trip and one commit instead of
 * BEGIN, a statement per table and COMMIT (ten round trips, each a wake-up of both
 * processes on a busy machine).
 *
 * The seqs were taken from last_seq as read before; the UPDATE only bumps a channel whose
 * last_seq is still that, after waiting for any transaction that holds its row, and the
 * other rows are written for the channels it bumped only: a channel that another node wrote
 * in between is left as it was, and the caller decides that channel's messages again
 * (reading again) while the rest of the batch is stored. When a message id is stored
 * already, the messages' INSERT fails on the primary key (a plain INSERT: `ON CONFLICT DO
 * NOTHING` and a check of the count inserted cost each row a speculative insertion, about
 * 7 % of PostgreSQL's CPU per message under ingest): the error rolls back the whole
 * statement, and the caller reads again and decides again.
 * The CTE that the SELECT reads (the channels) runs before the others, so rows are locked
 * in the transaction's order: the channel first.
 */

/**
 * The rows of JSON parameter `parameter` as table `r`, each element parsed once
 * (json_to_recordset, in C). Reading each column with `->>` instead scans the element's
 * text again per column: for a batch of 64 messages of 24 columns, 10–26 ms of the
 * database's CPU against 1–1.5. For the rows an INSERT takes, which join nothing, so the
 * planner's guess of 100 rows decides no plan.
 */
function recordset(parameter: number, columns: Record<string, JsonColumnType>): string {
  return `json_to_recordset($${parameter}::json) as r(${columnList(columns)})`;
}

/**
 * The same for rows that an UPDATE joins to a table: through parley_json_rows, whose
 * estimate of a few rows keeps the join on the table's index (see migration 012), each
 * element parsed once by json_to_record.
 */
function joinedRecordset(parameter: number, columns: Record<string, JsonColumnType>): string {
  return `parley_json_rows($${parameter}::json) as e cross join lateral json_to_record(e) as r(${columnList(columns)})`;
}

const columnList = (columns: Record<string, JsonColumnType>) =>
  Object.entries(columns)
    .map(([name, type]) => `"${name}" ${type}`)
    .join(', ');

const names = (columns: Record<string, JsonColumnType>) => Object.keys(columns).join(', ');

/** `max(column, r.message_at)` with NULL older than anything, of the row before the update. */
const later = (column: string) =>
  `case when c.${column} is null or c.${column} < r.message_at then r.message_at else c.${column} end`;

const CHANNEL_ROWS = {
  cid: 'text',
  events: 'integer',
  message_at: 'bigint',
  last_seq: 'integer',
  created_at: 'bigint',
} as const;

/** The rows of the channels whose last_seq was still as read. */
const BUMPED = 'r.cid in (select cid from bumped)';

export const SEND_BATCH_SQL = `with bumped as (
  update parley_channels as c set
    last_seq = c.last_seq + r.events,
    updated_at = ${later('updated_at')},
    last_message_at = ${later('last_message_at')},
    activity_at = ${later('last_message_at')}
  from ${joinedRecordset(1, CHANNEL_ROWS)}
  where c.cid = r.cid and c.last_seq = r.last_seq and c.created_at = r.created_at
  returning ${CHANNEL_COLUMNS.map((column) => `c.${column}`).join(', ')}
), inserted as (
  insert into parley_messages (${names(MESSAGE_COLUMNS)})
  select ${names(MESSAGE_COLUMNS)} from ${recordset(2, MESSAGE_COLUMNS)}
  where ${BUMPED}
  returning user_id
), events as (
  insert into parley_events (${names(EVENT_COLUMNS)})
  select ${names(EVENT_COLUMNS)} from ${recordset(3, EVENT_COLUMNS)}
  where ${BUMPED}
), mentions as (
  insert into parley_mentions (${names(MENTION_COLUMNS)})
  select ${names(MENTION_COLUMNS)} from ${recordset(4, MENTION_COLUMNS)}
  where ${BUMPED}
), channel_days as (
  insert into parley_stats_channel_day (day, cid, messages)
  select r.day, r.cid, r.n from ${recordset(5, CHANNEL_DAY_COLUMNS)}
  where ${BUMPED}
  on conflict (day, cid) do update
  set messages = parley_stats_channel_day.messages + excluded.messages
), user_days as (
  insert into parley_stats_user_day (day, user_id)
  select r.day, r.user_id from ${recordset(6, USER_DAY_COLUMNS)}
  where r.user_id in (select user_id from inserted)
  on conflict (day, user_id) do nothing
), read_positions as (
  update parley_members as m set
    last_read_seq = r.seq,
    last_read_message_id = r.message_id,
    last_read_at = r.at
  from ${joinedRecordset(7, READ_POSITION_COLUMNS)}
  where m.cid = r.cid and m.user_id = r.user_id and ${BUMPED}
)
select (select json_agg(b) from (select ${CHANNEL_COLUMNS.join(', ')} from bumped) as b) as channels`;

export async function writeSendBatch(
  db: Kysely<Database>,
  rows: SendBatchRows,
): Promise<Selectable<ChannelsTable>[]> {
  const parameters = [
    rows.channels,
    rows.messages,
    rows.events,
    rows.mentions,
    rows.channelDays,
    rows.userDays,
    rows.readPositions,
  ].map((table) => JSON.stringify(table));
  const result = await db.executeQuery<{ channels: Selectable<ChannelsTable>[] | null }>(
    CompiledQuery.raw(SEND_BATCH_SQL, parameters),
  );
  // json_agg of no rows is null: every channel moved on.
  return result.rows[0]!.channels ?? [];
}
