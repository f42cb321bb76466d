import { performance } from 'node:perf_hooks';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import type { BenchUser } from '../lib/setup.js';
import { workerMain } from '../lib/worker-side.js';
import { openMany } from '../lib/ws-connection.js';

export interface IngestSender extends BenchUser {
  cid: string;
}

export interface IngestWorkerInput {
  wsUrl: string;
  senders: IngestSender[];
  /** The same sends before `start`, not recorded: the server's JIT and caches are warm. */
  warmupMs: number;
  durationMs: number;
}

export interface IngestWorkerResult {
  ack: string;
  acked: number;
  errors: number;
  /** Messages of the warm-up, all acknowledged (stored) before `start`. */
  warmupAcked: number;
}

/** Per sender, an upper bound on sends whatever the speed: every loop is bounded. */
const MAX_SENDS_PER_SENDER = 1_000_000;

workerMain<IngestWorkerInput, IngestWorkerResult>(async (input) => {
  const connections = await openMany(input.wsUrl, input.senders);
  const ack = createLatencyHistogram();
  let acked = 0;
  let errors = 0;
  let warmupAcked = 0;
  /**
   * Closed loop for `ms`: each sender sends its next message once the last one is
   * acknowledged, which the server does only after storing it. Recorded unless warming up.
   */
  const sends = (ms: number, phase: 'w' | 'm') => {
    const end = performance.now() + ms;
    return Promise.all(
      connections.map(async (c, i) => {
        const cid = input.senders[i]!.cid;
        for (let n = 0; n < MAX_SENDS_PER_SENDER && performance.now() < end; n++) {
          const t = performance.now();
          try {
            await c.request({
              type: 'message.send',
              cid,
              message: { id: `${c.userId}-${phase}${n}`, text: 'ingest' },
            });
            if (phase === 'w') {
              warmupAcked++;
              continue;
            }
            recordMs(ack, performance.now() - t);
            acked++;
          } catch {
            errors++;
            if (errors > 1000) throw new Error('more than 1,000 failed sends');
          }
        }
      }),
    );
  };
  await sends(input.warmupMs, 'w');
  return {
    close: () => Promise.all(connections.map((c) => c.close())).then(() => undefined),
    async run() {
      await sends(input.durationMs, 'm');
      return { ack: encodeHistogram(ack), acked, errors, warmupAcked };
    },
  };
});
