import { performance } from 'node:perf_hooks';
import {
  createDeliveryTally,
  encodeTally,
  tallyDelivery,
  tallySend,
  undelivered,
  type DeliveryResult,
  type DeliveryTally,
} from '../lib/delivery-metrics.js';
import { playPhases, waitUntil, type TrafficPhase } from '../lib/phased-timer.js';
import { workerMain } from '../lib/worker-side.js';
import { openAll } from '../lib/open-all.js';
import { openParleyConnection } from '../lib/ws-connection.js';
import type { BenchUser } from '../lib/setup.js';

/** One DM: its cid and its two users. Both ends live in one worker, so one clock times them. */
export interface DmPair {
  cid: string;
  users: [BenchUser, BenchUser];
}

export interface DmWorkerInput {
  wsUrl: string;
  /** Where the second user of each pair connects (another node); default `wsUrl`. */
  peerWsUrl?: string;
  pairs: DmPair[];
  /** Traffic before `ready`, not recorded: connections, JIT and caches are warm. */
  warmup: TrafficPhase;
  /** Measured after `start`, back to back on the same connections: one result each. */
  phases: TrafficPhase[];
  /** After the last send (of the warm-up, of the last phase), wait at most this long. */
  drainMs: number;
}

/** One measured phase: its messages, and the frames of its time window. */
export interface DmWorkerResult extends DeliveryResult {
  /** Frames the server wrote to these users during the phase: answers and events. */
  framesOut: number;
}

workerMain<DmWorkerInput, DmWorkerResult[]>(async (input) => {
  const users = input.pairs.flatMap((pair) => pair.users.map((u) => ({ ...u, cid: pair.cid })));
  const connections = await openAll(users, (u, i) =>
    openParleyConnection(
      i % 2 === 1 ? (input.peerWsUrl ?? input.wsUrl) : input.wsUrl,
      u.userId,
      u.token,
    ),
  );
  const close = () => Promise.all(connections.map((c) => c.close())).then(() => undefined);
  const warmup = createDeliveryTally();
  const measured = input.phases.map(() => ({ ...createDeliveryTally(), framesOut: 0 }));
  // The phase whose time window is running; frames outside every window are not counted.
  let window: { framesOut: number } | undefined;
  try {
    // Watching: the receiver gets `message.new`, the live path of an open conversation.
    await Promise.all(
      connections.map((c, i) =>
        c.request({ type: 'channel.watch', cid: users[i]!.cid, message_limit: 0 }),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }
  for (const c of connections) {
    c.socket.on('message', () => window !== undefined && window.framesOut++);
    c.onEvent = (frame) => {
      if (frame['type'] !== 'message.new') return;
      const message = frame['message'] as {
        user_id?: string;
        data?: { t?: number; phase?: number };
      };
      if (message.user_id === c.userId || typeof message.data?.t !== 'number') return;
      const phase = message.data.phase;
      tallyDelivery(phase === undefined ? warmup : measured[phase]!, message.data.t);
    };
  }

  /** Sends message `n` of `user`; `phase` undefined in the warm-up. */
  const send = (tally: DeliveryTally, user: number, n: number, phase?: number) => {
    const c = connections[user]!;
    const answer = c.request({
      type: 'message.send',
      cid: users[user]!.cid,
      message: {
        id: `${c.userId}-${phase ?? 'w'}-${n}`,
        text: 'hi',
        data: { t: performance.now(), phase },
      },
    });
    tallySend(tally, answer);
  };

  await playPhases([input.warmup], users.length, {
    send: (_, user, n) => send(warmup, user, n),
  });
  await waitUntil(() => !undelivered([warmup]), input.drainMs);
  return {
    close,
    async run() {
      await playPhases(input.phases, users.length, {
        enter: (i) => (window = measured[i]),
        send: (i, user, n) => send(measured[i]!, user, n, i),
      });
      window = undefined;
      await waitUntil(() => !undelivered(measured), input.drainMs);
      return measured.map((tally) => ({ ...encodeTally(tally), framesOut: tally.framesOut }));
    },
  };
});
