import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: edits and pins`, () => {
    let w: RichWorld;

    beforeAll(async () => {
      w = await startRichWorld(kind, 'edits');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    const patch = (user: string, id: string, body: Record<string, unknown>) =>
      w.server.api('PATCH', `/messages/${id}`, w.as(user, { body }));

    it('lets the author edit the text: message.updated with edited_at, once per change', async () => {
      const watcher = await w.server.connect('carol');
      try {
        await watcher.watch(w.cid);
        const message = await w.send('bob', { text: 'See you at 10' });
        const edited = await patch('bob', message.id, { text: 'See you at 11' });
        expect(edited.status).toBe(200);
        expect(edited.body.message).toMatchObject({ text: 'See you at 11', seq: message.seq });
        expect(edited.body.message.edited_at).not.toBeNull();
        const event = await watcher.waitFor(
          (f) => f.type === 'message.updated' && f.message.id === message.id,
        );
        expect(event.message.text).toBe('See you at 11');
        // The same edit again (an offline queue's retry) stores nothing and tells nobody.
        const lastSeq = (await w.events()).at(-1)!.seq;
        expect((await patch('bob', message.id, { text: 'See you at 11' })).status).toBe(200);
        expect((await w.events()).at(-1)!.seq).toBe(lastSeq);
      } finally {
        await watcher.close();
      }
    });

    it('refuses edits of someone else’s text, even by the owner or an admin', async () => {
      const message = await w.send('bob', { text: 'mine' });
      for (const user of ['alice', 'mod', 'root', 'carol']) {
        expectError(await patch(user, message.id, { text: 'theirs' }), 'forbidden');
      }
      expectError(await patch('dave', message.id, { text: 'x' }), 'not_member');
      expectError(await patch('bob', message.id, {}), 'invalid_request');
      expectError(await patch('bob', message.id, { text: '   ' }), 'invalid_request');
      const stored = await w.server.api('GET', `/messages/${message.id}`, w.as('bob'));
      expect(stored.body.message).toMatchObject({ text: 'mine', edited_at: null });
    });

    it('lets owners, moderators and admins pin, lists pins newest first, and refuses members', async () => {
      const first = await w.send('bob', { text: 'Venue: Hall B' });
      const second = await w.send('carol', { text: 'Fee: 500 EUR' });
      expectError(await patch('bob', first.id, { pinned: true }), 'forbidden');
      const pinned = await patch('alice', first.id, { pinned: true });
      expect(pinned.body.message).toMatchObject({ pinned: true, pinned_by: 'alice' });
      await patch('mod', second.id, { pinned: true });
      const list = await w.server.api('GET', `${w.path}/pinned`, w.as('carol'));
      expect(list.body.messages.map((m: { id: string }) => m.id)).toEqual([second.id, first.id]);
      await patch('root', second.id, { pinned: false });
      const after = await w.server.api('GET', `${w.path}/pinned`, w.as('carol'));
      expect(after.body.messages.map((m: { id: string }) => m.id)).toEqual([first.id]);
      expectError(await w.server.api('GET', `${w.path}/pinned`, w.as('dave')), 'not_member');
    });

    it('refuses edits after the edit window, while pins go on', async () => {
      const windowed = await startRichWorld(kind, 'window', { limits: { editWindowMs: 1 } });
      try {
        const message = await windowed.send('bob', { text: 'quick' });
        await new Promise((resolve) => setTimeout(resolve, 20));
        const late = await windowed.server.api('PATCH', `/messages/${message.id}`, {
          ...windowed.as('bob'),
          body: { text: 'too late' },
        });
        expectError(late, 'edit_window_expired');
        expect(late.body.error.details.edit_window_ms).toBe(1);
        const pin = await windowed.server.api('PATCH', `/messages/${message.id}`, {
          ...windowed.as('alice'),
          body: { pinned: true },
        });
        expect(pin.status).toBe(200);
      } finally {
        await windowed.server.close();
      }
    });

    it('edits and pins over the WebSocket with the same rules', async () => {
      const message = await w.send('bob', { text: 'ws edit' });
      const bob = await w.server.connect('bob');
      try {
        const result = await bob.request({
          type: 'message.update',
          message_id: message.id,
          text: 'ws edited',
        });
        expect(result.message.text).toBe('ws edited');
        await expectFrameError(
          bob.request({ type: 'message.update', message_id: message.id, pinned: true }),
          'forbidden',
        );
      } finally {
        await bob.close();
      }
    });

    it('shows a quote’s current text, and the edit reaches those who quote it', async () => {
      const quoted = await w.send('alice', { text: 'Hotel: Ritz' });
      const quoting = await w.send('bob', { text: 'Booked it', quoted_message_id: quoted.id });
      expect(quoting.quoted_message).toMatchObject({ id: quoted.id, text: 'Hotel: Ritz' });
      await patch('alice', quoted.id, { text: 'Hotel: Savoy' });
      const read = await w.server.api('GET', `/messages/${quoting.id}`, w.as('carol'));
      expect(read.body.message.quoted_message).toMatchObject({ text: 'Hotel: Savoy' });
      expectError(
        await w.server.api('POST', `${w.path}/messages`, {
          ...w.as('bob'),
          body: { text: 'q', quoted_message_id: 'missing' },
        }),
        'message_not_found',
      );
    });
  });
}
