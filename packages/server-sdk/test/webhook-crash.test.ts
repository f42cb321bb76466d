import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STORAGE_KINDS, createTestStorageConfig } from '../../server/test/helpers/storages.js';
import { TEST_API_KEY, TEST_SECRET } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient } from '../src/index.js';
import { CliServer } from './helpers/cli-server.js';
import { WebhookReceiver } from './helpers/webhook-receiver.js';
import { freePort } from '../../server/test/helpers/free-port.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: webhooks across crashes`, () => {
    it('delivers an event committed just before the server was killed, after a restart, with the same id', async () => {
      const storage = await createTestStorageConfig(kind);
      const dataDir = storage.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-crash-')));
      const receiver = await WebhookReceiver.start(TEST_SECRET);
      const port = await freePort();
      const args = (pollMs: number) => [
        `--port=${port}`,
        '--host=127.0.0.1',
        `--data-dir=${dataDir}`,
        ...(storage.databaseUrl ? [`--database-url=${storage.databaseUrl}`] : []),
        `--secret=${TEST_SECRET}`,
        `--api-key=${TEST_API_KEY}`,
        `--webhook-url=${receiver.url}`,
        `--notification-poll-ms=${pollMs}`,
        '--webhook-retry-base-ms=50',
        // The lease of a delivery in flight is twice this plus 5 s: a node that dies
        // mid-request holds it that long, then another (or the restarted) node takes it.
        '--webhook-timeout-ms=1000',
        '--log-level=silent',
      ];
      let node: CliServer | null = null;
      try {
        // An idle dispatcher looks only once a minute: the send below commits and is
        // acknowledged, and the process dies before anything leaves it.
        node = await CliServer.start(args(60_000));
        const parley = createParleyServerClient({
          url: `http://127.0.0.1:${port}`,
          secret: TEST_SECRET,
        });
        await parley.upsertUsers([{ id: 'ana' }]);
        await parley.getOrCreateChannel('team', 'crash', { members: ['ana'] });
        const sent = await parley.sendMessage('team', 'crash', { text: 'survives', userId: 'ana' });
        expect(sent.message.text).toBe('survives');
        await node.kill();
        expect(receiver.received).toEqual([]);

        // Second life: the delivery starts, and the process dies while it is in flight.
        receiver.mode = 'hang';
        node = await CliServer.start(args(50));
        await receiver.waitFor((r) => r.received.length >= 1);
        await node.kill();
        const firstId = receiver.received[0]!.payload!.id;

        // Third life: once the dead node's lease ends, the endpoint gets the same event again,
        // with the same id, and answers.
        receiver.mode = 'ok';
        node = await CliServer.start(args(50));
        await receiver.waitFor((r) => r.accepted.length >= 1, 30_000);
        expect(receiver.accepted.map((p) => [p.id, p.type, p.seq])).toEqual([
          [firstId, 'message.new', 1],
        ]);
        expect((receiver.accepted[0]!.event as { message: { text: string } }).message.text).toBe(
          'survives',
        );
      } finally {
        await node?.kill();
        await receiver.close();
        await storage.cleanup();
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  });
}
