import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TEST_API_KEY, TEST_SECRET, TestServer } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient, type ParleyServerClient } from '../src/index.js';
import { expectChatError } from './helpers/expect-chat-error.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: server SDK, moderation, channel types, audit and analytics`, () => {
    let server: TestServer;
    let parley: ParleyServerClient;
    /** Sends as `user` with their own token: what the rules decide. */
    const sendAs = async (user: string, type: string, id: string, text: string) =>
      server.api('POST', `/channels/${type}/${id}/messages`, {
        token: await server.tokenFor(user),
        body: { text },
      });

    beforeAll(async () => {
      server = await TestServer.start(kind);
      parley = createParleyServerClient({
        url: server.url,
        secret: TEST_SECRET,
        apiKey: TEST_API_KEY,
      });
      await parley.upsertUsers([{ id: 'org' }, { id: 'spk' }, { id: 'guest' }]);
      await parley.getOrCreateChannel('request', 'r1', {
        members: ['org', 'spk'],
        createdById: 'org',
      });
    });
    afterAll(() => server?.close());

    it('creates and changes a channel type whose rules the server then applies', async () => {
      const created = await parley.createChannelType('event', {
        permissions: { send: ['owner', 'moderator'] },
        slowModeS: 0,
        blocklist: [{ pattern: 'darn', action: 'mask' }],
      });
      expect(created).toMatchObject({ name: 'event', built_in: false, slow_mode_s: 0 });
      expect(created.permissions.send).toEqual(['owner', 'moderator']);
      await parley.getOrCreateChannel('event', 'e1', { members: ['spk'], createdById: 'org' });
      expect((await sendAs('spk', 'event', 'e1', 'hello')).body.error.code).toBe('forbidden');
      await parley.updateChannelType('event', { permissions: { send: ['owner', 'member'] } });
      expect((await sendAs('spk', 'event', 'e1', 'darn it')).body.message.text).toBe('*** it');
      expect((await parley.getChannelType('event')).permissions.send).toEqual(['owner', 'member']);
      expect((await parley.listChannelTypes()).map((t) => t.name)).toEqual([
        'event',
        'messaging',
        'team',
      ]);
      await expectChatError(parley.createChannelType('event'), 'channel_type_exists');
      await expectChatError(parley.createChannelType('Bad Name'), 'invalid_request');
    });

    it('bans and mutes for a moderator, with the audit log recording who', async () => {
      const ban = await parley.ban({
        targetUserId: 'spk',
        cid: 'request:r1',
        reason: 'spam',
        userId: 'org',
      });
      expect(ban).toMatchObject({
        kind: 'ban',
        cid: 'request:r1',
        by_user_id: 'org',
        reason: 'spam',
      });
      expect((await sendAs('spk', 'request', 'r1', 'x')).body.error.code).toBe('banned');
      expect(await parley.unban({ targetUserId: 'spk', cid: 'request:r1' })).toBe(true);
      expect(await parley.unban({ targetUserId: 'spk', cid: 'request:r1' })).toBe(false);
      await parley.mute({ targetUserId: 'spk', cid: 'request:r1', timeoutS: 60 });
      expect((await sendAs('spk', 'request', 'r1', 'x')).body.error.code).toBe('muted');
      expect(await parley.unmute({ targetUserId: 'spk', cid: 'request:r1' })).toBe(true);
      const log = await parley.queryAuditLog({ targetUserId: 'spk' });
      expect(log.entries.map((e) => [e.action, e.actor_id])).toEqual([
        ['unmute', null],
        ['mute', null],
        ['unban', null],
        ['ban', 'org'],
      ]);
      await expectChatError(parley.ban({ targetUserId: 'not a user id!' }), 'invalid_request');
    });

    it('freezes, flags, blocks and mutes channels for users', async () => {
      const frozen = await parley.freezeChannel('request', 'r1', { reason: 'closed' });
      expect(frozen.frozen).toBe(true);
      expect((await sendAs('org', 'request', 'r1', 'x')).body.error.code).toBe('frozen');
      expect((await parley.unfreezeChannel('request', 'r1')).frozen).toBe(false);

      const { message } = await parley.sendMessage('request', 'r1', {
        text: 'rude',
        userId: 'spk',
      });
      const flag = await parley.flag({ messageId: message.id, reason: 'rude', userId: 'org' });
      expect(flag).toMatchObject({
        kind: 'message',
        flagged_by: 'org',
        message: { id: message.id },
      });
      expect((await parley.queryFlags({ cid: 'request:r1' })).flags.map((f) => f.id)).toEqual([
        flag.id,
      ]);

      await parley.blockUser('spk', 'guest');
      expect(await parley.getBlockedUsers('spk')).toEqual(['guest']);
      await parley.unblockUser('spk', 'guest');
      expect(await parley.getBlockedUsers('spk')).toEqual([]);

      await parley.muteChannel('request', 'r1', 'org');
      await parley.sendMessage('request', 'r1', { text: 'while muted', userId: 'spk' });
      const muted = await parley.getUnread('org');
      expect(muted.channels.map((c) => c.cid)).not.toContain('request:r1');
      await parley.unmuteChannel('request', 'r1', 'org');
      const unmuted = await parley.getUnread('org');
      // 'rude' and 'while muted' count again, in the channel and in the totals.
      expect(unmuted.channels.find((c) => c.cid === 'request:r1')?.unread_count).toBe(2);
      expect(unmuted.total_unread_count).toBe(muted.total_unread_count + 2);
    });

    it('reads analytics', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const figures = await parley.getAnalytics({ from: today, to: today });
      expect(figures.totals.new_channels).toBe(2);
      expect(figures.busiest_channels[0]).toMatchObject({ cid: 'request:r1' });
      await expectChatError(
        parley.getAnalytics({ from: today, to: 'tomorrow' }),
        'invalid_request',
      );
    });
  });
}
