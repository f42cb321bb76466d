import type { BurstResult, ClientBurstsInput } from '../load/client-bursts-worker.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, sdkFor } from '../lib/setup.js';
import { withStoragePlace } from '../lib/storages.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import { defineScenario, serverMeter, type ResultRow } from '../scenario.js';

export default defineScenario({
  name: 'client-bursts',
  order: 80,
  description:
    'SDK clients (ChatClient over ws, in one worker thread) watching one channel that grows by a pipelined burst each round (SQLite); time until every reader has the whole burst',
  params: {
    readers: { quick: 4, full: 4, doc: 'ChatClients watching the channel' },
    bursts: { quick: 3, full: 6, doc: 'bursts, one after the other' },
    burstSize: { quick: 200, full: 1000, doc: 'messages per burst, sent pipelined' },
  },
  async run(ctx) {
    return withStoragePlace('sqlite', async (place) => {
      const server = await startServerProcess(place);
      try {
        const sdk = sdkFor(server);
        const readerIds = Array.from({ length: ctx.num('readers') }, (_, i) => `reader-${i}`);
        const [sender, ...readers] = await createUsers(sdk, ['burst-sender', ...readerIds]);
        await sdk.getOrCreateChannel('bench', 'bursts', {
          members: [sender!.userId, ...readerIds],
          createdById: sender!.userId,
        });
        const meter = serverMeter(server);
        const burstSize = ctx.num('burstSize');
        const bursts = ctx.num('bursts');
        const [results] = await runPhasedWorkers<ClientBurstsInput, BurstResult[]>(
          new URL('../load/client-bursts-worker.js', import.meta.url),
          [
            {
              url: server.url,
              wsUrl: server.wsUrl,
              channelId: 'bursts',
              readers,
              sender: sender!,
              bursts,
              burstSize,
            },
          ],
          // The client before windowing took 18 s per 1,000 messages at 6,000 loaded.
          { readyTimeoutMs: 60_000, runTimeoutMs: bursts * 120_000, onStart: () => meter.start() },
        );
        if (results === undefined) throw new Error('no result from the client-bursts worker');
        const serverUse = meter.stop();
        return results.map((result, i): ResultRow => ({
          label: `burst ${i + 1}: channel at ${(i + 1) * burstSize} messages`,
          metrics: {
            ms: result.ms,
            ms_per_1000: Math.round((result.ms * 1000) / burstSize),
            loaded_per_reader: result.loaded,
            client_heap_mb: result.heap_mb,
            ...(i === results.length - 1 ? serverUse : {}),
          },
        }));
      } finally {
        await server.stop();
      }
    });
  },
});
