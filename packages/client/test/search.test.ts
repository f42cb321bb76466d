import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TestServer } from '../../server/test/helpers/test-server.js';
import type { SearchPage } from '../src/index.js';
import { ClientPool, settle } from './helpers/chat-harness.js';
import { shown, twoMembers } from './helpers/two-members.js';
import { waitUntil } from './helpers/wait.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: search, messages by id, jump to a message`, () => {
    let server: TestServer;
    const pool = new ClientPool();

    /** Sends `text` to `messaging:<channel>` as `user` through the API; returns the message id. */
    const send = async (channel: string, user: string, text: string): Promise<string> => {
      const res = await server.api('POST', `/channels/messaging/${channel}/messages`, {
        token: await server.tokenFor(user),
        body: { text },
      });
      expect(res.status).toBe(201);
      return res.body.message.id;
    };

    beforeAll(async () => {
      server = await TestServer.start(kind, { limits: { messagesPerWindow: 0 } });
      await server.createUsers('ann', 'ben', 'cat');
    });
    afterEach(() => pool.disconnectAll());
    afterAll(async () => {
      await server?.close();
    });

    it('pages through the user’s own conversations only, with highlights', async () => {
      const { ann } = await twoMembers(server, pool, 'search-ours');
      await server.createChannel('messaging', 'search-theirs', ['ben', 'cat']);
      const ours: string[] = [];
      for (let i = 0; i < 5; i++) ours.push(await send('search-ours', 'ben', `Hotel option ${i}`));
      await send('search-ours', 'ben', 'Flight at noon');
      await send('search-theirs', 'cat', 'Hotel for cat only');

      const seen: string[] = [];
      let page: SearchPage | null = await ann.search({ q: 'hotel', sort: 'newest', limit: 2 });
      let pages = 0;
      while (page !== null) {
        pages++;
        for (const result of page.results) {
          seen.push(result.message.id);
          expect(result.channel.cid).toBe('messaging:search-ours');
          const [range] = result.highlights;
          expect(result.message.text.slice(range!.start, range!.end).toLowerCase()).toBe('hotel');
        }
        page = await page.next();
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([...ours].reverse());

      const partial = await ann.search({ q: 'fli', cid: 'messaging:search-ours' });
      expect(partial.results.map((r) => r.message.text)).toEqual(['Flight at noon']);
      expect(partial.nextCursor).toBeNull();
      expect(partial.next()).toBeNull();
      const byBen = await ann.search({ q: 'hotel', userId: 'ann' });
      expect(byBen.results).toEqual([]);
    });

    it('answers with the server’s errors: another’s channel, a bad query, a message not readable', async () => {
      const { ann } = await twoMembers(server, pool, 'search-errors');
      await server.createChannel('messaging', 'search-private', ['ben', 'cat']);
      const hidden = await send('search-private', 'cat', 'secret plan');
      await expect(
        ann.search({ q: 'plan', cid: 'messaging:search-private' }),
      ).rejects.toMatchObject({ code: 'not_member' });
      await expect(ann.search({ q: '-only' })).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(ann.search({ q: '' })).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(ann.getMessage(hidden)).rejects.toMatchObject({ code: 'not_member' });
      await expect(ann.getMessage('no-such-message')).rejects.toMatchObject({
        code: 'message_not_found',
      });
      const mine = await send('search-errors', 'ben', 'visible');
      expect(await ann.getMessage(mine)).toMatchObject({ id: mine, text: 'visible' });
    });

    it('jumps to a search result: the page around it, then back to the latest', async () => {
      const { ann, annChannel } = await twoMembers(server, pool, 'search-jump');
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        ids.push(await send('search-jump', 'ben', i === 5 ? 'the venue address' : `chat ${i}`));
      }
      await annChannel.loadLatest(25);
      const [hit] = (await ann.search({ q: 'venue' })).results;
      expect(hit!.message.id).toBe(ids[5]);

      const page = await annChannel.loadAround(hit!.message.id, 11);
      expect(page.map((m) => m.id)).toEqual(ids.slice(0, 11));
      expect(annChannel.state.messages.map((m) => m.id)).toEqual(ids.slice(0, 11));
      expect(annChannel.state).toMatchObject({ hasMoreOlder: false, hasMoreNewer: true });

      // New messages wait while older ones are shown; the latest page brings them.
      const late = await send('search-jump', 'ben', 'late news');
      await settle();
      expect(shown(annChannel, late)).toBeUndefined();
      await waitUntil('the channel to count it', () => annChannel.state.unreadCount > 0);
      await annChannel.loadLatest(5);
      expect(annChannel.state.messages.map((m) => m.id)).toEqual([...ids.slice(-4), late]);
      expect(annChannel.state.hasMoreNewer).toBe(false);

      // Jumping to a loaded message asks nothing of the server.
      const again = await annChannel.loadAround(late);
      expect(again.map((m) => m.id)).toContain(late);
    });
  });
}
