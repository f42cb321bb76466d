import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { AtasDatabase } from './database.js';

/** The SQLite file in the data folder when no database URL is given. */
export const SQLITE_FILE_NAME = 'atas.db';

export interface DatabaseOptions {
  /** Folder of `atas.db`, created at the first query. */
  dataDir: string;
  /** `postgres://…` / `postgresql://…` for PostgreSQL; undefined or empty for SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
}

/**
 * Kysely over SQLite (better-sqlite3 v12, WAL) by default or PostgreSQL by URL, as the
 * Parley server does. Only constructs: nothing connects before the first query.
 */
export function createDatabase(options: DatabaseOptions): Kysely<AtasDatabase> {
  const url = options.databaseUrl ?? '';
  if (/^postgres(ql)?:\/\//i.test(url)) return createPostgres(url);
  if (url !== '') {
    throw new Error('unsupported databaseUrl: use postgres://… or postgresql://…, or none');
  }
  return createSqlite(path.resolve(options.dataDir, SQLITE_FILE_NAME));
}

function createSqlite(file: string): Kysely<AtasDatabase> {
  return new Kysely<AtasDatabase>({
    dialect: new SqliteDialect({
      database: async () => {
        await mkdir(path.dirname(file), { recursive: true });
        const db = new BetterSqlite3(file);
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
        return db;
      },
    }),
  });
}

function createPostgres(url: string): Kysely<AtasDatabase> {
  // pg returns int8 (our millisecond times) as strings; this parser is for this pool only.
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection that dies is dropped; without a listener Node would crash.
  pool.on('error', () => {});
  return new Kysely<AtasDatabase>({ dialect: new PostgresDialect({ pool }) });
}
