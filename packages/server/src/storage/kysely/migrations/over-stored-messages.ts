import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Runs `work` (a migration's pass over the stored messages), with a line on stderr before
 * and one after (`done`, given the milliseconds it took) when there are messages: on a large
 * database the start-up waits for it.
 */
export async function overStoredMessages(
  db: Kysely<unknown>,
  lines: { start: string; done: (ms: number) => string },
  work: () => Promise<void>,
): Promise<void> {
  const { rows } = await sql`SELECT 1 FROM parley_messages LIMIT 1`.execute(db);
  const start = Date.now();
  if (rows.length > 0) process.stderr.write(`${lines.start}\n`);
  await work();
  if (rows.length > 0) process.stderr.write(`${lines.done(Date.now() - start)}\n`);
}

/**
 * A migration that is one pass over the stored messages (overStoredMessages): its lines
 * read `parley: <doing>…` and `parley: <done> in <ms> ms`.
 */
export function overStoredMessagesMigration(
  lines: { doing: string; done: string },
  work: (db: Kysely<unknown>) => Promise<void>,
): Migration {
  return {
    up: (db: Kysely<unknown>) =>
      overStoredMessages(
        db,
        {
          start: `parley: ${lines.doing}…`,
          done: (ms) => `parley: ${lines.done} in ${ms} ms`,
        },
        () => work(db),
      ),
  };
}
