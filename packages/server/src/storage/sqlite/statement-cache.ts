import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 with its prepared statements kept by SQL text, the most recently used
 * `size` of them. Kysely's SQLite driver prepares every query anew, and preparing a
 * statement costs more than running a small one: this was a quarter of the server's
 * CPU time under a message flood.
 *
 * Rows are read as arrays and made objects by a function compiled once per statement
 * (see rowMaker): better-sqlite3's own objects cost a property lookup by name, with the
 * name made a V8 string again, for every column of every row — a fifth of the main
 * thread's time under the history bench (50 rows of 30 columns a page: 310–380 µs, where
 * arrays and the compiled function take 133).
 */
export function withStatementCache(db: BetterSqlite3.Database, size: number): SqliteDatabase {
  const statements = new Map<string, CachedStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      // A statement still iterating (a streamed query) cannot run again until it is done.
      if (cached !== undefined && !cached.native.busy) {
        // Map order is insertion order: moving it to the end keeps the least recent first.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached.statement;
      }
      const entry = cachedStatement(db.prepare(sql));
      statements.set(sql, entry);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return entry.statement;
    },
  };
}

interface CachedStatement {
  native: BetterSqlite3.Statement;
  statement: SqliteStatement;
}

function cachedStatement(native: BetterSqlite3.Statement): CachedStatement {
  if (!native.reader) return { native, statement: native };
  const raw = native.raw(true);
  const make = rowMaker(raw.columns().map((c) => c.name));
  const statement: SqliteStatement = {
    reader: true,
    all: (parameters) => (raw.all(parameters) as unknown[][]).map(make),
    run: (parameters) => raw.run(parameters),
    *iterate(parameters) {
      for (const row of raw.iterate(parameters) as IterableIterator<unknown[]>) yield make(row);
    },
  };
  return { native, statement };
}

/**
 * A function making a row's object from its array of values, as better-sqlite3 would:
 * one property per column name in the columns' order, the last column of a name winning.
 * It is an object literal compiled once (keys quoted by JSON.stringify), so that V8 makes
 * every row from one template.
 */
export function rowMaker(names: readonly string[]): (values: unknown[]) => object {
  return literalMaker(names, 'v', (i) => `v[${i}]`) as (values: unknown[]) => object;
}

/** The same for rows sent by column (sqlite-readers.ts): row `r` of `columns`. */
export function columnRowMaker(
  names: readonly string[],
): (columns: unknown[][], r: number) => Record<string, unknown> {
  return literalMaker(names, 'c, r', (i) => `c[${i}][r]`) as (
    columns: unknown[][],
    r: number,
  ) => Record<string, unknown>;
}

function literalMaker(
  names: readonly string[],
  parameters: string,
  valueOf: (column: number) => string,
): unknown {
  const last = new Map<string, number>();
  names.forEach((name, i) => last.set(name, i));
  const properties = [...last].map(([name, i]) =>
    // A literal `"__proto__": v` would set the prototype; a computed key makes a property.
    name === '__proto__'
      ? `[${JSON.stringify(name)}]: ${valueOf(i)}`
      : `${JSON.stringify(name)}: ${valueOf(i)}`,
  );
  return new Function(parameters, `return { ${properties.join(', ')} };`);
}
