import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/part-variants.js';
import { seedSearchCorpus } from '../../helpers/search-corpus.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { TestServer } from '../../helpers/test-server.js';

// PostgreSQL only: a search is held inside the database by a lock on the messages table,
// which SQLite's readers (WAL) never wait for. What holds the others back is the server's,
// the same on both databases.

/** The `parley_searches` gauge by state, as /metrics says it now. */
async function searchesNow(server: TestServer): Promise<{ running: number; waiting: number }> {
  return {
    running: await server.metric('parley_searches', 'state="running"'),
    waiting: await server.metric('parley_searches', 'state="waiting"'),
  };
}

/** The searches once `done` holds of them, or as they are after 5 s (for the assertion). */
async function until(
  server: TestServer,
  done: (now: { running: number; waiting: number }) => boolean,
): Promise<{ running: number; waiting: number }> {
  await eventually('the searches gauge', async () => done(await searchesNow(server))).catch(
    () => {},
  );
  return searchesNow(server);
}

describe.skipIf(!STORAGE_KINDS.includes('postgres'))(
  'postgres: searches beyond searchConcurrency',
  () => {
    let server: TestServer;
    let aliceToken: string;

    beforeAll(async () => {
      server = await TestServer.start('postgres', { searchConcurrency: 1 });
      await seedSearchCorpus(server);
      aliceToken = await server.tokenFor('alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    const search = (q: string) =>
      server.api<{ results: { message: { text: string } }[] }>(
        'GET',
        `/search?q=${encodeURIComponent(q)}&sort=newest`,
        { token: aliceToken },
      );

    it('wait their turn in the server, then each answers', async () => {
      const alone = await search('hotel');
      expect(alone.status).toBe(200);
      expect(alone.body.results.length).toBeGreaterThan(0);

      // The first search waits inside PostgreSQL for the lock; the second for its turn.
      const locker = new pg.Client({ connectionString: server.server.config.databaseUrl });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE parley_messages IN ACCESS EXCLUSIVE MODE');
        const first = search('hotel');
        expect(await until(server, (now) => now.running === 1)).toEqual({
          running: 1,
          waiting: 0,
        });
        const second = search('cafe');
        expect(await until(server, (now) => now.waiting === 1)).toEqual({
          running: 1,
          waiting: 1,
        });
        await locker.query('COMMIT');
        const [one, two] = await Promise.all([first, second]);
        expect(one.status).toBe(200);
        expect(one.body.results.map((r) => r.message.text)).toEqual(
          alone.body.results.map((r) => r.message.text),
        );
        expect(two.status).toBe(200);
        expect(two.body.results.map((r) => r.message.text.toLowerCase())).toEqual(
          expect.arrayContaining([expect.stringContaining('caf')]),
        );
      } finally {
        await locker.end();
      }
      expect(await until(server, (now) => now.running === 0)).toEqual({ running: 0, waiting: 0 });
    });
  },
);
