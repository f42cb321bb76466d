import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createParleyServer } from '../../server/src/index.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../../server/test/helpers/storages.js';
import { TEST_API_KEY, TEST_SECRET } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient } from '../src/index.js';
import { WebhookReceiver } from './helpers/webhook-receiver.js';

// Several nodes on one SQLite file are not a supported deployment; PostgreSQL only.
const kinds = STORAGE_KINDS.filter((kind) => kind === 'postgres');

for (const kind of kinds) {
  describe(`${kind}: webhooks from several nodes`, () => {
    it('delivers each event once, in order per channel, when two nodes share the database', async () => {
      const storage = await createTestStorageConfig(kind);
      const receiver = await WebhookReceiver.start(TEST_SECRET);
      const dirs: string[] = [];
      const nodes = await Promise.all(
        ['a', 'b'].map(async (name) => {
          const dataDir = await mkdtemp(join(tmpdir(), `parley-node-${name}-`));
          dirs.push(dataDir);
          const node = createParleyServer({
            port: 0,
            host: '127.0.0.1',
            dataDir,
            databaseUrl: storage.databaseUrl,
            apiKey: TEST_API_KEY,
            secret: TEST_SECRET,
            logLevel: false,
            nodeId: `node-${name}`,
            webhookUrls: [receiver.url],
            notificationPollMs: 5,
          });
          return { node, url: (await node.start()).url };
        }),
      );
      try {
        const clients = nodes.map(({ url }) =>
          createParleyServerClient({ url, secret: TEST_SECRET }),
        );
        await clients[0]!.upsertUsers([{ id: 'ana' }]);
        const channels = ['n1', 'n2', 'n3'];
        for (const id of channels)
          await clients[0]!.getOrCreateChannel('team', id, { members: ['ana'] });
        // Sends alternate between the nodes; both nodes' workers race for the deliveries.
        for (let i = 0; i < 8; i++) {
          for (const [c, id] of channels.entries()) {
            await clients[(i + c) % 2]!.sendMessage('team', id, {
              text: `${id}-${i}`,
              userId: 'ana',
            });
          }
        }
        await receiver.waitFor((r) => r.accepted.length >= 24);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(receiver.received).toHaveLength(24);
        expect(new Set(receiver.accepted.map((p) => p.id)).size).toBe(24);
        for (const id of channels) {
          const seqs = receiver.accepted.filter((p) => p.cid === `team:${id}`).map((p) => p.seq);
          expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        }
      } finally {
        await Promise.all(nodes.map(({ node }) => node.close()));
        await receiver.close();
        await storage.cleanup();
        for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
