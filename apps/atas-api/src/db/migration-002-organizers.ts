import type { Kysely, Migration } from 'kysely';

/**
 * Organizers run ATAS themselves (issue 14): events get a description and a time zone, and
 * one-time links (invites by email, password resets) get a table. Portable calls only.
 */
export const organizersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('atas_events').addColumn('description', 'text').execute();
    await db.schema
      .alterTable('atas_events')
      .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
      .execute();

    await db.schema
      .createTable('atas_links')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('atas_users.id'))
      .addColumn('invitation_id', 'text', (c) => c.references('atas_invitations.id'))
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('atas_links_invitation_idx')
      .on('atas_links')
      .column('invitation_id')
      .execute();
    await db.schema.createIndex('atas_links_user_idx').on('atas_links').column('user_id').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('atas_links').execute();
    await db.schema.alterTable('atas_events').dropColumn('time_zone').execute();
    await db.schema.alterTable('atas_events').dropColumn('description').execute();
  },
};
