import { monotonicMs } from '../lib/clock.js';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import type { BenchUser } from '../lib/setup.js';
import { sleep } from '../lib/sleep.js';
import { workerMain } from '../lib/worker-side.js';
import { openMany } from '../lib/ws-connection.js';

export interface ReactionStormInput {
  wsUrl: string;
  cid: string;
  messageId: string;
  /** This worker's members, with their place in the whole storm. */
  members: (BenchUser & { index: number })[];
  /** When each member reacted (monotonic ms), by index: shared by every worker. */
  sentAt: SharedArrayBuffer;
}

export interface ReactionStormRequest {
  /** Monotonic ms at which member 0 reacts; member i reacts `i × spacingMs` later. */
  startAt: number;
  spacingMs: number;
  /** Every reaction.new each member expects: one per member of the storm. */
  total: number;
  /** After the last reaction, wait at most this long for the deliveries. */
  drainMs: number;
}

export interface ReactionStormResult {
  /** Reaction → reaction.new at each member of this worker. */
  latency: string;
  delivered: number;
  acked: number;
  failed: number;
}

/**
 * Members of one channel who all watch it and each react once to the same message, spread
 * over the storm's window; every reaction.new any of them gets is timed from its sender's
 * reaction (the send times are in shared memory, so any worker can read any sender's).
 */
workerMain<ReactionStormInput, ReactionStormResult, ReactionStormRequest>(async (input) => {
  const sentAt = new Float64Array(input.sentAt);
  const indexOf = new Map(input.members.map((m) => [m.userId, m.index]));
  const all = new Map<string, number>();
  const connections = await openMany(input.wsUrl, input.members);
  const latency = createLatencyHistogram();
  let delivered = 0;
  for (const connection of connections) {
    connection.onEvent = (frame) => {
      if (frame['type'] !== 'reaction.new') return;
      const userId = (frame['reaction'] as { user_id: string }).user_id;
      const index = indexOf.get(userId) ?? all.get(userId) ?? Number(userId.split('-').at(-1));
      const at = sentAt[index];
      if (at === undefined || at === 0) return;
      recordMs(latency, monotonicMs() - at);
      delivered++;
    };
    await connection.request({ type: 'channel.watch', cid: input.cid, message_limit: 0 });
  }
  return {
    async run(request) {
      let acked = 0;
      let failed = 0;
      const reactions = input.members.map(async (member, i) => {
        const connection = connections[i]!;
        const wait = request.startAt + member.index * request.spacingMs - monotonicMs();
        if (wait > 0) await sleep(wait);
        sentAt[member.index] = monotonicMs();
        try {
          await connection.request({
            type: 'reaction.send',
            message_id: input.messageId,
            reaction: { type: 'clap' },
          });
          acked++;
        } catch {
          failed++;
        }
      });
      await Promise.all(reactions);
      const expected = request.total * input.members.length;
      const deadline = monotonicMs() + request.drainMs;
      while (delivered < expected && monotonicMs() < deadline) await sleep(20);
      return { latency: encodeHistogram(latency), delivered, acked, failed };
    },
    async close() {
      await Promise.all(connections.map((c) => c.close()));
    },
  };
});
