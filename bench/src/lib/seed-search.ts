import Database from 'better-sqlite3';
import pg from 'pg';
import { cjkBigramsOf, searchTextOf } from '@parley/server';

/** How a search corpus is laid out: channels of one author's messages, one searcher in some. */
export interface SearchCorpusShape {
  channels: number;
  perChannel: number;
  /** The searcher is a member of this many channels (the first ones). */
  searcherChannels: number;
}

const WORDS = (
  'the a to and of in for is on that with we at be this are it from as by our can will please ' +
  'meeting schedule speaker talk slides agenda venue room session keynote panel travel train ' +
  'ticket invoice contract budget fee visa badge dinner lunch coffee break wifi stage audio ' +
  'video recording question answer thanks great sounds good tomorrow today morning evening'
).split(' ');
/** Words with a set frequency, so that queries have known selectivity. */
const PLANTED: [string, number][] = [
  ['hotel', 0.01],
  ['flight delayed', 0.005],
  ['front desk', 0.003],
  ['Café', 0.002],
  ['会议室在三楼', 0.002],
  ['cancelled', 0.002],
  ['zephyr', 0.00002],
];

/** The deterministic text of message `n` (a small linear congruential generator). */
export function corpusText(n: number): string {
  let seed = (n * 2654435761) >>> 0;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const words: string[] = [];
  const length = 6 + Math.floor(next() * 10);
  for (let i = 0; i < length; i++) words.push(WORDS[Math.floor(next() * WORDS.length)]!);
  for (const [word, p] of PLANTED) {
    if (next() < p) words.splice(Math.floor(next() * words.length), 0, word);
  }
  return words.join(' ');
}

interface Row {
  id: string;
  cid: string;
  seq: number;
  text: string;
  at: number;
}

/**
 * The corpus's messages in the order a live deployment stores them: in time order, the
 * channels' conversations interleaved (message `n` of all is in channel `n % channels`), so
 * that a channel's messages are spread over the whole table and its index entries, not
 * stored side by side, which would flatter every per-channel lookup.
 */
