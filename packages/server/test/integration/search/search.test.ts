import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../../helpers/expect-error.js';
import { seedSearchCorpus, type CorpusKey } from '../../helpers/search-corpus.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { TestServer } from '../../helpers/test-server.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: message search`, () => {
    let server: TestServer;
    let ids: Map<CorpusKey, string>;
    let aliceToken: string;

    beforeAll(async () => {
      server = await TestServer.start(kind);
      ids = await seedSearchCorpus(server);
      aliceToken = await server.tokenFor('alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    const keyOf = (id: string) => [...ids].find(([, v]) => v === id)?.[0] ?? id;
    /** The keys alice finds for `q`, newest first. */
    const find = async (q: string, extra = '', token: string | null = aliceToken) => {
      const path = `/search?q=${encodeURIComponent(q)}&sort=newest&limit=50${extra}`;
      const res = await server.api('GET', path, token === null ? {} : { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.results as { message: { id: string } }[]).map((r) => keyOf(r.message.id));
    };

    it('finds messages with every word, in any case and with or without accents', async () => {
      expect(await find('hotel friday')).toEqual(['friday']);
      expect(await find('cafe')).toEqual(['lait', 'cafe']);
      expect(await find('CAFÉ')).toEqual(['lait', 'cafe']);
      expect(await find('ubernachtung')).toEqual(['german']);
    });

    it('finds parts of words, and only what contains every term', async () => {
      expect(await find('hot')).toEqual([
        'system',
        'reply',
        'german',
        'nearby',
        'shuttle',
        'friday',
      ]);
      expect(await find('book')).toEqual(['friday']);
      expect(await find('hotel nearby')).toEqual(['nearby']);
    });

    it('matches "quoted phrases" as written and leaves out -excluded words', async () => {
      expect(await find('"check in"')).toEqual(['desk']);
      expect(await find('check')).toEqual(['noon', 'desk']);
      expect(await find('hotel -shuttle -"in a thread"')).toEqual([
        'system',
        'german',
        'nearby',
        'friday',
      ]);
    });

    it('finds Chinese without spaces, Arabic, emoji and LIKE’s own characters literally', async () => {
      expect(await find('会议')).toEqual(['cancelled', 'room']);
      expect(await find('三楼')).toEqual(['room']);
      expect(await find('الفندق')).toEqual(['arabic']);
      expect(await find('🚀')).toEqual(['flight']);
      expect(await find('50%')).toEqual(['sale']);
      expect(await find('%')).toEqual(['sale']);
      expect(await find('off_')).toEqual(['sale']);
      expect(await find('_')).toEqual(['sale']);
    });

    it('answers highlights as ranges of the original text, never HTML', async () => {
      const res = await server.api('GET', '/search?q=cafe&sort=newest', { token: aliceToken });
      const byKey = new Map(
        (
          res.body.results as {
            message: { id: string; text: string };
            highlights: { start: number; end: number }[];
          }[]
        ).map((r) => [
          keyOf(r.message.id),
          r.highlights.map((h) => r.message.text.slice(h.start, h.end)),
        ]),
      );
      expect(byKey.get('cafe')).toEqual(['Café']);
      expect(byKey.get('lait')).toEqual(['CAFE']);
      expect(res.body.results[0].channel).toMatchObject({ cid: 'team:trip' });
    });

    it('searches only the reader’s channels; the server all, or as a user', async () => {
      expect(await find('secret')).toEqual([]);
      expect(await find('secret', '', null)).toEqual(['secret']);
      expect(await find('hotel', '&as_user_id=carol', null)).toEqual(['secret']);
      expectError(
        await server.api('GET', '/search?q=hotel&cid=team:other', { token: aliceToken }),
        'not_member',
      );
      expectError(
        await server.api('GET', '/search?q=hotel&as_user_id=carol', { token: aliceToken }),
        'user_mismatch',
      );
    });

    it('filters by channel, author and time', async () => {
      expect(await find('hotel', '&user_id=bob')).toEqual(['reply', 'german', 'nearby', 'shuttle']);
      expect(await find('hotel', '&cid=team:trip&before=2026-06-01T10:05:00Z')).toEqual([
        'shuttle',
        'friday',
      ]);
      expect(await find('hotel', '&after=2026-06-01T10:12:30Z')).toEqual(['system', 'reply']);
    });

    it('pages through newest-first results with a cursor, and ranks by relevance by default', async () => {
      const first = await server.api('GET', '/search?q=hot&sort=newest&limit=4', {
        token: aliceToken,
      });
      expect(first.body.results).toHaveLength(4);
      const second = await server.api(
        'GET',
        `/search?q=hot&sort=newest&limit=4&cursor=${first.body.next_cursor}`,
        { token: aliceToken },
      );
      expect(second.body.next_cursor).toBeNull();
      const keys = [...first.body.results, ...second.body.results].map(
        (r: { message: { id: string } }) => keyOf(r.message.id),
      );
      expect(keys).toEqual(['system', 'reply', 'german', 'nearby', 'shuttle', 'friday']);
      // A cursor of another query is refused.
      expectError(
        await server.api('GET', `/search?q=cafe&sort=newest&cursor=${first.body.next_cursor}`, {
          token: aliceToken,
        }),
        'invalid_request',
      );
      // Relevance: the short message with the whole word first, the plural last.
      const ranked = await server.api('GET', '/search?q=hotel&limit=50', { token: aliceToken });
      const order = ranked.body.results.map((r: { message: { id: string } }) =>
        keyOf(r.message.id),
      );
      expect(order.indexOf('german')).toBeLessThan(order.indexOf('nearby'));
      expect(order.at(-1)).toBe('nearby');
    });

    it('reflects edits, deletes and a removed membership at once', async () => {
      await server.api('PATCH', `/messages/${ids.get('flight')}`, {
        body: { text: 'Flight XY999 on time' },
      });
      expect(await find('AB123')).toEqual([]);
      expect(await find('xy999')).toEqual(['flight']);
      await server.api('DELETE', `/messages/${ids.get('desk')}`);
      expect(await find('desk')).toEqual([]);
      await server.api('DELETE', '/channels/team/trip/members', { body: { user_ids: ['bob'] } });
      const bob = await server.tokenFor('bob');
      expect(await find('hotel', '', bob)).toEqual([]);
    });

    it('refuses a query with nothing to look for, and bad filters', async () => {
      for (const q of ['', '   ', '-shuttle', '""']) {
        expectError(
          await server.api('GET', `/search?q=${encodeURIComponent(q)}`, { token: aliceToken }),
          'invalid_request',
        );
      }
      expectError(
        await server.api('GET', '/search?q=hotel&sort=oldest', { token: aliceToken }),
        'invalid_request',
      );
      expectError(
        await server.api('GET', '/search?q=hotel&cid=team:nowhere', { token: aliceToken }),
        'channel_not_found',
      );
    });
  });
}
