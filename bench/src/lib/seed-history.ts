import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * Fills a channel of a Parley database with `total` messages, fast: direct inserts into
 * parley_messages and parley_events (10,000 rows a batch), the channel's last_seq moved to
 * match. Message `h-<seq>` has seq `<seq>`. The seeded events count as already dispatched
 * (the channel's outbox_seq moves too), as a live channel's would be long since: otherwise
 * the server's outbox dispatcher would spend the measured phase working through a million
 * events, on the same connection and CPU as the history requests. PostgreSQL's tables are
 * vacuumed and analysed afterwards, so that autovacuum does not start on them mid-run.
 *
 * The channel must already hold message `h-1` (seq 1), sent through the API: its stored
 * event is the template for the others, so the rows look exactly like the server's own.
 * Run it while no server has the database open.
 */
export type HistorySeeder = (cid: string, total: number) => Promise<void>;

/** The stored message `h-1` and its `message.new` event, as read from either database. */
interface Template {
  payload: string;
  created_at: number;
  message: Record<string, unknown>;
}

type MessageValues = [string, string, number, unknown, unknown, string, string, number, number];
type EventValues = [string, number, number, string];

const BATCH = 10_000;

/** Rows `from` … `to` of both tables, one millisecond per message ending at the template's time. */
function historyRows(
  template: Template,
  cid: string,
  total: number,
  from: number,
  to: number,
): { messages: MessageValues[]; events: EventValues[] } {
  const event = JSON.parse(template.payload) as {
    seq: number;
    created_at: string;
    message: Record<string, unknown>;
  };
  const first = template.message;
  const start = template.created_at - total;
  const messages: MessageValues[] = [];
  const events: EventValues[] = [];
  for (let seq = from; seq <= to; seq++) {
    const id = `h-${seq}`;
    const text = `history message ${seq}`;
    const at = start + seq;
    const iso = new Date(at).toISOString();
    messages.push([id, cid, seq, first['type'], first['user_id'], text, '{}', at, at]);
    event.seq = seq;
    event.created_at = iso;
    Object.assign(event.message, { id, seq, text, created_at: iso, updated_at: iso });
    events.push([cid, seq, at, JSON.stringify(event)]);
  }
  return { messages, events };
}

function missing(cid: string): Error {
  return new Error(`seed: ${cid} has no message h-1`);
}

/** Seeds the SQLite file `file`. */
export function sqliteHistorySeeder(file: string): HistorySeeder {
  return async (cid, total) => {
    const db = new Database(file);
    try {
      const event = db
        .prepare('SELECT payload, created_at FROM parley_events WHERE cid = ? AND seq = 1')
        .get(cid) as { payload: string; created_at: number } | undefined;
      const message = db.prepare('SELECT * FROM parley_messages WHERE id = ?').get('h-1') as
        Record<string, unknown> | undefined;
      if (event === undefined || message === undefined) throw missing(cid);
      const template = { ...event, message };
      const insertMessage = db.prepare(
        `INSERT INTO parley_messages (id, cid, seq, type, user_id, text, data, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertEvent = db.prepare(
        `INSERT INTO parley_events (cid, seq, type, created_at, payload) VALUES (?, ?, 'message.new', ?, ?)`,
      );
      const batch = db.transaction((from: number, to: number) => {
        const rows = historyRows(template, cid, total, from, to);
        for (const values of rows.messages) insertMessage.run(...values);
        for (const values of rows.events) insertEvent.run(...values);
      });
      for (let from = 2; from <= total; from += BATCH)
        batch(from, Math.min(total, from + BATCH - 1));
      db.prepare('UPDATE parley_channels SET last_seq = ?, outbox_seq = ? WHERE cid = ?').run(
        Math.max(total, 1),
        Math.max(total, 1),
        cid,
      );
    } finally {
      db.close();
    }
  };
}

const MESSAGE_COLUMNS = [
  'id',
  'cid',
  'seq',
  'type',
  'user_id',
  'text',
  'data',
  'created_at',
  'updated_at',
] as const;
const EVENT_COLUMNS = ['cid', 'seq', 'created_at', 'payload'] as const;

function zip(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key, i) => [key, values[i]]));
}

/**
 * Seeds the PostgreSQL database at `url`. Each batch goes as one JSON parameter, expanded
 * by `json_populate_recordset`: about twice as fast as `unnest` over column arrays.
 */
export function postgresHistorySeeder(url: string): HistorySeeder {
  return async (cid, total) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const event = await client.query<{ payload: string; created_at: string }>(
        'SELECT payload, created_at FROM parley_events WHERE cid = $1 AND seq = 1',
        [cid],
      );
      const message = await client.query<Record<string, unknown>>(
        'SELECT * FROM parley_messages WHERE id = $1',
        ['h-1'],
      );
      if (event.rows[0] === undefined || message.rows[0] === undefined) throw missing(cid);
      const template = {
        payload: event.rows[0].payload,
        created_at: Number(event.rows[0].created_at),
        message: message.rows[0],
      };
      for (let from = 2; from <= total; from += BATCH) {
        const rows = historyRows(template, cid, total, from, Math.min(total, from + BATCH - 1));
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO parley_messages (${MESSAGE_COLUMNS.join(', ')})
           SELECT ${MESSAGE_COLUMNS.join(', ')}
           FROM json_populate_recordset(null::parley_messages, $1::json)`,
          [JSON.stringify(rows.messages.map((values) => zip(MESSAGE_COLUMNS, values)))],
        );
        await client.query(
          `INSERT INTO parley_events (cid, seq, type, created_at, payload)
           SELECT cid, seq, 'message.new', created_at, payload
           FROM json_populate_recordset(null::parley_events, $1::json)`,
          [JSON.stringify(rows.events.map((values) => zip(EVENT_COLUMNS, values)))],
        );
        await client.query('COMMIT');
      }
      await client.query(
        'UPDATE parley_channels SET last_seq = $1, outbox_seq = $1 WHERE cid = $2',
        [Math.max(total, 1), cid],
      );
      await client.query('VACUUM ANALYZE parley_messages, parley_events, parley_channels');
    } finally {
      await client.end();
    }
  };
}