function* batches(shape: SearchCorpusShape, size: number): Generator<Row[]> {
  let batch: Row[] = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  let n = 0;
  for (let seq = 1; seq <= shape.perChannel; seq++) {
    for (let c = 0; c < shape.channels; c++) {
      batch.push({
        id: `s-${c}-${seq}`,
        cid: `bench:s${c}`,
        seq,
        text: corpusText(n),
        at: start + n,
      });
      n++;
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

const MESSAGE_COLUMNS =
  'id, cid, seq, type, user_id, text, data, created_at, updated_at, search_text, search_bigrams';

/**
 * Fills an empty, migrated database with users `search-author` and `searcher`, the channels
 * and their messages (with their search text, as the server writes it), by direct SQL.
 * The channels' seqs count as dispatched (outbox_seq = last_seq): otherwise the server's
 * outbox dispatcher walks a thousand channels' seqs, one a second, through the measurement.
 * Run it while no server has the database open.
 */
export async function seedSearchCorpus(
  place: { file?: string; url?: string },
  shape: SearchCorpusShape,
): Promise<void> {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const users = ['search-author', 'searcher'];
  const channels = Array.from({ length: shape.channels }, (_, c) => `s${c}`);
  if (place.file !== undefined) {
    const db = new Database(place.file);
    try {
      db.pragma('journal_mode = WAL');
      const user = db.prepare(
        `INSERT INTO parley_users (id, name, image, role, data, created_at, updated_at, last_active) VALUES (?, ?, NULL, 'user', '{}', ?, ?, NULL)`,
      );
      const channel = db.prepare(
        `INSERT INTO parley_channels (cid, type, id, data, is_distinct, created_by_id, created_at, updated_at, last_message_at, activity_at, member_count, last_seq, outbox_seq) VALUES (?, 'bench', ?, '{}', 0, 'search-author', ?, ?, ?, ?, ?, ?, ?)`,
      );
      const member = db.prepare(
        `INSERT INTO parley_members (cid, user_id, role, created_at, last_read_seq, last_read_message_id, last_read_at) VALUES (?, ?, 'member', ?, ?, NULL, NULL)`,
      );
      const message = db.prepare(
        `INSERT INTO parley_messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, 'regular', 'search-author', ?, '{}', ?, ?, ?, ?)`,
      );
      db.transaction(() => {
        for (const id of users) user.run(id, id, now, now);
        channels.forEach((id, c) => {
          const members = c < shape.searcherChannels ? 2 : 1;
          channel.run(
            `bench:${id}`,
            id,
            now,
            now,
            now,
            now,
            members,
            shape.perChannel,
            shape.perChannel,
          );
          member.run(`bench:${id}`, 'search-author', now, shape.perChannel);
          if (c < shape.searcherChannels)
            member.run(`bench:${id}`, 'searcher', now, shape.perChannel);
        });
      })();
      const insert = db.transaction((rows: Row[]) => {
        for (const r of rows) {
          const searchText = searchTextOf(r.text);
          message.run(r.id, r.cid, r.seq, r.text, r.at, r.at, searchText, cjkBigramsOf(searchText));
        }
      });
      for (const rows of batches(shape, 10_000)) insert(rows);
      // A server merges the search index's b-trees in steps as messages arrive (migration
      // 017 turned FTS5's own merges off): merged as far as those steps go, a level at a
      // time once it holds 4 b-trees, as the live index would be.
      for (const table of ['parley_messages_fts', 'parley_messages_cjk']) {
        const merge = db.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('merge', 100000)`);
        const changes = db.prepare('SELECT total_changes() AS n').pluck();
        for (;;) {
          const before = changes.get() as number;
          merge.run();
          if ((changes.get() as number) - before < 2) break;
        }
      }
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: place.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const id of users) {
      await client.query(
        `INSERT INTO parley_users (id, name, image, role, data, created_at, updated_at, last_active) VALUES ($1, $1, NULL, 'user', '{}', $2, $2, NULL)`,
        [id, now],
      );
    }
    for (const [c, id] of channels.entries()) {
      const members = c < shape.searcherChannels ? 2 : 1;
      await client.query(
        `INSERT INTO parley_channels (cid, type, id, data, is_distinct, created_by_id, created_at, updated_at, last_message_at, activity_at, member_count, last_seq, outbox_seq) VALUES ($1, 'bench', $2, '{}', 0, 'search-author', $3, $3, $3, $3, $4, $5, $5)`,
        [`bench:${id}`, id, now, members, shape.perChannel],
      );
      const who = c < shape.searcherChannels ? users : ['search-author'];
      for (const userId of who) {
        await client.query(
          `INSERT INTO parley_members (cid, user_id, role, created_at, last_read_seq, last_read_message_id, last_read_at) VALUES ($1, $2, 'member', $3, $4, NULL, NULL)`,
          [`bench:${id}`, userId, now, shape.perChannel],
        );
      }
    }
    await client.query('COMMIT');
    for (const rows of batches(shape, 10_000)) {
      const json = rows.map((r) => ({
        id: r.id,
        cid: r.cid,
        seq: r.seq,
        type: 'regular',
        user_id: 'search-author',
        text: r.text,
        data: '{}',
        created_at: r.at,
        updated_at: r.at,
        search_text: searchTextOf(r.text),
        search_bigrams: cjkBigramsOf(searchTextOf(r.text)),
      }));
      await client.query(
        `INSERT INTO parley_messages (${MESSAGE_COLUMNS})
         SELECT ${MESSAGE_COLUMNS} FROM json_populate_recordset(null::parley_messages, $1::json)`,
        [JSON.stringify(json)],
      );
    }
    // As autovacuum would after a bulk insert (PostgreSQL 13+ vacuums a table after inserts):
    // the GIN indexes' pending lists merged, the visibility map set, the statistics taken.
    await client.query('VACUUM ANALYZE parley_messages');
    // The bulk insert's pages written out now, as a live database's were long before its
    // searches: else the checkpoint writing them (a gigabyte) runs during the measurement,
    // and its CPU counts as the searches'.
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

/**
 * Bytes of the search indexes: FTS5's shadow tables (trigram and CJK pairs) and the index of
 * the channels' search rows, or the GIN indexes.
 */
export async function searchIndexBytes(place: { file?: string; url?: string }): Promise<{
  index: number;
  messages: number;
}> {
  if (place.file !== undefined) {
    const db = new Database(place.file, { readonly: true });
    try {
      const size = (pattern: string) =>
        (
          db
            .prepare(`SELECT COALESCE(SUM(pgsize), 0) AS n FROM dbstat WHERE name LIKE ?`)
            .get(pattern) as { n: number }
        ).n;
      return {
        index:
          size('parley_messages_fts%') +
          size('parley_messages_cjk%') +
          size('parley_messages_search_rows_idx'),
        messages: size('parley_messages'),
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: place.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ index: string; messages: string }>(
      `SELECT pg_relation_size('parley_messages_channel_search_idx') + pg_relation_size('parley_messages_channel_cjk_idx') AS index,
              pg_total_relation_size('parley_messages') - pg_relation_size('parley_messages_channel_search_idx')
                - pg_relation_size('parley_messages_channel_cjk_idx') AS messages`,
    );
    return { index: Number(rows[0]!.index), messages: Number(rows[0]!.messages) };
  } finally {
    await client.end();
  }
}
