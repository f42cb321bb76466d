import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ChatClient, type ChatClientOptions } from '@parley/client';
import WebSocket from 'ws';
import type { BenchUser } from '../lib/setup.js';
import { workerMain } from '../lib/worker-side.js';
import { openParleyConnection } from '../lib/ws-connection.js';

export interface ClientBurstsInput {
  url: string;
  wsUrl: string;
  /** The channel `bench:<channelId>`, of which the readers and the sender are members. */
  channelId: string;
  readers: BenchUser[];
  sender: BenchUser;
  bursts: number;
  burstSize: number;
}

export interface BurstResult {
  /** From the first send of the burst until every reader has applied its last message. */
  ms: number;
  /** Messages in a reader's channel state once the burst is in. */
  loaded: number;
  /** The worker's heap after GC: the readers' state, mostly. */
  heap_mb: number;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * Readers: real SDK clients (`ChatClient` over `ws`), each watching the channel and reading
 * `state.messages` on every `state.changed`, as a view would. A raw connection sends each
 * burst pipelined; the channel grows by a burst each round.
 */
workerMain<ClientBurstsInput, BurstResult[]>(async (input) => {
  const clients: ChatClient[] = [];
  /** Per reader: `message.new` events applied, and the list length a view last read. */
  const received: number[] = [];
  const shown: number[] = [];
  let onReceived = () => {};
  for (const [i, reader] of input.readers.entries()) {
    const client = new ChatClient({
      url: input.url,
      WebSocket: WebSocket as unknown as ChatClientOptions['WebSocket'],
      networkEvents: null,
    });
    clients.push(client);
    await client.connectUser({ id: reader.userId }, reader.token);
    const channel = client.channel('bench', input.channelId);
    await channel.watch();
    received.push(0);
    shown.push(0);
    channel.on('state.changed', (state) => (shown[i] = state.messages.length));
    channel.on('message.new', () => {
      received[i]! += 1;
      onReceived();
    });
  }
  const sender = await openParleyConnection(input.wsUrl, input.sender.userId, input.sender.token);
  const cid = `bench:${input.channelId}`;
  return {
    async close() {
      await sender.close();
      await Promise.all(clients.map((client) => client.disconnect()));
    },
    async run() {
      const results: BurstResult[] = [];
      for (let burst = 1; burst <= input.bursts; burst++) {
        const target = burst * input.burstSize;
        const allIn = new Promise<void>((resolve) => {
          onReceived = () => {
            if (received.every((n) => n >= target)) resolve();
          };
        });
        const start = performance.now();
        await Promise.all(
          Array.from({ length: input.burstSize }, (_, n) =>
            sender.request({
              type: 'message.send',
              cid,
              message: { id: `burst-${burst}-${n}`, text: `burst ${burst}, message ${n}` },
            }),
          ),
        );
        await allIn;
        const ms = performance.now() - start;
        gc();
        results.push({
          ms: Math.round(ms),
          loaded: shown[0]!,
          heap_mb: Math.round((v8.getHeapStatistics().used_heap_size / 1048576) * 10) / 10,
        });
      }
      return results;
    },
  };
});
