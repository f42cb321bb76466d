import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, BusMessage } from '../../src/bus/bus.js';
import { createMemoryBus } from '../../src/bus/memory/memory-bus.js';
import { createRedisBus, type RedisBus } from '../../src/bus/redis/redis-bus.js';
import {
  eventually,
  memoryVariant,
  redisVariant,
  variants,
  type PartNodes,
  type PartVariant,
} from '../helpers/part-variants.js';
import { REDIS_AVAILABLE, testLogger } from '../helpers/redis.js';

type BusVariant = PartVariant<Bus, Record<string, never>>;

const typing = (cid: string, userId: string): BusMessage => ({
  kind: 'channel',
  cid,
  event: { type: 'typing.start', cid, user_id: userId, created_at: '2026-01-01T00:00:00.000Z' },
  skipUserId: userId,
});

/** The contract every bus keeps; run against each implementation. */
export function busContract(variant: BusVariant): void {
  describe(`${variant.name}: bus`, () => {
    let cluster: PartNodes<Bus> | undefined;
    afterEach(async () => {
      await cluster?.close();
      cluster = undefined;
    });

    it('delivers a message once to the handlers of every node, the publisher’s own included', async () => {
      cluster = await variant.start(3, {});
      const received = cluster.nodes.map(() => [] as BusMessage[]);
      cluster.nodes.forEach((bus, i) => bus.subscribe((m) => received[i]!.push(m)));
      const message = typing('team:a', 'ann');
      await cluster.nodes[0]!.publish(message);
      // The publisher's own handlers have it before publish settles.
      expect(received[0]).toEqual([message]);
      await eventually('every node to receive it', () => received.every((r) => r.length >= 1));
      // A round trip through every node: anything duplicated would have arrived by now.
      await cluster.nodes[1]!.publish(typing('team:flush', 'x'));
      await eventually('the flush', () =>
        received.every((r) => r.some((m) => 'cid' in m && m.cid === 'team:flush')),
      );
      for (const r of received) {
        expect(r.filter((m) => 'cid' in m && m.cid === 'team:a')).toEqual([message]);
      }
    });

    it('keeps one node’s messages in the order it published them, on every node', async () => {
      cluster = await variant.start(2, {});
      const seen: string[] = [];
      cluster.nodes[1]!.subscribe((m) => {
        if (m.kind === 'users') seen.push(m.userIds[0]!);
      });
      const ids = Array.from({ length: 200 }, (_, i) => `u${i}`);
      for (const id of ids) {
        void cluster.nodes[0]!.publish({
          kind: 'users',
          userIds: [id],
          event: { type: 'health.check', created_at: '2026-01-01T00:00:00.000Z' },
        });
      }
      await eventually('all 200', () => seen.length >= 200);
      expect(seen).toEqual(ids);
    });

    it('stops calling a handler once it unsubscribed', async () => {
      cluster = await variant.start(2, {});
      const kept: BusMessage[] = [];
      const dropped: BusMessage[] = [];
      cluster.nodes[1]!.subscribe((m) => kept.push(m));
      const unsubscribe = cluster.nodes[1]!.subscribe((m) => dropped.push(m));
      unsubscribe();
      await cluster.nodes[0]!.publish(typing('team:b', 'bo'));
      await eventually('the kept handler', () => kept.length >= 1);
      expect(dropped).toEqual([]);
    });

    it('delivers a new message with its notification list to another node as published', async () => {
      cluster = await variant.start(2, {});
      const received: BusMessage[] = [];
      cluster.nodes[1]!.subscribe((m) => received.push(m));
      const at = '2026-01-01T00:00:00.000Z';
      const channel = { cid: 'messaging:dm', type: 'messaging', id: 'dm', created_at: at };
      const message = {
        kind: 'channel',
        cid: 'messaging:dm',
        event: {
          type: 'message.new',
          cid: 'messaging:dm',
          seq: 7,
          created_at: at,
          // Line breaks and other scripts in user text must not upset the transport.
          message: { id: 'm-7', cid: 'messaging:dm', text: 'one\ntwo\r\n三 🎉', data: { t: 1.5 } },
        },
        notify: { memberIds: ['bo'], mentionedUserIds: ['bo'], channel },
      } as unknown as BusMessage;
      await cluster.nodes[0]!.publish(message);
      await eventually('the other node', () => received.length >= 1);
      expect(received).toEqual([message]);
    });

    // In process nothing travels, so nothing can be lost: only Redis has a link to break.
    it.skipIf(!variant.separateNodes)(
      'tells a node that it may have missed messages when its broken subscription is back, and delivers again',
      async () => {
        cluster = await variant.start(2, {});
        const missed: number[] = [];
        cluster.nodes[1]!.onMissed(() => missed.push(Date.now()));
        const received: BusMessage[] = [];
        cluster.nodes[1]!.subscribe((m) => received.push(m));
        cluster.clients![1]!.subscriber.disconnect(true);
        await eventually('the resync signal', () => missed.length === 1);
        await cluster.nodes[0]!.publish(typing('team:c', 'cy'));
        await eventually('delivery after the break', () => received.length >= 1);
        expect(missed).toHaveLength(1);
      },
    );
  });
}

const memory: BusVariant = memoryVariant(() => createMemoryBus());
const redis: BusVariant = redisVariant(
  (clients, keyPrefix) =>
    createRedisBus({
      publisher: clients.publisher,
      subscriber: clients.subscriber,
      keyPrefix,
      logger: testLogger,
    }),
  (bus) => (bus as RedisBus).subscribed,
);

for (const variant of variants(memory, redis)) busContract(variant);

describe('redis: bus during a rolling upgrade', () => {
  it.skipIf(!REDIS_AVAILABLE)(
    'reads the messages of a node of the version before (one JSON envelope)',
    async () => {
      const cluster = await redis.start(1, {});
      try {
        const received: BusMessage[] = [];
        cluster.nodes[0]!.subscribe((m) => received.push(m));
        const message = typing('team:old', 'ol');
        await cluster.clients![0]!.publisher.publish(
          `${cluster.keyPrefix!}bus`,
          JSON.stringify({ o: 'a-node-of-the-version-before', m: message }),
        );
        await eventually('the old node’s message', () => received.length >= 1);
        expect(received).toEqual([message]);
      } finally {
        await cluster.close();
      }
    },
  );
});
