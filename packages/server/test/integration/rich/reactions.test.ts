import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: reactions`, () => {
    let w: RichWorld;

    beforeAll(async () => {
      w = await startRichWorld(kind, 'reactions', { limits: { maxReactionTypes: 3 } });
    });
    afterAll(async () => {
      await w?.server.close();
    });

    const react = (user: string, id: string, body: Record<string, unknown>) =>
      w.server.api('POST', `/messages/${id}/reactions`, w.as(user, { body }));

    it('adds a reaction as a reaction.new event with the counts; the same again is a no-op', async () => {
      const watcher = await w.server.connect('carol');
      try {
        await watcher.watch(w.cid);
        const message = await w.send('alice', { text: 'Slides attached' });
        const first = await react('bob', message.id, { type: 'like' });
        expect(first.status).toBe(201);
        expect(first.body).toMatchObject({
          duplicate: false,
          reaction: { user_id: 'bob', type: 'like', score: 1, user: { id: 'bob' } },
          message: { reaction_counts: { like: 1 } },
        });
        expect(first.body.message.own_reactions.map((r: { type: string }) => r.type)).toEqual([
          'like',
        ]);
        const event = await watcher.waitFor(
          (f) => f.type === 'reaction.new' && f.message_id === message.id,
        );
        expect(event).toMatchObject({ reaction_counts: { like: 1 }, reaction: { user_id: 'bob' } });

        const lastSeq = (await w.events()).at(-1)!.seq;
        const again = await react('bob', message.id, { type: 'like' });
        expect(again.status).toBe(200);
        expect(again.body.duplicate).toBe(true);
        expect((await w.events()).at(-1)!.seq).toBe(lastSeq);
      } finally {
        await watcher.close();
      }
    });

    it('shows each reader their own reactions, and counts everyone’s', async () => {
      const message = await w.send('alice', { text: 'Lunch?' });
      await react('bob', message.id, { type: 'yes' });
      await react('carol', message.id, { type: 'yes' });
      await react('carol', message.id, { type: '🎉' });
      const asBob = (await w.server.api('GET', `/messages/${message.id}`, w.as('bob'))).body;
      const asAlice = (await w.server.api('GET', `/messages/${message.id}`, w.as('alice'))).body;
      expect(asBob.message.reaction_counts).toEqual({ yes: 2, '🎉': 1 });
      expect(asBob.message.own_reactions.map((r: { type: string }) => r.type)).toEqual(['yes']);
      expect(asAlice.message.own_reactions).toEqual([]);
      expect(asAlice.message.latest_reactions.map((r: { user_id: string }) => r.user_id)).toEqual([
        'carol',
        'carol',
        'bob',
      ]);
      // The channel's history carries the reader's own reactions too.
      const history = await w.server.api('GET', `${w.path}/messages?limit=1`, w.as('carol'));
      expect(history.body.messages[0].own_reactions).toHaveLength(2);
    });

    it('replaces the user’s other reactions with enforce_unique, one event per change', async () => {
      const message = await w.send('alice', { text: 'Vote: A or B' });
      await react('bob', message.id, { type: 'a' });
      const before = (await w.events()).at(-1)!.seq;
      const vote = await react('bob', message.id, { type: 'b', enforce_unique: true });
      expect(vote.body.message.reaction_counts).toEqual({ b: 1 });
      const events = await w.events(before);
      expect(events.map((e) => [e.type, e.reaction.type])).toEqual([
        ['reaction.deleted', 'a'],
        ['reaction.new', 'b'],
      ]);
      expect(events.map((e) => e.seq)).toEqual([before + 1, before + 2]);
    });

    it('takes a reaction back; taking back one that is not there changes nothing', async () => {
      const message = await w.send('alice', { text: 'Thanks all' });
      await react('carol', message.id, { type: 'heart' });
      const removed = await w.server.api(
        'DELETE',
        `/messages/${message.id}/reactions/heart`,
        w.as('carol'),
      );
      expect(removed.status).toBe(200);
      expect(removed.body.message).toMatchObject({ reaction_counts: {}, own_reactions: [] });
      const lastSeq = (await w.events()).at(-1)!.seq;
      expect((await w.events(lastSeq - 1))[0]).toMatchObject({ type: 'reaction.deleted' });
      const noop = await w.server.api(
        'DELETE',
        `/messages/${message.id}/reactions/heart`,
        w.as('carol'),
      );
      expect(noop.status).toBe(200);
      expect((await w.events()).at(-1)!.seq).toBe(lastSeq);
    });

    it('refuses a type past the limit of distinct types, a bad type, outsiders and deleted messages', async () => {
      const message = await w.send('alice', { text: 'Pick one' });
      for (const type of ['one', 'two', 'three']) await react('bob', message.id, { type });
      const fourth = await react('carol', message.id, { type: 'four' });
      expectError(fourth, 'too_many_reaction_types');
      expect(fourth.body.error.details.max).toBe(3);
      // An existing type is still fine.
      expect((await react('carol', message.id, { type: 'two' })).status).toBe(201);
      expectError(await react('bob', message.id, { type: 'has space' }), 'invalid_request');
      expectError(await react('bob', message.id, { type: '' }), 'invalid_request');
      expectError(await react('dave', message.id, { type: 'one' }), 'not_member');
      expectError(await react('bob', 'no-such-message', { type: 'one' }), 'message_not_found');
      await w.server.api('DELETE', `/messages/${message.id}`, w.as('alice'));
      expectError(await react('carol', message.id, { type: 'one' }), 'message_deleted');
    });

    it('counts every reaction when many members react at once, with consecutive seqs', async () => {
      const users = Array.from({ length: 12 }, (_, i) => `fan${i}`);
      await w.server.createUsers(...users);
      await w.server.api('POST', `${w.path}/members`, { body: { user_ids: users } });
      const message = await w.send('alice', { text: 'We are live!' });
      const before = (await w.events()).at(-1)!.seq;
      const results = await Promise.all(
        users.map(async (u) =>
          w.server.api('POST', `/messages/${message.id}/reactions`, {
            token: await w.server.tokenFor(u),
            body: { type: 'clap' },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(users.map(() => 201));
      const stored = (await w.server.api('GET', `/messages/${message.id}`, w.as('alice'))).body;
      expect(stored.message.reaction_counts).toEqual({ clap: users.length });
      const events = await w.events(before);
      expect(events.map((e) => e.seq)).toEqual(users.map((_, i) => before + 1 + i));
      expect(events.at(-1)!.reaction_counts).toEqual({ clap: users.length });
    });

    it('lists who reacted, newest first, a page at a time with a signed cursor', async () => {
      const message = await w.send('alice', { text: 'Who is coming?' });
      for (const user of ['bob', 'carol', 'mod']) await react(user, message.id, { type: 'me' });
      const first = await w.server.api(
        'GET',
        `/messages/${message.id}/reactions?limit=2`,
        w.as('alice'),
      );
      expect(first.body.reactions.map((r: { user_id: string }) => r.user_id)).toEqual([
        'mod',
        'carol',
      ]);
      const rest = await w.server.api(
        'GET',
        `/messages/${message.id}/reactions?limit=2&cursor=${first.body.next_cursor}`,
        w.as('alice'),
      );
      expect(rest.body).toMatchObject({ reactions: [{ user_id: 'bob' }], next_cursor: null });
      expectError(
        await w.server.api(
          'GET',
          `/messages/${message.id}/reactions?cursor=abc.def`,
          w.as('alice'),
        ),
        'invalid_request',
      );
    });

    it('reacts and takes back over the WebSocket with the same rules', async () => {
      const message = await w.send('alice', { text: 'ws reactions' });
      const bob = await w.server.connect('bob');
      try {
        const added = await bob.request({
          type: 'reaction.send',
          message_id: message.id,
          reaction: { type: 'fire' },
        });
        expect(added).toMatchObject({
          duplicate: false,
          message: { reaction_counts: { fire: 1 } },
        });
        const removed = await bob.request({
          type: 'reaction.delete',
          message_id: message.id,
          reaction_type: 'fire',
        });
        expect(removed.message.reaction_counts).toEqual({});
        await expectFrameError(
          bob.request({ type: 'reaction.send', message_id: message.id, reaction: { type: 'a b' } }),
          'invalid_request',
        );
      } finally {
        await bob.close();
      }
    });
  });
}
