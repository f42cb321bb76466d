import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../kysely/database.js';
import { createSqliteReaders } from './sqlite-readers.js';

describe('SQLite reader threads', () => {
  let dir: string;
  let db: BetterSqlite3.Database;
  let readers: Kysely<Database>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-readers-'));
    const file = path.join(dir, 'db.sqlite');
    db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.exec('create table t (id integer primary key, v text not null)');
    readers = createSqliteReaders(file, { threads: 2 });
  });
  afterEach(async () => {
    await readers.destroy();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const values = async () =>
    (await sql<{ v: string }>`select v from t order by id`.execute(readers)).rows.map((r) => r.v);

  it('sees every row committed before the query, from any thread', async () => {
    db.prepare('insert into t (v) values (?)').run('first');
    expect(await values()).toEqual(['first']);
    db.prepare('insert into t (v) values (?)').run('second');
    // Several at once: both threads answer, each with the rows committed so far.
    const answers = await Promise.all([values(), values(), values(), values()]);
    expect(answers).toEqual(Array.from({ length: 4 }, () => ['first', 'second']));
  });

  it('answers the rows the main connection reads: every value, and the later of repeated names', async () => {
    const insert = db.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 600; i++) insert.run(i % 7 === 0 ? `café ${i} 会议` : `row ${i}`);
    const query = `select id, v, length(v) as n, nullif(id % 3, 0) as maybe, 1.5 as half, 'a' as v
      from t order by id desc`;
    const { rows } = await sql.raw(query).execute(readers);
    expect(rows).toEqual(db.prepare(query).all());
    expect(rows).toHaveLength(600);
    expect(rows[0]).toEqual({ id: 600, v: 'a', n: 7, maybe: null, half: 1.5 });
    expect((await sql.raw('select v from t where id < 0').execute(readers)).rows).toEqual([]);
  });

  it('refuses to write, and passes on SQLite errors with their codes', async () => {
    await expect(sql`insert into t (v) values ('no')`.execute(readers)).rejects.toThrow(
      /only reads/,
    );
    await expect(sql`select * from missing`.execute(readers)).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
    });
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 0 });
    // The threads still answer after an error.
    expect(await values()).toEqual([]);
  });
});
