import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: blocks, channel mutes, flags, the audit log and recovery`, () => {
    let w: RichWorld;

    beforeAll(async () => {
      w = await startRichWorld(kind, 'flags');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('a blocked user cannot send a direct message, and the blocker no longer reads their messages', async () => {
      const dm = await w.server.api(
        'POST',
        '/channels/messaging',
        w.as('carol', { body: { members: ['bob'] } }),
      );
      const dmPath = `/channels/messaging/${dm.body.channel.id}`;
      await w.send('carol', { text: 'carol in the team channel' });
      const blocked = await w.server.api('POST', '/users/carol/block', w.as('bob'));
      expect(blocked.body).toEqual({ blocked_user_id: 'carol', blocked: true });
      expect((await w.server.api('GET', '/blocks', w.as('bob'))).body.blocked_user_ids).toEqual([
        'carol',
      ]);

      expectError(
        await w.server.api('POST', `${dmPath}/messages`, w.as('carol', { body: { text: 'hi' } })),
        'blocked',
      );
      const carol = await w.server.connect('carol');
      try {
        await expectFrameError(carol.sendMessage(dm.body.channel.cid, 'hi ws'), 'blocked');
      } finally {
        await carol.close();
      }
      // Bob still writes to carol; in group channels carol still writes, bob does not see it.
      expect(
        (await w.server.api('POST', `${dmPath}/messages`, w.as('bob', { body: { text: 'bye' } })))
          .status,
      ).toBe(201);
      const history = await w.server.api('GET', `${w.path}/messages?limit=200`, w.as('bob'));
      expect(history.body.messages.some((m: { user_id: string }) => m.user_id === 'carol')).toBe(
        false,
      );
      const found = await w.server.api('GET', '/search?q=team%20channel', w.as('bob'));
      expect(found.status).toBe(200);
      expect(found.body.results).toEqual([]);
      const aliceFound = await w.server.api('GET', '/search?q=team%20channel', w.as('alice'));
      expect(aliceFound.body.results.map((r: any) => r.message.user_id)).toEqual(['carol']);
      const aliceView = await w.server.api('GET', `${w.path}/messages?limit=200`, w.as('alice'));
      expect(aliceView.body.messages.some((m: { user_id: string }) => m.user_id === 'carol')).toBe(
        true,
      );

      const bob = await w.server.connect('bob');
      try {
        expect(await bob.request({ type: 'user.unblock', target_user_id: 'carol' })).toEqual({
          blocked_user_id: 'carol',
          blocked: false,
        });
      } finally {
        await bob.close();
      }
      expect(
        (
          await w.server.api(
            'POST',
            `${dmPath}/messages`,
            w.as('carol', { body: { text: 'hi again' } }),
          )
        ).status,
      ).toBe(201);
      expectError(await w.server.api('POST', '/users/bob/block', w.as('bob')), 'invalid_request');
      expectError(await w.server.api('POST', '/users/nobody/block', w.as('bob')), 'user_not_found');
    });

    it('a channel the user muted adds nothing to their unread totals, until unmuted', async () => {
      await w.server.api('POST', `${w.path}/read`, w.as('bob'));
      const muted = await w.server.api('POST', `${w.path}/mute`, w.as('bob'));
      expect(muted.body).toEqual({ cid: w.cid, muted: true });
      const listener = await w.server.connect('bob');
      await w.send('alice', { text: 'while muted', mentioned_users: ['bob'] });
      // The message still updates bob's channel list, without a mention alert.
      await listener.waitFor((f) => f.type === 'notification.message_new');
      await listener.ping();
      expect(listener.ofType('notification.mention')).toEqual([]);
      await listener.close();
      // (Bob has unread messages elsewhere too: the direct message of the test before.)
      const totals = async () => (await w.server.api('GET', '/unread', w.as('bob'))).body;
      const whileMuted = await totals();
      expect(whileMuted.channels.map((c: { cid: string }) => c.cid)).not.toContain(w.cid);
      expect((await w.server.api('GET', w.path, w.as('bob'))).body.unread_count).toBe(1);
      const bob = await w.server.connect('bob');
      try {
        expect(await bob.request({ type: 'channel.unmute', cid: w.cid })).toEqual({
          cid: w.cid,
          muted: false,
        });
      } finally {
        await bob.close();
      }
      const after = await totals();
      expect(after.total_unread_count).toBe(whileMuted.total_unread_count + 1);
      expect(after.channels).toContainEqual({ cid: w.cid, unread_count: 1, unread_mentions: 1 });
      expectError(await w.server.api('POST', `${w.path}/mute`, w.as('dave')), 'not_member');
    });

    it('flags of messages and users reach the queue with context, for moderators of the channel', async () => {
      const context = [];
      for (const text of ['one', 'two', 'three']) context.push(await w.send('alice', { text }));
      const bad = await w.send('bob', { text: 'something rude' });
      const carol = await w.server.connect('carol');
      try {
        const result = await carol.request({
          type: 'moderation.flag',
          message_id: bad.id,
          reason: 'rude',
        });
        expect(result.flag).toMatchObject({
          kind: 'message',
          flagged_by: 'carol',
          target_user_id: 'bob',
        });
      } finally {
        await carol.close();
      }
      const userFlag = await w.server.api(
        'POST',
        '/moderation/flag',
        w.as('alice', { body: { target_user_id: 'bob', reason: 'keeps at it' } }),
      );
      expect(userFlag.status).toBe(201);

      const queue = await w.server.api('GET', `/moderation/flags?cid=${w.cid}`, w.as('mod'));
      expect(queue.status).toBe(200);
      const flag = queue.body.flags[0];
      expect(flag).toMatchObject({
        kind: 'message',
        message_id: bad.id,
        reason: 'rude',
        cid: w.cid,
      });
      expect(flag.message.text).toBe('something rude');
      expect(flag.context.map((m: { text: string }) => m.text).slice(-3)).toEqual([
        'one',
        'two',
        'three',
      ]);
      // App-wide, the server sees the user flag too; pages are newest first without repeats.
      const first = await w.server.api('GET', '/moderation/flags?limit=1');
      expect(first.body.flags[0]).toMatchObject({
        kind: 'user',
        target_user_id: 'bob',
        message: null,
      });
      const next = await w.server.api(
        'GET',
        `/moderation/flags?limit=1&cursor=${first.body.next_cursor}`,
      );
      expect(next.body.flags[0].id).toBe(flag.id);

      expectError(
        await w.server.api('GET', `/moderation/flags?cid=${w.cid}`, w.as('carol')),
        'forbidden',
      );
      expectError(await w.server.api('GET', '/moderation/flags', w.as('mod')), 'forbidden');
      expectError(
        await w.server.api(
          'POST',
          '/moderation/flag',
          w.as('dave', { body: { message_id: bad.id } }),
        ),
        'not_member',
      );
      expectError(
        await w.server.api(
          'POST',
          '/moderation/flag',
          w.as('carol', { body: { message_id: bad.id, target_user_id: 'bob' } }),
        ),
        'invalid_request',
      );
    });

    it('audits every action, newest first, for the server only', async () => {
      const log = await w.server.api('GET', '/audit-log?limit=100');
      const actions = (log.body.entries as { action: string }[]).map((e) => e.action);
      for (const action of ['block', 'unblock', 'channel.mute', 'channel.unmute', 'flag']) {
        expect(actions).toContain(action);
      }
      const times = (log.body.entries as { created_at: string }[]).map((e) =>
        Date.parse(e.created_at),
      );
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const bobs = await w.server.api('GET', '/audit-log?actor_id=bob&action=block');
      expect(bobs.body.entries).toHaveLength(1);
      expect(bobs.body.entries[0]).toMatchObject({ actor_id: 'bob', target_user_id: 'carol' });
      await w
        .send('bob', { text: 'to be removed' })
        .then((m) => w.server.api('DELETE', `/messages/${m.id}`, w.as('mod')));
      const deletes = await w.server.api('GET', '/audit-log?action=message.delete');
      expect(deletes.body.entries[0]).toMatchObject({
        actor_id: 'mod',
        target_user_id: 'bob',
        cid: w.cid,
      });
      // App admins read it too (the admin console signed in with an admin's token).
      expect((await w.server.api('GET', '/audit-log?limit=1', w.as('root'))).status).toBe(200);
      expectError(await w.server.api('GET', '/audit-log', w.as('bob')), 'server_auth_required');
    });

    it('a client away during moderation recovers its events by seq, exactly once and in order', async () => {
      const bob = await w.server.connect('bob');
      try {
        const state = await bob.watch(w.cid);
        const since = state.channel.last_seq as number;
        await bob.close();
        await w.server.api('POST', '/moderation/mute', {
          body: { target_user_id: 'carol', cid: w.cid },
        });
        await w.server.api('POST', `${w.path}/freeze`, {});
        await w.server.api('DELETE', `${w.path}/freeze`, {});
        await w.server.api('DELETE', '/moderation/mute', {
          body: { target_user_id: 'carol', cid: w.cid },
        });
        const back = await w.server.connect('bob');
        try {
          const missed = await back.request({
            type: 'channel.events',
            cid: w.cid,
            since_seq: since,
          });
          expect(missed.events.map((e: { type: string }) => e.type)).toEqual([
            'member.muted',
            'channel.frozen',
            'channel.unfrozen',
            'member.unmuted',
          ]);
          expect(missed.events.map((e: { seq: number }) => e.seq)).toEqual([
            since + 1,
            since + 2,
            since + 3,
            since + 4,
          ]);
        } finally {
          await back.close();
        }
      } finally {
        await bob.close();
      }
    });
  });
}
