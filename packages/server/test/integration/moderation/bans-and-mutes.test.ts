import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: bans and mutes`, () => {
    let w: RichWorld;
    const audit = async (action: string) =>
      (await w.server.api('GET', `/audit-log?action=${action}`)).body.entries as any[];

    beforeAll(async () => {
      w = await startRichWorld(kind, 'bans');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('a channel ban refuses reads and writes on REST and WebSocket, is an event with a seq, and is audited', async () => {
      const [bob, carol] = [await w.server.connect('bob'), await w.server.connect('carol')];
      try {
        await bob.watch(w.cid);
        await carol.watch(w.cid);
        const banned = await w.server.api(
          'POST',
          '/moderation/ban',
          w.as('mod', { body: { target_user_id: 'bob', cid: w.cid, reason: 'spam' } }),
        );
        expect(banned.status).toBe(201);
        expect(banned.body.restriction).toMatchObject({
          kind: 'ban',
          target_user_id: 'bob',
          cid: w.cid,
          by_user_id: 'mod',
          reason: 'spam',
          expires_at: null,
        });
        const event = await carol.waitFor((f) => f.type === 'member.banned');
        expect(event).toMatchObject({ cid: w.cid, user_id: 'bob', by_user_id: 'mod' });
        expect((await w.events()).at(-1)).toEqual(event);
        await bob.waitFor((f) => f.type === 'member.banned');

        const send = await w.server.api(
          'POST',
          `${w.path}/messages`,
          w.as('bob', { body: { text: 'hi' } }),
        );
        expectError(send, 'banned');
        expect(send.body.error.details).toEqual({ cid: w.cid, expires_at: null });
        expectError(await w.server.api('GET', w.path, w.as('bob')), 'banned');
        expectError(await w.server.api('GET', `${w.path}/messages`, w.as('bob')), 'banned');
        const list = await w.server.api('GET', '/channels', w.as('bob'));
        expect(list.body.channels.map((c: any) => c.channel.cid)).not.toContain(w.cid);
        await expectFrameError(bob.sendMessage(w.cid, 'over ws'), 'banned');
        await expectFrameError(bob.watch(w.cid), 'banned');
        // Banned, bob no longer watches: carol's next message does not reach him.
        await w.send('carol', { text: 'after the ban' });
        await bob.ping();
        // Neither as an event nor as a notification (bob is still a member, not watching).
        await new Promise((resolve) => setTimeout(resolve, 100));
        await bob.ping();
        const seen = [...bob.ofType('message.new'), ...bob.ofType('notification.message_new')];
        expect(seen.map((f) => f.message.text)).not.toContain('after the ban');

        const entry = (await audit('ban')).find((e) => e.target_user_id === 'bob');
        expect(entry).toMatchObject({ actor_id: 'mod', cid: w.cid, reason: 'spam' });

        const lifted = await w.server.api(
          'DELETE',
          '/moderation/ban',
          w.as('mod', { body: { target_user_id: 'bob', cid: w.cid } }),
        );
        expect(lifted.body).toEqual({ lifted: true });
        expect((await w.events()).at(-1)).toMatchObject({
          type: 'member.unbanned',
          user_id: 'bob',
        });
        expect((await bob.sendMessage(w.cid, 'back')).message.text).toBe('back');
        const again = await w.server.api(
          'DELETE',
          '/moderation/ban',
          w.as('mod', { body: { target_user_id: 'bob', cid: w.cid } }),
        );
        expect(again.body).toEqual({ lifted: false });
        expect((await audit('unban')).length).toBe(1);
      } finally {
        await bob.close();
        await carol.close();
      }
    });

    it('a ban with timeout_s ends by itself', async () => {
      const res = await w.server.api('POST', '/moderation/ban', {
        body: { target_user_id: 'carol', cid: w.cid, timeout_s: 1 },
      });
      expect(Date.parse(res.body.restriction.expires_at) - Date.now()).toBeLessThanOrEqual(1_000);
      const path = `${w.path}/messages`;
      expectError(
        await w.server.api('POST', path, w.as('carol', { body: { text: 'x' } })),
        'banned',
      );
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(
        (await w.server.api('POST', path, w.as('carol', { body: { text: 'x' } }))).status,
      ).toBe(201);
    });

    it('an app-wide ban (admins and the server) refuses writes everywhere, not reads', async () => {
      expectError(
        await w.server.api(
          'POST',
          '/moderation/ban',
          w.as('mod', { body: { target_user_id: 'carol' } }),
        ),
        'forbidden',
      );
      const res = await w.server.api(
        'POST',
        '/moderation/ban',
        w.as('root', { body: { target_user_id: 'carol', reason: 'abuse' } }),
      );
      expect(res.body.restriction.cid).toBeNull();
      const send = await w.server.api(
        'POST',
        `${w.path}/messages`,
        w.as('carol', { body: { text: 'x' } }),
      );
      expectError(send, 'banned');
      expect(send.body.error.details.cid).toBeNull();
      expect((await w.server.api('GET', `${w.path}/messages`, w.as('carol'))).status).toBe(200);
      const carol = await w.server.connect('carol');
      try {
        await expectFrameError(carol.sendMessage(w.cid, 'ws'), 'banned');
      } finally {
        await carol.close();
      }
      await w.server.api('DELETE', '/moderation/ban', { body: { target_user_id: 'carol' } });
      expect(
        (await w.server.api('POST', `${w.path}/messages`, w.as('carol', { body: { text: 'ok' } })))
          .status,
      ).toBe(201);
    });

    it('a mute (a WebSocket frame of a moderator) lets the member read but not send, react, edit or type', async () => {
      const mine = await w.send('bob', { text: 'before the mute' });
      const [mod, bob] = [await w.server.connect('mod'), await w.server.connect('bob')];
      try {
        await bob.watch(w.cid);
        const muted = await mod.request({
          type: 'moderation.mute',
          target_user_id: 'bob',
          cid: w.cid,
          timeout_s: 600,
        });
        expect(muted.restriction).toMatchObject({ kind: 'mute', by_user_id: 'mod' });
        const event = await bob.waitFor((f) => f.type === 'member.muted');
        expect(event.expires_at).toBe(muted.restriction.expires_at);

        expect((await w.server.api('GET', `${w.path}/messages`, w.as('bob'))).status).toBe(200);
        expectError(
          await w.server.api('POST', `${w.path}/messages`, w.as('bob', { body: { text: 'x' } })),
          'muted',
        );
        expectError(
          await w.server.api(
            'POST',
            `/messages/${mine.id}/reactions`,
            w.as('bob', { body: { type: 'like' } }),
          ),
          'muted',
        );
        expectError(
          await w.server.api(
            'PATCH',
            `/messages/${mine.id}`,
            w.as('bob', { body: { text: 'edit' } }),
          ),
          'muted',
        );
        await expectFrameError(bob.sendMessage(w.cid, 'ws'), 'muted');
        await expectFrameError(bob.request({ type: 'typing.start', cid: w.cid }), 'muted');

        const unmuted = await mod.request({
          type: 'moderation.unmute',
          target_user_id: 'bob',
          cid: w.cid,
        });
        expect(unmuted).toEqual({ lifted: true });
        await bob.waitFor((f) => f.type === 'member.unmuted');
        expect((await bob.sendMessage(w.cid, 'free again')).message.text).toBe('free again');
      } finally {
        await mod.close();
        await bob.close();
      }
    });

    it('refuses moderation to members (forbidden) and outsiders (not_member), and a mute without cid', async () => {
      const body = { target_user_id: 'carol', cid: w.cid };
      expectError(
        await w.server.api('POST', '/moderation/ban', w.as('bob', { body })),
        'forbidden',
      );
      expectError(
        await w.server.api('POST', '/moderation/mute', w.as('dave', { body })),
        'not_member',
      );
      expectError(
        await w.server.api(
          'POST',
          '/moderation/mute',
          w.as('mod', { body: { target_user_id: 'carol' } }),
        ),
        'invalid_request',
      );
      expectError(
        await w.server.api(
          'POST',
          '/moderation/ban',
          w.as('mod', { body: { target_user_id: 'nobody', cid: w.cid } }),
        ),
        'user_not_found',
      );
      expectError(
        await w.server.api(
          'POST',
          '/moderation/ban',
          w.as('mod', { body: { target_user_id: 'carol', cid: w.cid, timeout_s: 0 } }),
        ),
        'invalid_request',
      );
      // Nothing was stored: carol still writes.
      expect(
        (await w.server.api('POST', `${w.path}/messages`, w.as('carol', { body: { text: 'ok' } })))
          .status,
      ).toBe(201);
    });
  });
}
