import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/part-variants.js';
import {
  REDIS_AVAILABLE,
  REDIS_URL,
  dropRedisKeys,
  uniqueRedisPrefix,
} from '../../helpers/redis.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { TestServer } from '../../helpers/test-server.js';

const runs = STORAGE_KINDS.includes('postgres') && REDIS_AVAILABLE;

/*
 * Channel types, bans and blocks are cached on each node; a change on one node must reach
 * the others at once (an invalidate message on the Redis bus), not after the cache's TTL.
 */
describe.runIf(runs)('postgres + redis: moderation across two nodes', () => {
  const prefix = uniqueRedisPrefix();
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    a = await TestServer.start('postgres', { redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    b = await TestServer.besides(a, { redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    await a.createUsers('ann', 'ben');
    await a.createChannel('team', 'nodes', ['ben'], 'ann');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await dropRedisKeys(prefix);
  });

  /** Ben sends on node B. */
  const sendOnB = async (text: string) => {
    const token = await a.tokenFor('ben');
    const res = await fetch(`${b.url}/channels/team/nodes/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  /**
   * B's answer once the change made on A has crossed Redis: well within a second, where
   * the cache alone would keep the old answer for its TTL (10 minutes).
   */
  const answerOnB = async (text: string, expected: string) => {
    let outcome = '';
    const answered = async () => {
      const res = await sendOnB(text);
      outcome = res.status === 201 ? 'ok' : res.body.error.code;
      return outcome === expected;
    };
    await eventually(`node B answers ${expected}`, answered, 1_000).catch(() => {});
    return outcome;
  };

  it('a ban, a type change and their reversal made on node A apply on node B at once', async () => {
    expect((await sendOnB('warm the cache')).status).toBe(201);
    await a.api('POST', '/moderation/ban', { body: { target_user_id: 'ben', cid: 'team:nodes' } });
    expect(await answerOnB('banned?', 'banned')).toBe('banned');
    await a.api('DELETE', '/moderation/ban', {
      body: { target_user_id: 'ben', cid: 'team:nodes' },
    });
    expect(await answerOnB('free', 'ok')).toBe('ok');

    await a.api('PATCH', '/channel-types/team', { body: { permissions: { send: ['owner'] } } });
    expect(await answerOnB('members may not send', 'forbidden')).toBe('forbidden');
    await a.api('PATCH', '/channel-types/team', {
      body: { permissions: { send: ['owner', 'moderator', 'member', 'admin'] } },
    });
    expect(await answerOnB('members send again', 'ok')).toBe('ok');
  });

  it('a member removed on node A may not send on node B, and may again once added back', async () => {
    expect((await sendOnB('node B knows the channel now')).status).toBe(201);
    await a.api('DELETE', '/channels/team/nodes/members', { body: { user_ids: ['ben'] } });
    // At once: node B finds out when it writes, whatever it heard from node A.
    const refused = await sendOnB('removed?');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_member');
    await a.api('POST', '/channels/team/nodes/members', { body: { user_ids: ['ben'] } });
    expect((await sendOnB('back')).status).toBe(201);
  });

  it('names a user renamed on node A by the new name in what they send on node B', async () => {
    expect((await sendOnB('as before')).body.message.user.name).not.toBe('Ben Renamed');
    await a.api('POST', '/users', { body: { users: [{ id: 'ben', name: 'Ben Renamed' }] } });
    let name: unknown;
    await eventually(
      'node B names ben anew',
      async () => {
        name = (await sendOnB('renamed')).body.message.user.name;
        return name === 'Ben Renamed';
      },
      1_000,
    ).catch(() => {});
    expect(name).toBe('Ben Renamed');
  });

  it('names the author of a page on node B with the last_active they got on node A', async () => {
    expect((await sendOnB('node B keeps ben’s record now')).status).toBe(201);
    const authorOnB = async () => {
      const page = await b.api('GET', '/channels/team/nodes/messages?limit=1');
      expect(page.status).toBe(200);
      return page.body.messages.at(-1).user as { id: string; last_active: string | null };
    };
    const before = await authorOnB();
    expect(before.id).toBe('ben');
    // Coming online on node A records last_active there; node B must not name him as it kept him.
    const ben = await a.connect('ben');
    try {
      let lastActive = before.last_active;
      await eventually(
        'node B names ben with his new last_active',
        async () => {
          lastActive = (await authorOnB()).last_active;
          return lastActive !== before.last_active;
        },
        2_000,
      ).catch(() => {});
      expect(lastActive).not.toBeNull();
      expect(lastActive).not.toBe(before.last_active);
    } finally {
      await ben.close();
    }
  });
});
