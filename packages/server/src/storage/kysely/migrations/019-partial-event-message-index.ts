import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The events index by message (`parley_events_message_idx`) is read only when a message is
 * deleted, to scrub its text from the events that carry it, yet every send wrote an entry
 * for its `message.new` at a random place (message ids are random): a page more to read,
 * dirty and copy to the WAL per message, ~15 % of a send batch's storage CPU on SQLite. A
 * `message.new` is found by its message's (cid, seq) instead, so the index now holds only
 * the other events about a message (edits, reactions, pins, thread updates), which are few.
 * Both databases use a partial index for a query whose condition implies its own.
 */
export const partialEventMessageIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('parley_events_message_idx').execute();
    await db.schema
      .createIndex('parley_events_message_idx')
      .on('parley_events')
      .column('message_id')
      .where(sql.ref('type'), '<>', sql.lit('message.new'))
      .execute();
  },
};
