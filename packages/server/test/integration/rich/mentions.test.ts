import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: mentions`, () => {
    let w: RichWorld;

    beforeAll(async () => {
      w = await startRichWorld(kind, 'mentions');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('mentions members only, as users, and notifies a mentioned member who does not watch', async () => {
      const carol = await w.server.connect('carol');
      try {
        const message = await w.send('alice', {
          text: '@Carol @Dave please confirm',
          mentioned_users: ['carol', 'dave', 'carol'],
        });
        // dave is not a member: dropped; carol once.
        expect(message.mentioned_users.map((u: { id: string }) => u.id)).toEqual(['carol']);
        const mention = await carol.waitFor(
          (f) => f.type === 'notification.mention' && f.message.id === message.id,
        );
        expect(mention).toMatchObject({ cid: w.cid, unread_mentions: 1, total_unread_mentions: 1 });
        // The plain notification still comes, for the badge.
        await carol.waitFor(
          (f) => f.type === 'notification.message_new' && f.message.id === message.id,
        );
      } finally {
        await carol.close();
      }
    });

    it('notifies a member mentioned in a reply kept in its thread with notification.mention alone', async () => {
      const parent = await w.send('alice', { text: 'Venue options' });
      const carol = await w.server.connect('carol');
      try {
        const reply = await w.send('alice', {
          text: '@Carol which one?',
          parent_id: parent.id,
          mentioned_users: ['carol'],
        });
        await carol.waitFor((f) => f.type === 'notification.mention' && f.message.id === reply.id);
        // A later message of the channel's own history: its notification comes after any
        // the reply could have had.
        const after = await w.send('alice', { text: 'In the channel' });
        await carol.waitFor(
          (f) => f.type === 'notification.message_new' && f.message.id === after.id,
        );
        const plain = carol.ofType('notification.message_new').map((f) => f.message.id);
        expect(plain).not.toContain(reply.id);
      } finally {
        await carol.close();
      }
    });

    it('counts unread mentions beside unread messages until the member reads the channel', async () => {
      await w.server.api('POST', `${w.path}/read`, w.as('mod'));
      await w.send('bob', { text: 'hey @Mod', mentioned_users: ['mod'] });
      await w.send('bob', { text: 'and again @Mod', mentioned_users: ['mod'] });
      await w.send('bob', { text: 'no mention' });
      const unread = (await w.server.api('GET', '/unread', w.as('mod'))).body;
      expect(unread.channels).toContainEqual({ cid: w.cid, unread_count: 3, unread_mentions: 2 });
      expect(unread.total_unread_mentions).toBe(2);
      const state = await w.server.api('GET', w.path, w.as('mod'));
      expect(state.body).toMatchObject({ unread_count: 3, unread_mentions: 2 });
      await w.server.api('POST', `${w.path}/read`, w.as('mod'));
      const after = (await w.server.api('GET', '/unread', w.as('mod'))).body;
      expect(after.total_unread_mentions).toBe(0);
    });

    it('replaces the mentions with an edit, and a deleted message stops counting', async () => {
      const message = await w.send('alice', { text: '@Bob', mentioned_users: ['bob'] });
      const edited = await w.server.api(
        'PATCH',
        `/messages/${message.id}`,
        w.as('alice', { body: { text: '@Carol', mentioned_users: ['carol'] } }),
      );
      expect(edited.body.message.mentioned_users.map((u: { id: string }) => u.id)).toEqual([
        'carol',
      ]);
      const bob = (await w.server.api('GET', '/unread', w.as('bob'))).body;
      expect(bob.channels.find((c: { cid: string }) => c.cid === w.cid)?.unread_mentions ?? 0).toBe(
        0,
      );
      const carolBefore = (await w.server.api('GET', '/unread', w.as('carol'))).body
        .total_unread_mentions;
      await w.server.api('DELETE', `/messages/${message.id}`, w.as('alice'));
      const carolAfter = (await w.server.api('GET', '/unread', w.as('carol'))).body
        .total_unread_mentions;
      expect(carolAfter).toBe(carolBefore - 1);
    });
  });
}
