import type { Kysely, Migration } from 'kysely';

/**
 * Flags are resolved (dismissed, or acted on) from the admin console: the queue shows the
 * open ones. Existing flags stay open.
 */
export const flagResolution: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite adds one at a time.
    await db.schema.alterTable('parley_flags').addColumn('resolution', 'text').execute();
    await db.schema.alterTable('parley_flags').addColumn('resolved_by', 'text').execute();
    await db.schema.alterTable('parley_flags').addColumn('resolved_at', 'bigint').execute();
  },
};
