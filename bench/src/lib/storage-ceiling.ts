import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';

/*
 * The storage ceiling of ingest (issue 18): the rows Parley writes per message — the
 * message, its event, the channel's bump, the author's read position and the daily
 * statistics (channel-day count, user-day) — with every index and trigger of Parley's own
 * schema, written straight through the database driver in transactions of the size
 * Parley's group commit reached, with Parley's durability settings, in the cheapest form
 * the driver allows. No network to a server, no JSON parsing, no WebSocket: what is left
 * when Parley's own work is taken away.
 */

/** A sender of the ingest run: its channel, whose author it is. */
export interface CeilingChannel {
  cid: string;
  userId: string;
}

export interface CeilingOptions {
  /** The database a Parley ingest run left behind, its server stopped. */
  sqlitePath?: string | undefined;
  databaseUrl?: string | undefined;
  channels: readonly CeilingChannel[];
  /** Messages per transaction: Parley's mean batch in the same run. */
  batchSize: number;
  durationMs: number;
}

export interface CeilingResult {
  messages: number;
  transactions: number;
  messagesPerS: number;
}

type Row = Record<string, unknown>;

/** A message row and its event, copied from what Parley stored, to be written again. */
interface Template {
  message: Row;
  event: Row;
}

/** Writes for `durationMs`; resolves with what was written. */
export function storageCeiling(options: CeilingOptions): Promise<CeilingResult> {
  if (options.sqlitePath !== undefined) return Promise.resolve(sqliteCeiling(options));
  if (options.databaseUrl !== undefined) return postgresCeiling(options);
  throw new Error('storageCeiling needs sqlitePath or databaseUrl');
}

/** The rows of one batch: message and event rows, channel bumps, read positions, statistics. */
interface BatchRows {
  messages: Row[];
  events: Row[];
  bumps: { cid: string; events: number; at: number }[];
  reads: { cid: string; userId: string; seq: number; messageId: string; at: number }[];
  /** Messages per channel and day (`parley_stats_channel_day`), and who wrote that day. */
  channelDays: { day: string; cid: string; n: number }[];
  userDays: { day: string; userId: string }[];
}

/** Makes batches like Parley's: the channels' senders take turns, seqs follow each channel. */
class BatchMaker {
  private next = 0;
  private serial = 0;
  /** Ids of this run's messages: unlike any an earlier run wrote into the same database. */
  private readonly prefix = `ceiling-${Date.now().toString(36)}-`;
  constructor(
    private readonly template: Template,
    private readonly channels: readonly CeilingChannel[],
    private readonly seqs: Map<string, number>,
    private readonly size: number,
  ) {}

