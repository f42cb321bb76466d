import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createSqliteDatabase } from '../sqlite/sqlite-dialect.js';
import type { Database } from './database.js';
import { executePrepared } from './prepared-statements.js';

describe('sqlite: executePrepared', () => {
  let db: Kysely<Database> | undefined;
  afterEach(async () => {
    await db?.destroy();
  });

  /** Rows 1…n of a one-column table, as `select` reads them. */
  const numbers = (d: Kysely<Database>, from: number, below: number) =>
    d
      .selectFrom(
        sql<{
          n: number;
        }>`(with recursive t(n) as (select 1 union all select n + 1 from t where n < 9) select n from t)`.as(
          't',
        ) as never,
      )
      .select(sql<number>`n`.as('n'))
      .where(sql.ref('n'), '>=', from)
      .where(sql.ref('n'), '<', below)
      .orderBy(sql.ref('n'));

  it('builds a statement twice at its first run only, then binds each run’s values', async () => {
    db = createSqliteDatabase(':memory:');
    const build = vi.fn((from: number, below: number) => numbers(db!, from, below));
    const run = (from: number, below: number) =>
      executePrepared(db!, 'numbers', [from, below] as const, build);
    expect(await run(2, 5)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    expect(await run(7, 9)).toEqual([{ n: 7 }, { n: 8 }]);
    expect(await run(5, 5)).toEqual([]);
    // Once with the values (the run), once with stand-ins (the statement kept).
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('inside a transaction runs the statement as built, and sees the transaction', async () => {
    db = createSqliteDatabase(':memory:');
    await db.transaction().execute(async (trx) => {
      const build = vi.fn((from: number) => numbers(trx, from, 4));
      expect(await executePrepared(trx, 'in-trx', [3] as const, build)).toEqual([{ n: 3 }]);
      expect(await executePrepared(trx, 'in-trx', [1] as const, build)).toHaveLength(3);
      expect(build).toHaveBeenCalledTimes(2);
    });
  });
});
