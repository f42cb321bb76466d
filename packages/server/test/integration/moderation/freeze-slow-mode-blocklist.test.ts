import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: freeze, slow mode and blocklists`, () => {
    let w: RichWorld;
    /** A channel `<type>:room` owned by alice with bob as a member. */
    const room = async (type: string, settings: Record<string, unknown>) => {
      const created = await w.server.api('POST', `/channel-types/${type}`, { body: settings });
      expect(created.status).toBe(201);
      await w.server.createChannel(type, 'room', ['bob'], 'alice');
      return `/channels/${type}/room`;
    };

    beforeAll(async () => {
      w = await startRichWorld(kind, 'freeze');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('a frozen channel is read-only for users on REST and WebSocket, until unfrozen', async () => {
      const message = await w.send('carol', { text: 'before' });
      const bob = await w.server.connect('bob');
      try {
        await bob.watch(w.cid);
        const frozen = await w.server.api(
          'POST',
          `${w.path}/freeze`,
          w.as('mod', { body: { reason: 'cool down' } }),
        );
        expect(frozen.body.channel.frozen).toBe(true);
        const event = await bob.waitFor((f) => f.type === 'channel.frozen');
        expect(event).toMatchObject({ by_user_id: 'mod', reason: 'cool down' });
        expect((await w.server.api('GET', w.path, w.as('bob'))).body.channel.frozen).toBe(true);

        expectError(
          await w.server.api('POST', `${w.path}/messages`, w.as('alice', { body: { text: 'x' } })),
          'frozen',
        );
        await expectFrameError(bob.sendMessage(w.cid, 'ws'), 'frozen');
        await expectFrameError(
          bob.request({
            type: 'reaction.send',
            message_id: message.id,
            reaction: { type: 'like' },
          }),
          'frozen',
        );
        expectError(
          await w.server.upload(
            w.cid,
            { bytes: new TextEncoder().encode('x'), name: 'a.txt' },
            w.as('bob'),
          ),
          'frozen',
        );
        // The app backend still writes (a system notice, say).
        expect(
          (
            await w.server.api('POST', `${w.path}/messages`, {
              body: { text: 'notice', user_id: 'alice' },
            })
          ).status,
        ).toBe(201);
        expectError(await w.server.api('POST', `${w.path}/freeze`, w.as('bob')), 'forbidden');

        await w.server.api('DELETE', `${w.path}/freeze`, w.as('alice'));
        await bob.waitFor((f) => f.type === 'channel.unfrozen');
        expect((await bob.sendMessage(w.cid, 'thawed')).message.text).toBe('thawed');
        const types = (await w.events()).map((e) => e.type);
        expect(types.filter((t) => t.startsWith('channel.'))).toEqual([
          'channel.frozen',
          'channel.unfrozen',
        ]);
      } finally {
        await bob.close();
      }
    });

    it('slow mode refuses a second message within the interval with slow_mode and Retry-After; moderators and retries pass', async () => {
      const path = await room('slow', { slow_mode_s: 3600 });
      const first = await w.server.api(
        'POST',
        `${path}/messages`,
        w.as('bob', { body: { id: 'slow-1', text: 'one' } }),
      );
      expect(first.status).toBe(201);
      const second = await w.server.api(
        'POST',
        `${path}/messages`,
        w.as('bob', { body: { text: 'two' } }),
      );
      expectError(second, 'slow_mode');
      expect(second.body.error.details.slow_mode_s).toBe(3600);
      expect(second.body.error.details.retry_after_ms).toBeGreaterThan(3_500_000);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(3_500);
      const bob = await w.server.connect('bob');
      try {
        await expectFrameError(bob.sendMessage('slow:room', 'ws two'), 'slow_mode');
        // An offline queue's retry of the stored message is answered, not refused.
        const retry = await bob.sendMessage('slow:room', 'one', 'slow-1');
        expect(retry.duplicate).toBe(true);
      } finally {
        await bob.close();
      }
      for (const text of ['owner one', 'owner two']) {
        expect(
          (await w.server.api('POST', `${path}/messages`, w.as('alice', { body: { text } })))
            .status,
        ).toBe(201);
      }
      // Turning it off takes effect at once.
      await w.server.api('PATCH', '/channel-types/slow', { body: { slow_mode_s: 0 } });
      expect(
        (await w.server.api('POST', `${path}/messages`, w.as('bob', { body: { text: 'three' } })))
          .status,
      ).toBe(201);
    });

    it('a blocklist masks, blocks or flags words, whole and case-insensitive, with * for any letters', async () => {
      const path = await room('clean', {
        blocklist: [
          { pattern: 'darn', action: 'mask' },
          { pattern: 'spam*', action: 'block' },
          { pattern: 'refund', action: 'flag' },
        ],
      });
      const send = (text: string) =>
        w.server.api('POST', `${path}/messages`, w.as('bob', { body: { text } }));
      const masked = await send('Well DARN it, darnit stays');
      expect(masked.body.message.text).toBe('Well *** it, darnit stays');
      const blocked = await send('Hello SPAMMERS');
      expectError(blocked, 'message_blocked');
      expect(blocked.body.error.details.matched).toEqual(['spam*']);
      expect((await send('no spa mmers here')).status).toBe(201);
      const flagged = await send('I want a refund');
      expect(flagged.status).toBe(201);
      const queue = await w.server.api('GET', '/moderation/flags?cid=clean:room', w.as('alice'));
      expect(queue.body.flags).toHaveLength(1);
      expect(queue.body.flags[0]).toMatchObject({
        kind: 'blocklist',
        message_id: flagged.body.message.id,
        target_user_id: 'bob',
        flagged_by: null,
        reason: 'blocklist: refund',
      });
      expect(queue.body.flags[0].message.text).toBe('I want a refund');
      // Edits are checked too.
      expectError(
        await w.server.api(
          'PATCH',
          `/messages/${flagged.body.message.id}`,
          w.as('bob', { body: { text: 'spam' } }),
        ),
        'message_blocked',
      );
      // A type's own length limit.
      await w.server.api('PATCH', '/channel-types/clean', { body: { max_message_length: 10 } });
      const long = await send('eleven char');
      expectError(long, 'message_too_long');
      expect(long.body.error.details.max_length).toBe(10);
    });

    it('validates channel types: unknown fields, bad roles, duplicates, missing types', async () => {
      expectError(
        await w.server.api('POST', '/channel-types/team', { body: {} }),
        'channel_type_exists',
      );
      expectError(
        await w.server.api('POST', '/channel-types/slow', { body: {} }),
        'channel_type_exists',
      );
      expectError(
        await w.server.api('PATCH', '/channel-types/nope', { body: { slow_mode_s: 1 } }),
        'channel_type_not_found',
      );
      expectError(await w.server.api('GET', '/channel-types/nope'), 'channel_type_not_found');
      expectError(
        await w.server.api('POST', '/channel-types/bad', {
          body: { permissions: { send: ['king'] } },
        }),
        'invalid_request',
      );
      expectError(
        await w.server.api('POST', '/channel-types/bad', {
          body: { permissions: { fly: ['member'] } },
        }),
        'invalid_request',
      );
      expectError(
        await w.server.api('POST', '/channel-types/bad', {
          body: { blocklist: [{ pattern: 'two words', action: 'block' }] },
        }),
        'invalid_request',
      );
      expectError(
        await w.server.api('POST', '/channel-types/x', w.as('root', { body: {} })),
        'server_auth_required',
      );
      const list = await w.server.api('GET', '/channel-types', w.as('bob'));
      expect(list.body.channel_types.map((t: { name: string }) => t.name)).toEqual([
        'clean',
        'messaging',
        'slow',
        'team',
      ]);
    });
  });
}
