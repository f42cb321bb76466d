import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../helpers/test-server.js';

// SQLite only: PostgreSQL's GIN indexes merge without holding up an insert (see
// SearchIndex.mergeInSteps), so there is nothing of this kind to check there.
describe('sqlite: the search index merges in steps on the send path', () => {
  let server: TestServer;
  let file: string;

  beforeAll(async () => {
    server = await TestServer.start('sqlite', { limits: { messagesPerWindow: 0 } });
    file = `${server.server.config.dataDir}/parley.db`;
    await server.createUsers('ana', 'ben');
    await server.createChannel('team', 'merges', ['ana', 'ben']);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Rows of a query on the server's file, from a connection of the test's own. */
  const query = <T>(text: string): T[] => {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      return db.prepare(text).all() as T[];
    } finally {
      db.close();
    }
  };

  it('turns FTS5’s own merges off, keeps the index’s b-trees few, and still finds every message', async () => {
    expect(
      query<{ k: string; v: number }>(
        "SELECT k, v FROM parley_messages_fts_config WHERE k = 'automerge'",
      ),
    ).toEqual([{ k: 'automerge', v: 0 }]);
    expect(
      query<{ v: number }>("SELECT v FROM parley_messages_cjk_config WHERE k = 'automerge'"),
    ).toEqual([{ v: 0 }]);

    const ana = await server.connect('ana');
    try {
      // One transaction each, so one new b-tree (segment) each in the index.
      for (let i = 0; i < 120; i++) await ana.sendMessage('team:merges', `hotel night ${i} 会议`);
    } finally {
      await ana.close();
    }
    const [{ segments } = { segments: Infinity }] = query<{ segments: number }>(
      'SELECT count(DISTINCT segid) AS segments FROM parley_messages_fts_idx',
    );
    // Without the steps, FTS5 (automerge off) lets 16 accumulate on a level before merging.
    expect(segments).toBeLessThanOrEqual(8);
    const found = await server.api('GET', '/search?q=hotel&limit=100&sort=newest&as_user_id=ana');
    expect(found.status).toBe(200);
    expect(found.body.results).toHaveLength(100);
    const cjk = await server.api('GET', '/search?q=会议&limit=5&as_user_id=ana');
    expect(cjk.body.results).toHaveLength(5);
  });
});
