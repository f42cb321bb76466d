import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';

/*
 * The storage ceiling of ingest (issue 18): the rows Parley writes per message — the
 * message, its event, the channel's bump and the author's read position, with every index
 * and trigger of Parley's own schema — written straight through the database driver in
 * transactions of the size Parley's group commit reached, with Parley's durability
 * settings. No network to a server, no JSON parsing, no WebSocket: what is left when
 * Parley's own work is taken away.
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

/** The rows of one batch: message and event rows, channel bumps and read positions. */
interface BatchRows {
  messages: Row[];
  events: Row[];
  bumps: { cid: string; events: number; at: number }[];
  reads: { cid: string; userId: string; seq: number; messageId: string; at: number }[];
}

/** Makes batches like Parley's: the channels' senders take turns, seqs follow each channel. */
class BatchMaker {
  private next = 0;
  private serial = 0;
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
    const rows: BatchRows = { messages: [], events: [], bumps: [], reads: [] };
    const bumps = new Map<string, { cid: string; events: number; at: number }>();
    const reads = new Map<string, BatchRows['reads'][number]>();
    const at = Date.now();
    for (let i = 0; i < this.size; i++) {
      const channel = this.channels[this.next++ % this.channels.length]!;
      const seq = this.seqs.get(channel.cid)! + 1;
      this.seqs.set(channel.cid, seq);
      const id = `ceiling-${this.serial++}`;
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
    }
    // In cid order, as Parley locks them.
    rows.bumps = [...bumps.values()].sort((a, b) => (a.cid < b.cid ? -1 : 1));
    rows.reads = [...reads.values()].sort((a, b) => (a.cid < b.cid ? -1 : 1));
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
    const event = db
      .prepare('SELECT * FROM parley_events WHERE message_id = ?')
      .get(message['id']) as Row;
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
    const write = db.transaction((rows: BatchRows) => {
      for (const b of rows.bumps) bump.run(b);
      for (const m of rows.messages) insertMessage.run(m);
      for (const e of rows.events) insertEvent.run(e);
      for (const r of rows.reads) read.run(r);
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

async function postgresCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const first = options.channels[0]!;
    const message = (await client.query<Row>(TEMPLATE_MESSAGE.replace('$cid', '$1'), [first.cid]))
      .rows[0];
    if (message === undefined) throw new Error(`no message in ${first.cid} to copy`);
    const event = (
      await client.query<Row>('SELECT * FROM parley_events WHERE message_id = $1', [message['id']])
    ).rows[0]!;
    const seqs = new Map<string, number>();
    const cids = options.channels.map((c) => c.cid);
    const seqRows = await client.query<{ cid: string; last_seq: number }>(
      'SELECT cid, last_seq FROM parley_channels WHERE cid = ANY($1)',
      [cids],
    );
    for (const row of seqRows.rows) seqs.set(row.cid, Number(row.last_seq));

    // One statement per table and batch, as Parley does; prepared once (named).
    const values = (rows: Row[], columns: string[]) => {
      const params: unknown[] = [];
      const tuples = rows.map(
        (row) =>
          `(${columns
            .map((c) => {
              params.push(row[c]);
              return `$${params.length}`;
            })
            .join(', ')})`,
      );
      return { tuples: tuples.join(', '), params };
    };
    const messageColumns = Object.keys(message);
    const eventColumns = Object.keys(event);
    const maker = new BatchMaker({ message, event }, options.channels, seqs, options.batchSize);
    const writeBatch = async (): Promise<void> => {
      const rows = maker.batch();
      const m = values(rows.messages, messageColumns);
      const e = values(rows.events, eventColumns);
      const b = values(rows.bumps, ['cid', 'events', 'at']);
      const r = values(rows.reads, ['cid', 'userId', 'seq', 'messageId', 'at']);
      await client.query('BEGIN');
      try {
        await client.query({
          name: `ceiling-bump-${rows.bumps.length}`,
          text: `UPDATE parley_channels AS c SET last_seq = c.last_seq + v.events::int,
                   updated_at = GREATEST(c.updated_at, v.at::bigint),
                   last_message_at = v.at::bigint, activity_at = v.at::bigint
                 FROM (VALUES ${b.tuples}) AS v(cid, events, at) WHERE c.cid = v.cid`,
          values: b.params,
        });
        await client.query({
          name: `ceiling-messages-${rows.messages.length}`,
          text: `INSERT INTO parley_messages (${messageColumns.join(', ')}) VALUES ${m.tuples}`,
          values: m.params,
        });
        await client.query({
          name: `ceiling-events-${rows.events.length}`,
          text: `INSERT INTO parley_events (${eventColumns.join(', ')}) VALUES ${e.tuples}`,
          values: e.params,
        });
        await client.query({
          name: `ceiling-reads-${rows.reads.length}`,
          text: `UPDATE parley_members AS m SET last_read_seq = v.seq::int,
                   last_read_message_id = v.message_id, last_read_at = v.at::bigint
                 FROM (VALUES ${r.tuples}) AS v(cid, user_id, seq, message_id, at)
                 WHERE m.cid = v.cid AND m.user_id = v.user_id`,
          values: r.params,
        });
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    };
    return await timed(options, writeBatch);
  } finally {
    await client.end();
  }
}