  batch(): BatchRows {
    const { message, event } = this.template;
    const templateId = String(message['id']);
    const payload = String(event['payload']);
    const rows: BatchRows = {
      messages: [],
      events: [],
      bumps: [],
      reads: [],
      channelDays: [],
      userDays: [],
    };
    const bumps = new Map<string, { cid: string; events: number; at: number }>();
    const reads = new Map<string, BatchRows['reads'][number]>();
    const users = new Map<string, BatchRows['userDays'][number]>();
    const at = Date.now();
    // As Parley's analytics-writes.ts: the UTC day of the message.
    const day = new Date(at).toISOString().slice(0, 10);
    for (let i = 0; i < this.size; i++) {
      const channel = this.channels[this.next++ % this.channels.length]!;
      const seq = this.seqs.get(channel.cid)! + 1;
      this.seqs.set(channel.cid, seq);
      const id = `${this.prefix}${this.serial++}`;
      rows.messages.push({
        ...message,
        id,
        cid: channel.cid,
        seq,
        user_id: channel.userId,
        created_at: at,
        updated_at: at,
      });
      rows.events.push({
        ...event,
        cid: channel.cid,
        seq,
        created_at: at,
        message_id: id,
        // Same size and shape as Parley's event for this message.
        payload: payload.replaceAll(templateId, id),
      });
      const bump = bumps.get(channel.cid) ?? { cid: channel.cid, events: 0, at };
      bump.events++;
      bumps.set(channel.cid, bump);
      reads.set(channel.cid, { cid: channel.cid, userId: channel.userId, seq, messageId: id, at });
      users.set(channel.userId, { day, userId: channel.userId });
    }
    // In key order, as Parley locks them.
    const byCid = (a: { cid: string }, b: { cid: string }) => (a.cid < b.cid ? -1 : 1);
    rows.bumps = [...bumps.values()].sort(byCid);
    rows.reads = [...reads.values()].sort(byCid);
    rows.channelDays = rows.bumps.map((b) => ({ day, cid: b.cid, n: b.events }));
    rows.userDays = [...users.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    return rows;
  }
}

const TEMPLATE_MESSAGE = 'SELECT * FROM parley_messages WHERE cid = $cid ORDER BY seq DESC LIMIT 1';

function sqliteCeiling(options: CeilingOptions): CeilingResult {
  const db = new Database(options.sqlitePath!);
  try {
    // Parley's settings (packages/server/src/storage/sqlite/sqlite-dialect.ts).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = ON');
    const first = options.channels[0]!;
    const message = db.prepare(TEMPLATE_MESSAGE).get({ cid: first.cid }) as Row | undefined;
    if (message === undefined) throw new Error(`no message in ${first.cid} to copy`);
    // A message's message.new is at its (cid, seq) (the events' message index skips them).
    const event = db
      .prepare('SELECT * FROM parley_events WHERE cid = ? AND seq = ?')
      .get(message['cid'], message['seq']) as Row;
    const seqs = new Map<string, number>();
    const lastSeq = db.prepare('SELECT last_seq FROM parley_channels WHERE cid = ?').pluck();
    for (const { cid } of options.channels) seqs.set(cid, lastSeq.get(cid) as number);

    const insert = (table: string, row: Row) =>
      db.prepare(
        `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
          .map((c) => `@${c}`)
          .join(', ')})`,
      );
    const insertMessage = insert('parley_messages', message);
    const insertEvent = insert('parley_events', event);
    const bump = db.prepare(
      `UPDATE parley_channels SET last_seq = last_seq + @events, updated_at = max(updated_at, @at),
         last_message_at = @at, activity_at = @at WHERE cid = @cid`,
    );
    const read = db.prepare(
      `UPDATE parley_members SET last_read_seq = @seq, last_read_message_id = @messageId,
         last_read_at = @at WHERE cid = @cid AND user_id = @userId`,
    );
    const channelDay = db.prepare(
      `INSERT INTO parley_stats_channel_day (day, cid, messages) VALUES (@day, @cid, @n)
         ON CONFLICT (day, cid) DO UPDATE SET messages = messages + excluded.messages`,
    );
    const userDay = db.prepare(
      `INSERT INTO parley_stats_user_day (day, user_id) VALUES (@day, @userId)
         ON CONFLICT (day, user_id) DO NOTHING`,
    );
    const write = db.transaction((rows: BatchRows) => {
      for (const b of rows.bumps) bump.run(b);
      for (const m of rows.messages) insertMessage.run(m);
      for (const e of rows.events) insertEvent.run(e);
      for (const r of rows.reads) read.run(r);
      for (const d of rows.channelDays) channelDay.run(d);
      for (const u of rows.userDays) userDay.run(u);
    });
    const maker = new BatchMaker({ message, event }, options.channels, seqs, options.batchSize);
    return timed(options, () => write(maker.batch()));
  } finally {
    db.close();
  }
}

/** Runs `writeBatch` (sync or async) back to back for `durationMs`. */
function timed(options: CeilingOptions, writeBatch: () => void): CeilingResult;
function timed(options: CeilingOptions, writeBatch: () => Promise<void>): Promise<CeilingResult>;
function timed(
  options: CeilingOptions,
  writeBatch: () => void | Promise<void>,
): CeilingResult | Promise<CeilingResult> {
  const start = performance.now();
  const end = start + options.durationMs;
  let transactions = 0;
  const result = (): CeilingResult => {
    const messages = transactions * options.batchSize;
    return {
      messages,
      transactions,
      messagesPerS: Math.round((messages / (performance.now() - start)) * 1000),
    };
  };
  const first = writeBatch();
  transactions++;
  if (first === undefined) {
    while (performance.now() < end) {
      writeBatch();
      transactions++;
    }
    return result();
  }
  return (async () => {
    await first;
    while (performance.now() < end) {
      await writeBatch();
      transactions++;
    }
    return result();
  })();
}

/*
 * PostgreSQL: each batch is one statement whose data-modifying CTEs write every table (a
 * statement outside a transaction block commits on its own: one round trip, one commit),
 * the rows as JSON parameters that PostgreSQL turns into rows of the table's own type
 * (json_populate_recordset, in C). Two batches are in flight on two connections, as
 * Parley's group commit keeps two; consecutive batches hold different channels while the
 * channels outnumber two batches, as Parley's do (a sender waits for its ack).
 */
const POSTGRES_BATCH_SQL = `with bumped as (
  update parley_channels as c set last_seq = c.last_seq + r.events,
    updated_at = greatest(c.updated_at, r.at), last_message_at = r.at, activity_at = r.at
  from json_to_recordset($1::json) as r(cid text, events integer, at bigint)
  where c.cid = r.cid
), messages as (
  insert into parley_messages select * from json_populate_recordset(null::parley_messages, $2::json)
), events as (
  insert into parley_events select * from json_populate_recordset(null::parley_events, $3::json)
), reads as (
  update parley_members as m set last_read_seq = r.seq, last_read_message_id = r."messageId",
    last_read_at = r.at
  from json_to_recordset($4::json) as r(cid text, "userId" text, seq integer, "messageId" text, at bigint)
  where m.cid = r.cid and m.user_id = r."userId"
), channel_days as (
  insert into parley_stats_channel_day (day, cid, messages)
  select r.day, r.cid, r.n from json_to_recordset($5::json) as r(day text, cid text, n integer)
  on conflict (day, cid) do update set messages = parley_stats_channel_day.messages + excluded.messages
)
insert into parley_stats_user_day (day, user_id)
select r.day, r."userId" from json_to_recordset($6::json) as r(day text, "userId" text)
on conflict (day, user_id) do nothing`;

/** Batches in flight at once (Parley's GroupCommit depth on PostgreSQL). */
const POSTGRES_DEPTH = 2;

async function postgresCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const clients = Array.from(
    { length: POSTGRES_DEPTH },
    () => new pg.Client({ connectionString: options.databaseUrl }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const [client] = clients as [pg.Client];
    const first = options.channels[0]!;
    const message = (await client.query<Row>(TEMPLATE_MESSAGE.replace('$cid', '$1'), [first.cid]))
      .rows[0];
    if (message === undefined) throw new Error(`no message in ${first.cid} to copy`);
    const event = (
      await client.query<Row>('SELECT * FROM parley_events WHERE cid = $1 AND seq = $2', [
        message['cid'],
        message['seq'],
      ])
    ).rows[0]!;
    const seqs = new Map<string, number>();
    const cids = options.channels.map((c) => c.cid);
    const seqRows = await client.query<{ cid: string; last_seq: number }>(
      'SELECT cid, last_seq FROM parley_channels WHERE cid = ANY($1)',
      [cids],
    );
    for (const row of seqRows.rows) seqs.set(row.cid, Number(row.last_seq));
    const maker = new BatchMaker({ message, event }, options.channels, seqs, options.batchSize);
    const write = async (on: pg.Client): Promise<void> => {
      const rows = maker.batch();
      await on.query({
        name: 'ceiling-batch',
        text: POSTGRES_BATCH_SQL,
        values: [
          rows.bumps,
          rows.messages,
          rows.events,
          rows.reads,
          rows.channelDays,
          rows.userDays,
        ].map((table) => JSON.stringify(table)),
      });
    };
    // Each connection writes its next batch when its last is committed.
    const start = performance.now();
    const results = await Promise.all(clients.map((c) => timed(options, () => write(c))));
    const messages = results.reduce((sum, r) => sum + r.messages, 0);
    const transactions = results.reduce((sum, r) => sum + r.transactions, 0);
    const ms = performance.now() - start;
    return { messages, transactions, messagesPerS: Math.round((messages / ms) * 1000) };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
