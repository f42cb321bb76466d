import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryTyping } from '../../src/typing/memory/memory-typing.js';
import { createRedisTyping } from '../../src/typing/redis/redis-typing.js';
import type { TypingTracker } from '../../src/typing/typing-tracker.js';
import {
  eventually,
  memoryVariant,
  redisVariant,
  variants,
  type PartNodes,
  type PartVariant,
} from '../helpers/part-variants.js';
import { testLogger } from '../helpers/redis.js';

type TypingVariant = PartVariant<TypingTracker, { timeoutMs: number }>;

/** The contract every typing tracker keeps; run against each implementation. */
export function typingContract(variant: TypingVariant): void {
  describe(`${variant.name}: typing`, () => {
    let cluster: PartNodes<TypingTracker> | undefined;
    afterEach(async () => {
      await cluster?.close();
      cluster = undefined;
    });

    it('shows a user typing on every node from start to stop, and reports only real changes', async () => {
      cluster = await variant.start(2, { timeoutMs: 10_000 });
      const [a, b] = cluster.nodes as [TypingTracker, TypingTracker];
      expect(await a.start('team:x', 'ann', 'c1')).toBe(true);
      expect(await a.start('team:x', 'ann', 'c1')).toBe(false); // a refresh
      expect(await b.typing('team:x')).toEqual(['ann']);
      expect(await b.typing('team:y')).toEqual([]);
      expect(await b.stop('team:x', 'ann')).toBe(true);
      expect(await a.stop('team:x', 'ann')).toBe(false);
      expect(await a.typing('team:x')).toEqual([]);
    });

    it('ends a state that gets no stop after the timeout, reported once across nodes', async () => {
      cluster = await variant.start(2, { timeoutMs: 150 });
      const expired: string[] = [];
      for (const node of new Set(cluster.nodes)) {
        node.onExpired((cid, userId) => expired.push(`${cid} ${userId}`));
      }
      await cluster.nodes[0]!.start('team:x', 'ann', 'c1');
      await eventually('the expiry', () => expired.length > 0);
      expect(await cluster.nodes[1]!.typing('team:x')).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 300)); // later sweeps find nothing
      expect(expired).toEqual(['team:x ann']);
    });

    it('ends the states a closed connection started last, and reports each', async () => {
      cluster = await variant.start(1, { timeoutMs: 10_000 });
      const [t] = cluster.nodes as [TypingTracker];
      const ended: string[] = [];
      t.onExpired((cid, userId) => ended.push(`${cid} ${userId}`));
      await t.start('team:x', 'ann', 'c1');
      await t.start('team:y', 'ann', 'c1');
      await t.start('team:z', 'ann', 'c1');
      await t.start('team:z', 'ann', 'c2'); // the other tab typed last here
      await t.dropConnection('c1');
      expect(ended.sort()).toEqual(['team:x ann', 'team:y ann']);
      expect(await t.typing('team:z')).toEqual(['ann']);
    });
  });
}

const memory: TypingVariant = memoryVariant((options) => createMemoryTyping(options));
const redis: TypingVariant = redisVariant((clients, keyPrefix, options) =>
  createRedisTyping({ redis: clients.commands, keyPrefix, ...options, logger: testLogger }),
);

for (const variant of variants(memory, redis)) typingContract(variant);
