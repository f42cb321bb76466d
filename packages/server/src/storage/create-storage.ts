import path from 'node:path';
import { KyselyStorage } from './kysely/kysely-storage.js';
import { createPostgresDatabase, postgresAdapter } from './postgres/postgres-dialect.js';
import { createSqliteDatabase, sqliteAdapter } from './sqlite/sqlite-dialect.js';
import type { Storage } from './storage.js';

export interface StorageOptions {
  /** Folder of the SQLite file `parley.db`, created if missing. Used when `databaseUrl` names no database. */
  dataDir: string;
  /**
   * Where the data lives. Default (undefined or empty): SQLite in `dataDir`.
   * `postgres://…` or `postgresql://…`: PostgreSQL. `sqlite:/path/to/file.db`, or a plain
   * path ending in `.db`: that SQLite file (relative paths from the working directory).
   */
  databaseUrl?: string | undefined;
}

/** The SQLite file used when no database URL is given. */
export const SQLITE_FILE_NAME = 'parley.db';

/**
 * Builds the storage the options describe. It only constructs: nothing connects before
 * the caller runs `migrate()`.
 */
export function createStorage(options: StorageOptions): Storage {
  const url = options.databaseUrl ?? '';
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return new KyselyStorage(createPostgresDatabase(url), postgresAdapter);
  }
  const file = sqliteFile(url, options.dataDir);
  return new KyselyStorage(createSqliteDatabase(file), sqliteAdapter);
}

function sqliteFile(url: string, dataDir: string): string {
  if (url === '') return path.resolve(dataDir, SQLITE_FILE_NAME);
  if (/^sqlite:/i.test(url)) {
    // `sqlite:/abs/file.db`, and the URL-style `sqlite:///abs/file.db`.
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '') throw new Error(`databaseUrl ${url} names no SQLite file`);
    return path.resolve(file);
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && url.toLowerCase().endsWith('.db')) {
    return path.resolve(url);
  }
  throw new Error(
    `unsupported databaseUrl ${redact(url)}: use postgres://…, postgresql://…, sqlite:/path/to/file.db or a path ending in .db`,
  );
}

/** Hides a password, as the URL ends up in error messages and logs. */
function redact(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}
