import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

interface Page {
  messages: { id: string; seq: number; text: string; user_id: string }[];
  has_more_before: boolean;
  has_more_after: boolean;
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: message history`, () => {
    const path = '/channels/team/history/messages';
    let server: TestServer;
    let token: string;
    /** The 60 message ids, oldest first. */
    const ids: string[] = [];

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob');
      await server.createChannel('team', 'history', ['alice', 'bob']);
      await server.createChannel('team', 'other', ['alice', 'bob']);
      for (let i = 0; i < 60; i++) {
        // The app backend imports the conversation (no per-user rate limit applies).
        const res = await server.api('POST', path, {
          body: { id: `h${i}`, text: `message ${i}`, user_id: i % 2 === 0 ? 'alice' : 'bob' },
        });
        expect(res.status).toBe(201);
        ids.push(res.body.message.id);
      }
      token = await server.tokenFor('alice');
    });

    afterAll(async () => {
      await server?.close();
    });

    async function page(query: string): Promise<Page> {
      const res = await server.api<Page>('GET', `${path}?${query}`, { token });
      expect(res.status).toBe(200);
      return res.body;
    }

    it('shows the latest page, oldest first, with more before it', async () => {
      const latest = await page('limit=20');
      expect(latest.messages.map((m) => m.id)).toEqual(ids.slice(40));
      expect(latest.messages.map((m) => m.text)).toEqual(
        ids.slice(40).map((_, i) => `message ${40 + i}`),
      );
      expect(latest.messages[0]!.user_id).toBe('alice');
      expect(latest.messages[1]!.user_id).toBe('bob');
      expect(latest.has_more_before).toBe(true);
      expect(latest.has_more_after).toBe(false);

      const byDefault = await page('');
      expect(byDefault.messages.map((m) => m.id)).toEqual(ids.slice(35));

      // A page that holds the whole channel has nothing before it.
      const everything = await page('limit=60');
      expect(everything.messages.map((m) => m.id)).toEqual(ids);
      expect(everything.has_more_before).toBe(false);
    });

    it('answers JSON in which each message carries its author, as events do', async () => {
      const res = await server.api<{ messages: { user: Record<string, unknown> | null }[] }>(
        'GET',
        `${path}?limit=4&before=${ids[10]}`,
        { token },
      );
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.body.messages.map((m) => m.user?.id)).toEqual(['alice', 'bob', 'alice', 'bob']);
      // The same author is written out in full each time, not referred to.
      const [first, , third] = res.body.messages;
      expect(third!.user).toEqual(first!.user);
      expect(Object.keys(first!.user!)).toEqual([
        'id',
        'name',
        'image',
        'role',
        'data',
        'created_at',
        'updated_at',
        'last_active',
        'online',
      ]);
    });

    it('walks back to the first message with before, without gaps or repeats', async () => {
      let current = await page('limit=20');
      const seen = [...current.messages];
      let pages = 1;
      while (current.has_more_before) {
        current = await page(`limit=20&before=${current.messages[0]!.id}`);
        expect(current.has_more_after).toBe(true);
        seen.unshift(...current.messages);
        pages++;
        expect(pages).toBeLessThanOrEqual(3);
      }
      expect(seen.map((m) => m.id)).toEqual(ids);
      expect(current.messages[0]!.id).toBe(ids[0]);

      // Before the very first message there is nothing.
      const empty = await page(`limit=20&before=${ids[0]}`);
      expect(empty).toEqual({ messages: [], has_more_before: false, has_more_after: true });
    });

    it('walks forward to the latest message with after', async () => {
      let current = await page(`limit=25&after=${ids[0]}`);
      const seen = [ids[0]!, ...current.messages.map((m) => m.id)];
      while (current.has_more_after) {
        expect(current.has_more_before).toBe(true);
        current = await page(`limit=25&after=${current.messages.at(-1)!.id}`);
        seen.push(...current.messages.map((m) => m.id));
      }
      expect(seen).toEqual(ids);
      expect(current.messages.at(-1)!.id).toBe(ids[59]);
    });

    it('centres a page on a message with around', async () => {
      const middle = await page(`limit=11&around=${ids[30]}`);
      expect(middle.messages.map((m) => m.id)).toEqual(ids.slice(25, 36));
      expect(middle.has_more_before).toBe(true);
      expect(middle.has_more_after).toBe(true);

      const nearStart = await page(`limit=11&around=${ids[2]}`);
      expect(nearStart.messages.map((m) => m.id)).toEqual(ids.slice(0, 8));
      expect(nearStart.has_more_before).toBe(false);
      expect(nearStart.has_more_after).toBe(true);

      const nearEnd = await page(`limit=11&around=${ids[58]}`);
      expect(nearEnd.messages.map((m) => m.id)).toEqual(ids.slice(53));
      expect(nearEnd.has_more_before).toBe(true);
      expect(nearEnd.has_more_after).toBe(false);

      // An even limit cannot centre exactly, but the page still surrounds the message.
      const even = await page(`limit=10&around=${ids[30]}`);
      const start = ids.indexOf(even.messages[0]!.id);
      expect(even.messages.map((m) => m.id)).toEqual(ids.slice(start, start + 10));
      expect([25, 26]).toContain(start);

      // Exactly as many neighbours as there are: no "more" after it.
      const exact = await page(`limit=5&around=${ids[57]}`);
      expect(exact.messages.map((m) => m.id)).toEqual(ids.slice(55, 60));
      expect(exact.has_more_after).toBe(false);
    });

    it('answers 404 message_not_found for a cursor from another channel or none at all', async () => {
      const elsewhere = await server.api('POST', '/channels/team/other/messages', {
        body: { id: 'elsewhere-1', text: 'not in history', user_id: 'bob' },
      });
      expect(elsewhere.status).toBe(201);
      for (const cursor of ['before', 'after', 'around']) {
        for (const id of ['elsewhere-1', 'never-sent']) {
          const res = await server.api('GET', `${path}?${cursor}=${id}`, { token });
          expect(res.status).toBe(404);
          expect(res.body.error.code).toBe('message_not_found');
        }
      }
    });
  });
}
