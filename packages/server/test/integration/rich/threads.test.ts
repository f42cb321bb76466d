import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: replies and threads`, () => {
    let w: RichWorld;

    beforeAll(async () => {
      w = await startRichWorld(kind, 'threads');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('delivers a reply as message.new with its parent and the thread’s new count, once', async () => {
      const watcher = await w.server.connect('carol');
      try {
        await watcher.watch(w.cid);
        const parent = await w.send('alice', { text: 'Which hotel?' });
        const reply = await w.send('bob', { text: 'The Grand', parent_id: parent.id });
        expect(reply).toMatchObject({ parent_id: parent.id, show_in_channel: false });
        const event = await watcher.waitFor(
          (f) => f.type === 'message.new' && f.message.id === reply.id,
        );
        expect(event.thread).toEqual({
          parent_id: parent.id,
          reply_count: 1,
          thread_participants: ['bob'],
        });
        await w.send('carol', { text: 'Agreed', parent_id: parent.id });
        await w.send('bob', { text: 'Booked', parent_id: parent.id });
        const stored = (await w.server.api('GET', `/messages/${parent.id}`, w.as('carol'))).body;
        expect(stored.message).toMatchObject({
          reply_count: 3,
          thread_participants: ['bob', 'carol'],
        });
        await watcher.ping();
        expect(watcher.ofType('message.new').filter((f) => f.message.id === reply.id)).toHaveLength(
          1,
        );
      } finally {
        await watcher.close();
      }
    });

    it('keeps replies out of the channel’s history and unread counts unless shown in the channel', async () => {
      const parent = await w.send('alice', { text: 'Flight times?' });
      const before = (await w.server.api('GET', '/unread', w.as('carol'))).body;
      const hidden = await w.send('bob', { text: 'hidden reply', parent_id: parent.id });
      const shown = await w.send('bob', {
        text: 'shown reply',
        parent_id: parent.id,
        show_in_channel: true,
      });
      const history = await w.server.api('GET', `${w.path}/messages?limit=5`, w.as('carol'));
      const ids = (history.body.messages as { id: string }[]).map((m) => m.id);
      expect(ids).toContain(shown.id);
      expect(ids).not.toContain(hidden.id);
      const after = (await w.server.api('GET', '/unread', w.as('carol'))).body;
      // The shown reply counts; the one kept in its thread does not.
      expect(after.total_unread_count).toBe(before.total_unread_count + 1);
    });

    it('pages through a thread oldest first with before and after, like history', async () => {
      const parent = await w.send('alice', { text: 'Agenda' });
      const replies = [];
      for (let i = 1; i <= 5; i++) {
        replies.push(
          await w.send(i % 2 ? 'bob' : 'carol', { text: `item ${i}`, parent_id: parent.id }),
        );
      }
      const texts = (res: { body: { messages: { text: string }[] } }) =>
        res.body.messages.map((m) => m.text);
      const latest = await w.server.api(
        'GET',
        `/messages/${parent.id}/replies?limit=2`,
        w.as('bob'),
      );
      expect(texts(latest)).toEqual(['item 4', 'item 5']);
      expect(latest.body).toMatchObject({ has_more_before: true, has_more_after: false });
      const older = await w.server.api(
        'GET',
        `/messages/${parent.id}/replies?limit=2&before=${replies[3]!.id}`,
        w.as('bob'),
      );
      expect(texts(older)).toEqual(['item 2', 'item 3']);
      const newer = await w.server.api(
        'GET',
        `/messages/${parent.id}/replies?limit=10&after=${replies[0]!.id}`,
        w.as('bob'),
      );
      expect(texts(newer)).toEqual(['item 2', 'item 3', 'item 4', 'item 5']);
      expect(newer.body.has_more_after).toBe(false);
      // A cursor that is not a reply of this thread is refused.
      expectError(
        await w.server.api(
          'GET',
          `/messages/${parent.id}/replies?before=${parent.id}`,
          w.as('bob'),
        ),
        'message_not_found',
      );
      // Someone outside the channel cannot read the thread.
      expectError(
        await w.server.api('GET', `/messages/${parent.id}/replies`, w.as('dave')),
        'not_member',
      );
    });

    it('refuses a reply to a reply, to another channel’s message, to a deleted or unknown one', async () => {
      const parent = await w.send('alice', { text: 'root' });
      const reply = await w.send('bob', { text: 'leaf', parent_id: parent.id });
      const replyToReply = await w.server.api('POST', `${w.path}/messages`, {
        ...w.as('carol'),
        body: { text: 'deeper', parent_id: reply.id },
      });
      expectError(replyToReply, 'invalid_request');
      expect(replyToReply.body.error.details.issues[0].path).toBe('parent_id');

      await w.server.createChannel('team', 'elsewhere', ['bob'], 'alice');
      const foreign = await w.server.api('POST', '/channels/team/elsewhere/messages', {
        ...w.as('bob'),
        body: { text: 'cross', parent_id: parent.id },
      });
      expectError(foreign, 'invalid_request');

      expectError(
        await w.server.api('POST', `${w.path}/messages`, {
          ...w.as('bob'),
          body: { text: 'ghost', parent_id: 'no-such-message' },
        }),
        'message_not_found',
      );
      const doomed = await w.send('alice', { text: 'soon gone' });
      await w.server.api('DELETE', `/messages/${doomed.id}`, w.as('alice'));
      expectError(
        await w.server.api('POST', `${w.path}/messages`, {
          ...w.as('bob'),
          body: { text: 'too late', parent_id: doomed.id },
        }),
        'message_deleted',
      );
      // Over the WebSocket too; and nothing of these was stored.
      const bob = await w.server.connect('bob');
      try {
        await expectFrameError(
          bob.request({
            type: 'message.send',
            cid: w.cid,
            message: { text: 'ws deeper', parent_id: reply.id },
          }),
          'invalid_request',
        );
      } finally {
        await bob.close();
      }
      const replies = await w.server.api('GET', `/messages/${parent.id}/replies`, w.as('bob'));
      expect(replies.body.messages.map((m: { text: string }) => m.text)).toEqual(['leaf']);
    });

    it('takes a reply and its parent sent together in one batch, parent first', async () => {
      const bob = await w.server.connect('bob');
      try {
        const parentId = 'batch-parent';
        const sends = [
          bob.request({ type: 'message.send', cid: w.cid, message: { id: parentId, text: 'p' } }),
          bob.request({
            type: 'message.send',
            cid: w.cid,
            message: { id: 'batch-reply', text: 'r', parent_id: parentId },
          }),
        ];
        const [parent, reply] = await Promise.all(sends);
        expect(reply.message.parent_id).toBe(parent.message.id);
        const stored = (await w.server.api('GET', `/messages/${parentId}`, w.as('bob'))).body;
        expect(stored.message.reply_count).toBe(1);
      } finally {
        await bob.close();
      }
    });
  });
}
