import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 with its prepared statements kept by SQL text, the most recently used
 * `size` of them. Kysely's SQLite driver prepares every query anew, and preparing a
 * statement costs more than running a small one: this was a quarter of the server's
 * CPU time under a message flood.
 */
export function withStatementCache(db: BetterSqlite3.Database, size: number): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      // A statement still iterating (a streamed query) cannot run again until it is done.
      if (cached !== undefined && !cached.busy) {
        // Map order is insertion order: moving it to the end keeps the least recent first.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
