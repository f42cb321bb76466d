import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWebhookPayloadSchema } from '@parley/protocol';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TEST_API_KEY, TEST_SECRET, TestServer } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient } from '../src/index.js';
import { WebhookReceiver } from './helpers/webhook-receiver.js';

/**
 * Moderation in a channel is a channel event stored with a seq, so the outbox delivers it
 * to webhooks like any other: an app hears of bans, mutes and freezes as they happen.
 */
describe('sqlite: moderation events reach webhooks', () => {
  let receiver: WebhookReceiver;
  let server: TestServer;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start(TEST_SECRET);
    server = await TestServer.start('sqlite', {
      webhookUrls: [`${receiver.url}#member.*+channel.*`],
      notificationPollMs: 25,
    });
    await server.createUsers('ana', 'ben', 'mod');
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('delivers bans, mutes, freezes and their undoing, signed, in seq order', async () => {
    const cid = await server.createChannel('team', 'modhooks', ['ana', 'ben'], 'ana');
    const ban = { target_user_id: 'ben', cid, reason: 'spam', user_id: 'ana' };
    const steps: [string, string, unknown][] = [
      ['POST', '/moderation/mute', ban],
      ['DELETE', '/moderation/mute', { target_user_id: 'ben', cid }],
      ['POST', '/moderation/ban', { ...ban, timeout_s: 3600 }],
      ['DELETE', '/moderation/ban', { target_user_id: 'ben', cid }],
      ['POST', '/channels/team/modhooks/freeze', { reason: 'cooling off' }],
      ['DELETE', '/channels/team/modhooks/freeze', {}],
    ];
    for (const [method, path, body] of steps) {
      const res = await server.api(method, path, { body });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
    }
    const types = [
      'member.muted',
      'member.unmuted',
      'member.banned',
      'member.unbanned',
      'channel.frozen',
      'channel.unfrozen',
    ];
    await receiver.waitFor(
      (r) => r.accepted.filter((p) => p.cid === cid && types.includes(p.type)).length === 6,
    );
    const mine = receiver.accepted.filter((p) => p.cid === cid && types.includes(p.type));
    expect(mine.map((p) => p.type)).toEqual(types);
    const seqs = mine.map((p) => p.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(mine[2]!.event).toMatchObject({
      user_id: 'ben',
      by_user_id: 'ana',
      reason: 'spam',
    });
    expect(mine[4]!.event).toMatchObject({ reason: 'cooling off', by_user_id: null });
  });
});

/**
 * Moderation of no one channel (flags, app-wide bans, app roles) is an app event with the
 * app's own seq, stored with its action: the same outbox delivers it, signed, with retries.
 */
for (const kind of STORAGE_KINDS) {
  describe(`${kind}: app events reach webhooks`, () => {
    let receiver: WebhookReceiver;
    let everything: WebhookReceiver;
    let server: TestServer;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start(TEST_SECRET);
      everything = await WebhookReceiver.start(TEST_SECRET);
      server = await TestServer.start(kind, {
        webhookUrls: [`${receiver.url}#flag.*+user.*`, everything.url],
        webhookRetryBaseMs: 40,
        webhookRetryMaxMs: 200,
        notificationPollMs: 25,
      });
      await server.createUsers('ana', 'ben', 'boss');
      await server.api('PUT', '/users/boss/role', { body: { role: 'admin' } });
      // That promotion is an app event too: delivered before the test begins.
      await receiver.waitFor((r) => r.accepted.some((p) => p.type === 'user.role_changed'));
    });
    afterAll(async () => {
      await server?.close();
      await receiver?.close();
      await everything?.close();
    });

    it('delivers flags, their resolution, app-wide bans, role changes and channel types, signed, in app seq order, retried while the endpoint fails', async () => {
      const cid = await server.createChannel('messaging', 'apphooks', ['ana', 'ben'], 'ana');
      const sent = await server.api('POST', '/channels/messaging/apphooks/messages', {
        body: { text: 'buy my stuff', user_id: 'ben' },
      });
      const ana = { token: await server.tokenFor('ana') };
      const boss = { token: await server.tokenFor('boss') };
      // The endpoint fails at first: the events wait and come afterwards, in order.
      receiver.mode = 'fail';
      const flagged = await server.api('POST', '/moderation/flag', {
        ...ana,
        body: { message_id: sent.body.message.id, reason: 'spam' },
      });
      expect(flagged.status).toBe(201);
      const flagId = flagged.body.flag.id as string;
      await receiver.waitFor((r) => r.received.some((x) => x.answered === 503));
      receiver.mode = 'ok';
      await server.api('POST', `/moderation/flags/${flagId}/resolve`, {
        ...boss,
        body: { resolution: 'actioned', reason: 'deleted it' },
      });
      await server.api('POST', '/moderation/ban', {
        ...boss,
        body: { target_user_id: 'ben', reason: 'spammer', timeout_s: 3600 },
      });
      await server.api('DELETE', '/moderation/ban', { body: { target_user_id: 'ben' } });
      const parley = createParleyServerClient({
        url: server.url,
        secret: TEST_SECRET,
        apiKey: TEST_API_KEY,
      });
      expect((await parley.setUserRole('ana', 'admin', { reason: 'new lead' })).role).toBe('admin');
      // The blocklist flags a message too: the server is the flagger.
      await parley.createChannelType('watched', {
        blocklist: [{ pattern: 'casino', action: 'flag' }],
      });
      await server.createChannel('watched', 'w', ['ben'], 'ana');
      // (The blocklist applies to users' messages, not to the app's own.)
      const watched = await server.api('POST', '/channels/watched/w/messages', {
        token: await server.tokenFor('ben'),
        body: { text: 'casino night' },
      });
      expect(watched.status).toBe(201);

      const wanted = [
        'flag.created',
        'flag.resolved',
        'user.banned',
        'user.unbanned',
        'user.role_changed',
        'flag.created',
      ];
      // (Boss's own promotion, before the test, is an app event too.)
      const ours = (r: WebhookReceiver) =>
        r.accepted.filter(
          (p) => p.cid === null && (p.event as { user_id?: string }).user_id !== 'boss',
        );
      await receiver.waitFor((r) => ours(r).length >= wanted.length);
      const mine = ours(receiver);
      expect(mine.map((p) => p.type)).toEqual(wanted);
      // Every request was signed as channel events are, and each payload has the documented shape.
      expect(receiver.received.every((r) => r.error === null)).toBe(true);
      for (const p of mine) expect(appWebhookPayloadSchema.safeParse(p).success).toBe(true);
      const seqs = mine.map((p) => p.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(mine.map((p) => p.id)).size).toBe(mine.length);
      const [created, resolved, banned, unbanned, role, blocklisted] = mine.map(
        (p) => p.event as any,
      );
      expect(created).toMatchObject({
        type: 'flag.created',
        flag: { id: flagId, kind: 'message', cid, flagged_by: 'ana', target_user_id: 'ben' },
      });
      expect(resolved).toMatchObject({
        flag: { id: flagId, resolution: 'actioned', resolved_by: 'boss' },
        reason: 'deleted it',
      });
      expect(banned).toMatchObject({ user_id: 'ben', by_user_id: 'boss', reason: 'spammer' });
      expect(banned.expires_at).not.toBeNull();
      expect(unbanned).toMatchObject({ user_id: 'ben', by_user_id: null });
      expect(role).toMatchObject({ user_id: 'ana', role: 'admin', previous_role: 'user' });
      expect(blocklisted.flag).toMatchObject({
        kind: 'blocklist',
        cid: 'watched:w',
        message_id: watched.body.message.id,
        target_user_id: 'ben',
        flagged_by: null,
        reason: 'blocklist: casino',
      });
      // The first attempt of the flag failed; its retry carried the same event id.
      const attempts = receiver.received.filter((r) => r.payload?.id === mine[0]!.id);
      expect(attempts.map((r) => r.answered)).toContain(503);
      expect(attempts.at(-1)!.answered).toBe(204);

      // An endpoint of every event gets the same app events besides the channel's.
      await everything.waitFor((r) => wanted.every((t) => r.accepted.some((p) => p.type === t)));
      const channelEvents = everything.accepted.filter((p) => p.cid === cid);
      expect(channelEvents.map((p) => p.type)).toContain('message.new');
      // Channel types are app events too, which the filtered endpoint (flag.*, user.*) skips.
      await everything.waitFor((r) => r.accepted.some((p) => p.type === 'channel_type.created'));
      const typed = everything.accepted.find((p) => p.type === 'channel_type.created')!;
      expect(typed.cid).toBeNull();
      expect(typed.event).toMatchObject({
        channel_type: { name: 'watched', blocklist: [{ pattern: 'casino', action: 'flag' }] },
      });
      expect(receiver.accepted.some((p) => p.type.startsWith('channel_type.'))).toBe(false);
    });
  });
}
