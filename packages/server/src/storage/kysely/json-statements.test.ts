import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import { createSqliteDatabase, sqliteAdapter } from '../sqlite/sqlite-dialect.js';
import type { Database } from './database.js';
import { JsonStatements } from './json-statements.js';

describe('sqlite: JsonStatements', () => {
  let db: Kysely<Database> | undefined;
  afterEach(async () => {
    await db?.destroy();
  });

  it('builds a statement once and runs it again with new rows', async () => {
    db = createSqliteDatabase(':memory:');
    const statements = new JsonStatements(sqliteAdapter);
    const build = vi.fn((table: Parameters<Parameters<JsonStatements['execute']>[3]>[0]) =>
      db!.selectFrom(table as never).selectAll(),
    );
    const run = (ids: string[]) =>
      statements.execute(
        db!,
        'ids',
        { rows: ids.map((id) => ({ id })), columns: { id: 'text' }, alias: 'r' },
        build,
      );
    expect(await run(['a'])).toEqual([{ id: 'a' }]);
    expect(await run(['b', 'c'])).toEqual([{ id: 'b' }, { id: 'c' }]);
    expect(build).toHaveBeenCalledTimes(1);
  });
});
