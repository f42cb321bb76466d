import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limitOf, patternOf } from './inline-values.js';
import { createSqliteDatabase } from './sqlite-dialect.js';

interface Tables {
  t: { id: number; v: string };
}

describe('values SQLite plans by, written into the SQL text', () => {
  let dir: string;
  let db: Kysely<Tables>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-inline-'));
    db = createSqliteDatabase(path.join(dir, 'db.sqlite')) as unknown as Kysely<Tables>;
    await sql`create table t (id integer primary key, v text not null)`.execute(db);
    const texts = ["it's", 'a*b', 'a?b', '[x]', 'plain', "x' or 1=1 --"];
    await db
      .insertInto('t')
      .values(texts.map((v, i) => ({ id: i + 1, v })))
      .execute();
  });
  afterEach(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it("puts a select's LIMIT in the text, and leaves the other values bound", async () => {
    const query = db.selectFrom('t').select('id').where('id', '>', 1).orderBy('id').limit(3);
    const compiled = query.compile();
    expect(compiled.sql).toMatch(/limit 3$/);
    expect(compiled.parameters).toEqual([1]);
    expect((await query.execute()).map((r) => r.id)).toEqual([2, 3, 4]);
    // Another page size is another statement, with its own rows.
    const two = await db.selectFrom('t').select('id').orderBy('id').limit(2).execute();
    expect(two.map((r) => r.id)).toEqual([1, 2]);
  });

  it('writes limits and patterns of hand-written SQL as literals, quotes doubled', async () => {
    const glob = (pattern: string) =>
      sql<{
        v: string;
      }>`select v from t where v GLOB ${patternOf(pattern)} order by id ${limitOf(10)}`;
    const compiled = glob("*it's*").compile(db);
    expect(compiled.sql).toBe("select v from t where v GLOB '*it''s*' order by id LIMIT 10");
    expect(compiled.parameters).toEqual([]);
    const found = async (pattern: string) => (await glob(pattern).execute(db)).rows.map((r) => r.v);
    expect(await found("*it's*")).toEqual(["it's"]);
    // A quote cannot end the literal early: the whole text is the pattern.
    expect(await found("*' or 1=1 --*")).toEqual(["x' or 1=1 --"]);
    expect(await found('*[*]*')).toEqual(['a*b']);
    expect(await found('*a?b*')).toEqual(['a*b', 'a?b']);
    // NUL would end SQLite's reading of the text: such a pattern stays bound.
    expect(patternOf('a\0b').compile(db).parameters).toEqual(['a\0b']);
  });

  it('refuses a limit that is not a count', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => limitOf(bad)).toThrow(/non-negative integer/);
    }
  });
});
