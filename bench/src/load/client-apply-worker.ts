import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ChatClient, type ChatClientOptions } from '@parley/client';
import { benchMessage, benchUser, ScriptedSocket } from '../lib/scripted-socket.js';
import { workerMain } from '../lib/worker-side.js';

export interface ClientApplyInput {
  /** Messages in the `channel.watch` answer: what the channel holds before the events. */
  loaded: number;
  /** Live `message.new` events applied and timed, after `warmup` untimed ones. */
  events: number;
  warmup: number;
  /** The client's `maxMessages`; unset for its default. */
  maxMessages?: number;
}

export interface ClientApplyResult {
  /** Mean time from a frame's arrival to its state applied and `state.changed` emitted. */
  us_per_event: number;
  /** The slowest batch of 100 events, per event (window trims, compaction, GC). */
  worst_batch_us_per_event: number;
  /** Of `us_per_event`, what JSON.parse of the same frames costs. */
  parse_us_per_event: number;
  /** Reading `state.messages` of a fresh snapshot once. */
  read_messages_us: number;
  /** Heap the client retains (after GC) with the watch answer applied, and at the end. */
  heap_loaded_mb: number;
  heap_end_mb: number;
  /** Messages in the channel's state at the end. */
  kept: number;
}

const CID = 'bench:apply';
const BATCH = 100;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  return v8.getHeapStatistics().used_heap_size;
};
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * One client watching one channel of `loaded` messages, played by a scripted socket, then
 * fed `message.new` frames one at a time, each followed by the microtask in which the
 * channel emits `state.changed` — as frames arriving one per socket read would be.
 */
workerMain<ClientApplyInput, ClientApplyResult>(async (input) => {
  const base = heap();
  ScriptedSocket.answer = (frame) =>
    frame.type === 'channel.watch' ? watchResult(input.loaded) : undefined;
  const options: ChatClientOptions & { maxMessages?: number } = {
    url: 'http://bench.invalid',
    WebSocket: ScriptedSocket,
    fetch: () => Promise.reject(new Error('no REST in this scenario')),
    networkEvents: null,
  };
  if (input.maxMessages !== undefined) options.maxMessages = input.maxMessages;
  const client = new ChatClient(options);
  await client.connectUser({ id: 'reader' }, 'token');
  const channel = client.channel('bench', 'apply');
  await channel.watch();
  let seen = 0;
  channel.on('state.changed', (state) => (seen = state.lastSeq));
  const socket = ScriptedSocket.last!;
  const heapLoaded = heap() - base;
  let seq = input.loaded;
  const batch = () =>
    Array.from({ length: BATCH }, () =>
      JSON.stringify({
        type: 'message.new',
        cid: CID,
        seq: ++seq,
        created_at: '2026-01-01T00:00:00.000Z',
        message: benchMessage(CID, seq, 'writer'),
      }),
    );
  const feed = async (frames: readonly string[]) => {
    for (const frame of frames) {
      socket.deliver(frame);
      await null; // the channel's state.changed microtask runs first
    }
  };
  return {
    close: () => client.disconnect(),
    async run() {
      for (let done = 0; done < input.warmup; done += BATCH) await feed(batch());
      let total = 0;
      let worst = 0;
      let parse = 0;
      const batches = Math.max(1, Math.round(input.events / BATCH));
      for (let b = 0; b < batches; b++) {
        const frames = batch();
        const p = performance.now();
        for (const frame of frames) JSON.parse(frame);
        parse += performance.now() - p;
        const t = performance.now();
        await feed(frames);
        const ms = performance.now() - t;
        total += ms;
        worst = Math.max(worst, ms);
      }
      if (seen !== seq) throw new Error(`applied up to seq ${seen}, sent up to ${seq}`);
      let read = 0;
      const reads = 10;
      for (let r = 0; r < reads; r++) {
        await feed(batch().slice(0, 1));
        const t = performance.now();
        if (channel.state.messages.length < 0) throw new Error('unreachable');
        read += performance.now() - t;
      }
      const events = batches * BATCH;
      return {
        us_per_event: round((total * 1000) / events),
        worst_batch_us_per_event: round((worst * 1000) / BATCH),
        parse_us_per_event: round((parse * 1000) / events),
        read_messages_us: round((read * 1000) / reads),
        heap_loaded_mb: mb(heapLoaded),
        heap_end_mb: mb(heap() - base),
        kept: channel.state.messages.length,
      };
    },
  };
});

function watchResult(loaded: number) {
  const members = ['reader', 'writer'].map((id) => ({
    user_id: id,
    user: benchUser(id),
    role: 'member',
    created_at: '2026-01-01T00:00:00.000Z',
  }));
  return {
    channel: {
      cid: CID,
      type: 'bench',
      id: 'apply',
      data: {},
      distinct: false,
      created_by_id: 'writer',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      last_message_at: '2026-01-01T00:00:00.000Z',
      member_count: 2,
      last_seq: loaded,
    },
    members,
    messages: Array.from({ length: loaded }, (_, i) => benchMessage(CID, i + 1, 'writer')),
    has_more_messages: false,
    read: [],
    membership: null,
    unread_count: 0,
    typing: [],
  };
}
