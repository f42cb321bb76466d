import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET, TestServer } from '../../server/test/helpers/test-server.js';
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
