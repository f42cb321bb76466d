import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryPresence } from '../../src/presence/memory/memory-presence.js';
import type { PresenceTracker } from '../../src/presence/presence-tracker.js';
import { createRedisPresence } from '../../src/presence/redis/redis-presence.js';
import {
  eventually,
  memoryVariant,
  redisVariant,
  variants,
  type PartNodes,
  type PartVariant,
} from '../helpers/part-variants.js';
import { testLogger } from '../helpers/redis.js';

/** Short heartbeats, so an expiry takes a fraction of a second. */
const HEARTBEAT_MS = 100;

type PresenceVariant = PartVariant<PresenceTracker, Record<string, never>>;

/** The contract every presence tracker keeps; run against each implementation. */
export function presenceContract(variant: PresenceVariant): void {
  describe(`${variant.name}: presence`, () => {
    let cluster: PartNodes<PresenceTracker> | undefined;
    afterEach(async () => {
      await cluster?.close();
      cluster = undefined;
    });

    it('keeps a user online from their first connection, on any node, until their last one closes', async () => {
      cluster = await variant.start(2, {});
      const [a, b] = cluster.nodes as [PresenceTracker, PresenceTracker];
      expect(await a.connect('ann', 'c1')).toBe(true);
      expect(await b.connect('ann', 'c2')).toBe(false);
      expect(await b.online(['ann'])).toEqual(new Set(['ann']));
      expect(await a.disconnect('ann', 'c1')).toBe(false);
      expect(await a.online(['ann'])).toEqual(new Set(['ann']));
      expect(await b.disconnect('ann', 'c2')).toBe(true);
      expect(await a.online(['ann'])).toEqual(new Set());
    });

    it('keeps a user with two connections on one node online until both closed, beside users of other nodes', async () => {
      cluster = await variant.start(2, {});
      const [a, b] = cluster.nodes as [PresenceTracker, PresenceTracker];
      await a.connect('ann', 'c1');
      await a.connect('ann', 'c2');
      await b.connect('bo', 'c3');
      expect(await a.online(['ann', 'bo', 'cy'])).toEqual(new Set(['ann', 'bo']));
      expect(await a.disconnect('ann', 'c1')).toBe(false);
      expect(await a.online(['ann', 'bo'])).toEqual(new Set(['ann', 'bo']));
      expect(await b.online(['ann'])).toEqual(new Set(['ann']));
      expect(await a.disconnect('ann', 'c2')).toBe(true);
      expect(await a.online(['ann', 'bo'])).toEqual(new Set(['bo']));
      expect(await b.online(['ann'])).toEqual(new Set());
    });

    it('answers only for the users asked about who are online', async () => {
      cluster = await variant.start(1, {});
      const [p] = cluster.nodes as [PresenceTracker];
      await p.connect('ann', 'c1');
      await p.connect('bo', 'c2');
      expect(await p.online(['ann', 'cy'])).toEqual(new Set(['ann']));
      expect(await p.online([])).toEqual(new Set());
    });

    it('changes nothing for a connection it never saw, or one closed twice', async () => {
      cluster = await variant.start(1, {});
      const [p] = cluster.nodes as [PresenceTracker];
      expect(await p.disconnect('ann', 'never')).toBe(false);
      await p.connect('ann', 'c1');
      expect(await p.disconnect('ann', 'c1')).toBe(true);
      expect(await p.disconnect('ann', 'c1')).toBe(false);
    });

    // In process, a crash takes every connection with it: nothing is left to expire.
    it.skipIf(!variant.separateNodes)(
      'reports a user offline, once, when the node holding their only connection dies, but not a user still connected elsewhere',
      async () => {
        cluster = await variant.start(3, {});
        const [dying, a, b] = cluster.nodes as [PresenceTracker, PresenceTracker, PresenceTracker];
        const reported: string[] = [];
        a.onChanged((id) => reported.push(id));
        b.onChanged((id) => reported.push(id));
        await dying.connect('ann', 'c1');
        await dying.connect('bo', 'c2');
        await a.connect('bo', 'c3');
        await dying.close(); // stops refreshing, removes nothing: as a node that died
        await eventually('ann to expire', () => reported.includes('ann'));
        expect(await a.online(['ann', 'bo'])).toEqual(new Set(['bo']));
        // Another sweep or two: nobody is reported twice, and bo not at all.
        await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 2));
        expect(reported).toEqual(['ann']);
      },
    );

    it.skipIf(!variant.separateNodes)(
      'keeps the connections of a live node online however long they stay',
      async () => {
        cluster = await variant.start(2, {});
        const [p, q] = cluster.nodes as [PresenceTracker, PresenceTracker];
        const reported: string[] = [];
        q.onChanged((id) => reported.push(id));
        await p.connect('ann', 'c1');
        await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 5));
        expect(await q.online(['ann'])).toEqual(new Set(['ann']));
        expect(reported).toEqual([]);
      },
    );
  });
}

const memory: PresenceVariant = memoryVariant(() => createMemoryPresence());
const redis: PresenceVariant = redisVariant((clients, keyPrefix) =>
  createRedisPresence({
    redis: clients.commands,
    keyPrefix,
    heartbeatMs: HEARTBEAT_MS,
    logger: testLogger,
  }),
);

for (const variant of variants(memory, redis)) presenceContract(variant);
