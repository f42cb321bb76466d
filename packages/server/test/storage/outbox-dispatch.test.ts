import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { T0, dispatchOptions, messageEvent, webhookFor } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../helpers/storages.js';

/*
 * The event outbox's dispatcher on several nodes at once: each round takes the channels no
 * other holds (skipping locked rows), and each event becomes each webhook's delivery exactly
 * once, in the channel's order, while sends go on.
 */

const CHANNELS = 12;
const cidOf = (i: number) => `messaging:outbox-${i}`;

// Several nodes share PostgreSQL only (SQLite is one process's file).
if (STORAGE_KINDS.includes('postgres')) {
  describe('postgres: the outbox dispatched by two nodes', () => {
    let config: Awaited<ReturnType<typeof createTestStorageConfig>>;
    let nodes: Storage[];
    const options = dispatchOptions(25);

    beforeAll(async () => {
      config = await createTestStorageConfig('postgres');
      nodes = [createStorage(config), createStorage(config)];
      await nodes[0]!.migrate();
      for (const userId of ['alice', 'bob']) await nodes[0]!.ensureUser(userId, T0);
      for (let i = 0; i < CHANNELS; i++) {
        await nodes[0]!.getOrCreateChannel({
          cid: cidOf(i),
          type: 'messaging',
          id: `outbox-${i}`,
          data: {},
          distinct: false,
          createdById: null,
          members: ['alice', 'bob'].map((userId) => ({ userId, role: 'member' })),
          now: T0,
        });
      }
      await nodes[0]!.notifications.createWebhook(webhookFor('all', ['*']));
    });
    afterAll(async () => {
      for (const node of nodes ?? []) await node.close();
      await config?.cleanup();
    });

    it('delivers every event once, in each channel’s order, with sends going on', async () => {
      let sent = 0;
      const send = (node: Storage, round: number) =>
        node.sendMessages(
          Array.from({ length: CHANNELS }, (_, i) => ({
            id: `m-${round}-${i}-${++sent}`,
            cid: cidOf(i),
            type: 'regular' as const,
            userId: round % 2 === 0 ? 'alice' : 'bob',
            text: `round ${round}`,
            data: {},
            createdAt: T0 + round,
          })),
          messageEvent,
        );
      const drain = async (node: Storage) => {
        for (let idle = 0; idle < 3;) {
          const { taken } = await node.notifications.dispatch(options);
          idle = taken === 0 ? idle + 1 : 0;
        }
      };
      for (let round = 0; round < 8; round++) {
        await Promise.all([
          send(nodes[round % 2]!, round),
          nodes[0]!.notifications.dispatch(options),
          nodes[1]!.notifications.dispatch(options),
        ]);
      }
      await Promise.all([drain(nodes[0]!), drain(nodes[1]!)]);

      const deliveries = await nodes[1]!.notifications.listDeliveries({
        status: 'pending',
        limit: 1000,
      });
      for (let i = 0; i < CHANNELS; i++) {
        const channel = await nodes[0]!.getChannel(cidOf(i));
        const seqs = deliveries.filter((d) => d.cid === cidOf(i)).map((d) => d.seq);
        // Every event of the channel (its creation's included), each once.
        expect([...seqs].sort((a, b) => a - b)).toEqual(
          Array.from({ length: channel!.lastSeq }, (_, k) => k + 1),
        );
      }
    });
  });
}
