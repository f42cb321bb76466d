import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_FILE_NAME } from '../../src/storage/index.js';
import type { StorageKind } from './storages.js';

/** The text the database refuses inside `withRefusedText`. */
export const REFUSED_TEXT = 'refused by the database';

/**
 * Runs `work` while the database refuses to insert a message whose text is REFUSED_TEXT,
 * as a failing constraint would: a trigger, added and dropped through a connection of
 * its own (so the server under test is unchanged).
 */
export async function withRefusedText<T>(
  kind: StorageKind,
  database: { dataDir: string; databaseUrl: string | undefined },
  work: () => Promise<T>,
): Promise<T> {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    try {
      await client.query(`create function parley_test_refuse() returns trigger
        language plpgsql as $$
        begin
          if new.text = '${REFUSED_TEXT}' then raise exception 'text refused'; end if;
          return new;
        end $$`);
      await client.query(`create trigger parley_test_refuse before insert on parley_messages
        for each row execute function parley_test_refuse()`);
      return await work();
    } finally {
      await client.query('drop trigger if exists parley_test_refuse on parley_messages');
      await client.query('drop function if exists parley_test_refuse()');
      await client.end();
    }
  }
  const db = new BetterSqlite3(path.join(database.dataDir, SQLITE_FILE_NAME));
  try {
    db.exec(`create trigger parley_test_refuse before insert on parley_messages
      when new.text = '${REFUSED_TEXT}' begin select raise(abort, 'text refused'); end`);
    return await work();
  } finally {
    db.exec('drop trigger if exists parley_test_refuse');
    db.close();
  }
}
