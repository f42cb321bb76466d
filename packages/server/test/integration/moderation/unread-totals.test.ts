import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: unread totals of banned and muted channels`, () => {
    let w: RichWorld;
    const totals = async (user: string) =>
      (await w.server.api('GET', '/unread', w.as(user))).body as {
        total_unread_count: number;
        unread_channels: number;
        channels: { cid: string; unread_count: number }[];
      };

    beforeAll(async () => {
      w = await startRichWorld(kind, 'unread');
      await w.server.createChannel('messaging', 'other', ['bob'], 'alice');
      await w.send('alice', { text: 'one' });
      await w.send('alice', { text: 'two' });
      const other = await w.server.api('POST', '/channels/messaging/other/messages', {
        body: { text: 'elsewhere', user_id: 'alice' },
      });
      expect(other.status).toBe(201);
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('a channel the user is banned from adds nothing to their totals, on REST and WebSocket, until unbanned', async () => {
      const before = await totals('bob');
      expect(before).toMatchObject({ total_unread_count: 3, unread_channels: 2 });

      await w.server.api('POST', '/moderation/ban', {
        body: { target_user_id: 'bob', cid: w.cid },
      });
      const banned = await totals('bob');
      expect(banned).toMatchObject({ total_unread_count: 1, unread_channels: 1 });
      expect(banned.channels.map((c) => c.cid)).toEqual(['messaging:other']);

      const bob = await w.server.connect('bob');
      try {
        const ok = bob.ofType('connection.ok')[0]!;
        expect(ok.unread).toMatchObject({ total_unread_count: 1, unread_channels: 1 });
        // A new message elsewhere tells bob a total without the banned channel's two.
        await w.server.api('POST', '/channels/messaging/other/messages', {
          body: { text: 'again', user_id: 'alice' },
        });
        const note = await bob.waitFor((f) => f.type === 'notification.message_new');
        expect(note).toMatchObject({ total_unread_count: 2, unread_channels: 1 });
      } finally {
        await bob.close();
      }

      await w.server.api('DELETE', '/moderation/ban', {
        body: { target_user_id: 'bob', cid: w.cid },
      });
      expect(await totals('bob')).toMatchObject({ total_unread_count: 4, unread_channels: 2 });
    });

    it('a channel the user muted adds nothing either; other members still count it', async () => {
      await w.server.api('POST', `${w.path}/mute`, w.as('carol'));
      await w.server.createChannel('messaging', 'carols', ['carol'], 'alice');
      await w.server.api('POST', '/channels/messaging/carols/messages', {
        body: { text: 'for carol', user_id: 'alice' },
      });
      expect(await totals('carol')).toMatchObject({ total_unread_count: 1, unread_channels: 1 });
      expect((await totals('bob')).channels.map((c) => c.cid)).toContain(w.cid);
      await w.server.api('DELETE', `${w.path}/mute`, w.as('carol'));
      expect(await totals('carol')).toMatchObject({ total_unread_count: 3, unread_channels: 2 });
    });
  });
}
