import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_AVAILABLE, REDIS_URL, dropRedisKeys, uniqueRedisPrefix } from '../helpers/redis.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { Frame, TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

const runs = STORAGE_KINDS.includes('postgres') && REDIS_AVAILABLE;

/** Typing states expire after this long here: the stops below must come well before. */
const TIMEOUT_MS = 3_000;
/** Longer than a send's stop takes, shorter than the state's expiry. */
const STOP_WITHIN_MS = 2_000;

const stopOf = (cid: string, userId: string) => (f: Frame) =>
  f.type === 'typing.stop' && f.cid === cid && f.user_id === userId;

/*
 * A send ends its author's typing state even when the author typed in a tab connected to
 * another node. A node asks Redis only where it heard of a state (TypingHints): these
 * show it hears of one across nodes, and asks anyway while it may have missed one.
 */
describe.runIf(runs)('postgres + redis: a send ends its author’s typing on every node', () => {
  const prefix = uniqueRedisPrefix();
  const options = { redisUrl: REDIS_URL, redisKeyPrefix: prefix, typingTimeoutMs: TIMEOUT_MS };
  const open: TestClient[] = [];
  let a: TestServer;
  let b: TestServer | undefined;

  beforeAll(async () => {
    a = await TestServer.start('postgres', options);
    await a.createUsers('ann', 'bob', 'cat');
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await b?.close();
    await a?.close();
    await dropRedisKeys(prefix);
  });

  const connect = async (node: TestServer, userId: string, cid: string) => {
    const client = await node.connect(userId);
    open.push(client);
    await client.watch(cid);
    return client;
  };

  it('on a node started after the typing began (it may have missed the start)', async () => {
    const cid = await a.createChannel('team', 'late-node', ['ann', 'bob']);
    const annOnA = await connect(a, 'ann', cid);
    const bobOnA = await connect(a, 'bob', cid);
    await annOnA.request({ type: 'typing.start', cid });
    await bobOnA.waitFor((f) => f.type === 'typing.start' && f.user_id === 'ann');

    b = await TestServer.besides(a, options);
    const annOnB = await connect(b, 'ann', cid);
    await annOnB.sendMessage(cid, 'sent from my other tab');
    await bobOnA.waitFor(stopOf(cid, 'ann'), STOP_WITHIN_MS);
    expect((await bobOnA.watch(cid)).typing).toEqual([]);
  });

  it('on a node that heard of the typing over the bus', async () => {
    // Past node B's start-up window, so that its answer comes from what it heard.
    await sleep(TIMEOUT_MS + 1_100);
    const cid = await a.createChannel('team', 'heard', ['ann', 'bob', 'cat']);
    const annOnA = await connect(a, 'ann', cid);
    const bobOnA = await connect(a, 'bob', cid);
    const catOnB = await connect(b!, 'cat', cid);
    const annOnB = await connect(b!, 'ann', cid);
    await annOnA.request({ type: 'typing.start', cid });
    // Cat's frame came through node B: B has heard of the state.
    await catOnB.waitFor((f) => f.type === 'typing.start' && f.user_id === 'ann');

    await annOnB.sendMessage(cid, 'done typing');
    await bobOnA.waitFor(stopOf(cid, 'ann'), STOP_WITHIN_MS);
    await catOnB.waitFor(stopOf(cid, 'ann'), STOP_WITHIN_MS);
    expect((await catOnB.watch(cid)).typing).toEqual([]);

    // A send with no typing before it ends nothing.
    await catOnB.sendMessage(cid, 'never typed');
    await bobOnA.waitFor((f) => f.type === 'message.new' && f.message.text === 'never typed');
    await bobOnA.ping();
    expect(
      bobOnA.frames.filter((f) => f.type.startsWith('typing.') && f.user_id === 'cat'),
    ).toEqual([]);
  });
});
