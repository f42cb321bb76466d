import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: deleting messages`, () => {
    let w: RichWorld;

    beforeAll(async () => {
      w = await startRichWorld(kind, 'deletes');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    const remove = (user: string, id: string, query = '') =>
      w.server.api('DELETE', `/messages/${id}${query}`, w.as(user));

    it('leaves a tombstone: text, data and reactions gone, seq and place in history kept', async () => {
      const watcher = await w.server.connect('carol');
      try {
        await watcher.watch(w.cid);
        const message = await w.send('bob', { text: 'my phone: 555-1234', data: { x: 1 } });
        await w.server.api(
          'POST',
          `/messages/${message.id}/reactions`,
          w.as('carol', {
            body: { type: 'ok' },
          }),
        );
        const deleted = await remove('bob', message.id);
        expect(deleted.status).toBe(200);
        expect(deleted.body.message).toMatchObject({
          id: message.id,
          seq: message.seq,
          text: '',
          data: {},
          reaction_counts: {},
        });
        expect(deleted.body.message.deleted_at).not.toBeNull();
        const event = await watcher.waitFor(
          (f) => f.type === 'message.deleted' && f.message.id === message.id,
        );
        expect(event).toMatchObject({ hard: false, message: { text: '' } });
        const history = await w.server.api('GET', `${w.path}/messages?limit=3`, w.as('carol'));
        const tomb = history.body.messages.find((m: { id: string }) => m.id === message.id);
        expect(tomb).toMatchObject({ text: '', own_reactions: [] });
        // Deleting again changes nothing; editing, reacting and replying are refused.
        const lastSeq = (await w.events()).at(-1)!.seq;
        expect((await remove('bob', message.id)).status).toBe(200);
        expect((await w.events()).at(-1)!.seq).toBe(lastSeq);
        expectError(
          await w.server.api(
            'PATCH',
            `/messages/${message.id}`,
            w.as('bob', { body: { text: 'x' } }),
          ),
          'message_deleted',
        );
      } finally {
        await watcher.close();
      }
    });

    it('scrubs the deleted text from the event log, so recovery never hands it out', async () => {
      const quoted = await w.send('bob', { text: 'SECRET-PLAN' });
      await w.send('carol', { text: 'noted', quoted_message_id: quoted.id });
      await w.server.api(
        'PATCH',
        `/messages/${quoted.id}`,
        w.as('bob', { body: { text: 'SECRET-PLAN v2' } }),
      );
      await remove('bob', quoted.id);
      const log = JSON.stringify(await w.events());
      expect(log).not.toContain('SECRET-PLAN');
      const alice = await w.server.connect('alice');
      try {
        const recovered = await alice.request({
          type: 'channel.events',
          cid: w.cid,
          since_seq: 0,
          limit: 500,
        });
        expect(JSON.stringify(recovered.events)).not.toContain('SECRET-PLAN');
      } finally {
        await alice.close();
      }
    });

    it('lets owners, moderators and admins delete others’ messages, and no plain member', async () => {
      const message = await w.send('bob', { text: 'off-topic' });
      expectError(await remove('carol', message.id), 'forbidden');
      expectError(await remove('dave', message.id), 'not_member');
      expect((await remove('mod', message.id)).status).toBe(200);
      const other = await w.send('bob', { text: 'also off-topic' });
      expect((await remove('root', other.id)).status).toBe(200);
    });

    it('removes a message for good with hard=true (admins and the server), its thread with it', async () => {
      const parent = await w.send('alice', { text: 'to be erased' });
      const reply = await w.send('bob', { text: 'erased too', parent_id: parent.id });
      expectError(await remove('alice', parent.id, '?hard=true'), 'forbidden');
      const before = (await w.events()).at(-1)!.seq;
      const gone = await remove('root', parent.id, '?hard=true');
      expect(gone.status).toBe(200);
      const events = await w.events(before);
      expect(events.map((e) => [e.type, e.message.id, e.hard])).toEqual([
        ['message.deleted', reply.id, true],
        ['message.deleted', parent.id, true],
      ]);
      expectError(
        await w.server.api('GET', `/messages/${parent.id}`, w.as('alice')),
        'message_not_found',
      );
      expectError(
        await w.server.api('GET', `/messages/${reply.id}`, w.as('alice')),
        'message_not_found',
      );
      const history = await w.server.api('GET', `${w.path}/messages?limit=50`, w.as('alice'));
      expect(history.body.messages.map((m: { id: string }) => m.id)).not.toContain(parent.id);
      // The server may hard-delete too.
      const other = await w.send('bob', { text: 'server erases' });
      expect((await w.server.api('DELETE', `/messages/${other.id}?hard=true`)).status).toBe(200);
    });

    it('drops a deleted reply from its thread’s count and a deleted message from unread counts', async () => {
      const parent = await w.send('alice', { text: 'count me' });
      const reply = await w.send('bob', { text: 'r1', parent_id: parent.id });
      const thread = await remove('bob', reply.id);
      expect(thread.status).toBe(200);
      const stored = await w.server.api('GET', `/messages/${parent.id}`, w.as('alice'));
      expect(stored.body.message.reply_count).toBe(0);

      const unreadBefore = (await w.server.api('GET', '/unread', w.as('carol'))).body
        .total_unread_count;
      const message = await w.send('bob', { text: 'unread, then gone' });
      expect((await w.server.api('GET', '/unread', w.as('carol'))).body.total_unread_count).toBe(
        unreadBefore + 1,
      );
      await remove('bob', message.id);
      expect((await w.server.api('GET', '/unread', w.as('carol'))).body.total_unread_count).toBe(
        unreadBefore,
      );
    });
  });
}
