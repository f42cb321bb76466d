import Database from 'better-sqlite3';

/**
 * Fills a channel of a SQLite Parley database with `total` messages, fast: direct inserts
 * into parley_messages and parley_events (10,000 rows a transaction), the channel's
 * last_seq moved to match. Message `h-<seq>` has seq `<seq>`.
 *
 * The channel must already hold message `h-1` (seq 1), sent through the API: its stored
 * event is the template for the others, so the rows look exactly like the server's own.
 * Run it while no server has the file open.
 */
export function seedSqliteHistory(file: string, cid: string, total: number): void {
  const db = new Database(file);
  try {
    const template = db
      .prepare('SELECT payload, created_at FROM parley_events WHERE cid = ? AND seq = 1')
      .get(cid) as { payload: string; created_at: number } | undefined;
    const first = db.prepare('SELECT * FROM parley_messages WHERE id = ?').get('h-1') as
      Record<string, unknown> | undefined;
    if (template === undefined || first === undefined)
      throw new Error(`seed: ${cid} has no message h-1`);
    const event = JSON.parse(template.payload) as {
      seq: number;
      created_at: string;
      message: Record<string, unknown>;
    };
    const insertMessage = db.prepare(
      `INSERT INTO parley_messages (id, cid, seq, type, user_id, text, data, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertEvent = db.prepare(
      `INSERT INTO parley_events (cid, seq, type, created_at, payload) VALUES (?, ?, 'message.new', ?, ?)`,
    );
    // One millisecond per message, ending at the template's time.
    const start = template.created_at - total;
    const batch = db.transaction((from: number, to: number) => {
      for (let seq = from; seq <= to; seq++) {
        const id = `h-${seq}`;
        const text = `history message ${seq}`;
        const at = start + seq;
        const iso = new Date(at).toISOString();
        insertMessage.run(id, cid, seq, first['type'], first['user_id'], text, '{}', at, at);
        event.seq = seq;
        event.created_at = iso;
        Object.assign(event.message, { id, seq, text, created_at: iso, updated_at: iso });
        insertEvent.run(cid, seq, at, JSON.stringify(event));
      }
    });
    for (let from = 2; from <= total; from += 10_000) batch(from, Math.min(total, from + 9_999));
    db.prepare('UPDATE parley_channels SET last_seq = ? WHERE cid = ?').run(
      Math.max(total, 1),
      cid,
    );
  } finally {
    db.close();
  }
}
