import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { columnRowMaker, rowMaker, withStatementCache } from './statement-cache.js';

describe('the statement cache', () => {
  let native: BetterSqlite3.Database;

  beforeEach(() => {
    native = new BetterSqlite3(':memory:');
    native.exec(`create table t (id integer primary key, v text, n real, b blob);
      insert into t values (1, 'one', 1.5, x'01'), (2, null, null, null), (3, 'it''s', -2, x'')`);
  });
  afterEach(() => native.close());

  // Each query's rows as better-sqlite3 makes them, and through the cache.
  const queries = [
    'select * from t order by id',
    'select id, v as "id" from t order by id',
    'select id as "a-b", v as "a b", n as "x""y", count(*) over () from t order by id',
    'select 1 as "constructor", 2 as "toString", 3 as "0", 4 as ""',
    'select * from t where id > 9',
    "insert into t (v) values ('new') returning id, v",
  ];

  it('gives the rows better-sqlite3 gives, key for key and in the same order', () => {
    const reference = new BetterSqlite3(':memory:');
    reference.exec(native.prepare('select sql from sqlite_master').pluck().get() as string);
    reference.exec(`insert into t select * from (values (1, 'one', 1.5, x'01'),
      (2, null, null, null), (3, 'it''s', -2, x''))`);
    const cached = withStatementCache(native, 10);
    for (const sql of queries) {
      const expected = reference.prepare(sql).all();
      const rows = cached.prepare(sql).all([]) as object[];
      expect(rows, sql).toEqual(expected);
      rows.forEach((row, i) => {
        expect(Object.keys(row), sql).toEqual(Object.keys(expected[i] as object));
      });
    }
    reference.close();
  });

  it('streams rows as objects and keeps one statement per text', () => {
    const cached = withStatementCache(native, 10);
    const select = cached.prepare('select id, v from t where id >= ? order by id');
    expect([...select.iterate([2])]).toEqual([
      { id: 2, v: null },
      { id: 3, v: "it's" },
    ]);
    expect(cached.prepare('select id, v from t where id >= ? order by id')).toBe(select);
    const update = cached.prepare('update t set v = ? where id = ?');
    expect(update.reader).toBe(false);
    expect(update.run(['two', 2]).changes).toBe(1);
    expect(select.all([2])).toEqual([
      { id: 2, v: 'two' },
      { id: 3, v: "it's" },
    ]);
  });

  // better-sqlite3 itself drops a column named __proto__ (its value would set the prototype).
  it('makes a property of every name, whatever characters it holds', () => {
    const make = rowMaker(['a', 'a', '__proto__', '"); throw 1; ("', '\u2028']);
    const row = make([1, 2, 3, 4, 5]) as Record<string, unknown>;
    expect(row).toEqual({ a: 2, ['__proto__']: 3, '"); throw 1; ("': 4, '\u2028': 5 });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    // The same from rows sent by column (the reader threads').
    const byColumn = columnRowMaker(['a', 'a', '__proto__', '"); throw 1; ("', '\u2028']);
    const second = byColumn(
      [
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
        [0, 5],
      ],
      1,
    );
    expect(second).toEqual(row);
    expect(Object.getPrototypeOf(second)).toBe(Object.prototype);
  });
});
