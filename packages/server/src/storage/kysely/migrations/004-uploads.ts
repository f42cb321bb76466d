import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

/** Uploaded files (issue 12): one row per upload; the bytes are in the blob store. */
export const uploads: Migration = {
  async up(db: Kysely<unknown>) {
    // No foreign keys: an upload outlives nothing it names (its channel's deletion and the
    // sweeper remove it), and rows are checked by the service before they are written.
    await db.schema
      .createTable('parley_uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('blob_key', 'text', (c) => c.notNull())
      .addColumn('thumb_key', 'text')
      .addColumn('thumb_size', 'bigint')
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('width', 'integer')
      .addColumn('height', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .execute();
    // The sweeper's scan: unattached uploads, oldest first.
    await db.schema
      .createIndex('parley_uploads_unattached_idx')
      .on('parley_uploads')
      .column('created_at')
      .where(sql.ref('message_id'), 'is', null)
      .execute();
    // A message's (and a channel's) files, for phase 2's deletes.
    await db.schema
      .createIndex('parley_uploads_message_id_idx')
      .on('parley_uploads')
      .column('message_id')
      .execute();
    await db.schema
      .createIndex('parley_uploads_cid_idx')
      .on('parley_uploads')
      .column('cid')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('parley_uploads').execute();
  },
};
