import type { Kysely, Migration } from 'kysely';

/**
 * Attachments on messages (issue 12, phase 2): each message keeps its files' descriptions
 * (a JSON array, `[]` for none, so that older rows need no backfill); the uploads' rows say
 * which message took them.
 */
export const attachments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('parley_messages')
      .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('parley_messages').dropColumn('attachments').execute();
  },
};
