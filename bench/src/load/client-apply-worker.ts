import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ChatClient, type ChatClientOptions } from '@parley/client';
import { benchMessage, benchUser, ScriptedSocket } from '../lib/scripted-socket.js';
import { workerMain } from '../lib/worker-side.js';

export interface ClientApplyInput {
  /** Messages in the `channel.watch` answer: what the channel holds before the events. */
  loaded: number;
  /** Live `message.new` events applied and timed. */
  events: number;
  /** Events applied to another channel first, untimed. */
  warmup: number;
  /** The client's `maxMessages`; unset for its default. */
  maxMessages?: number;
}

export interface ClientApplyResult {
  /** Mean time from a frame's arrival to its state applied and `state.changed` emitted. */
  us_per_event: number;
  /** The median batch of 100 events, per event: less moved by a busy machine than the mean. */
  p50_us_per_event: number;
  /**
   * The same in CPU time of the process (this worker does the work; the runner waits), which
   * a busy machine inflates less than wall time. GC on helper threads counts too.
   */
  cpu_us_per_event: number;
  /** The slowest batch of 100 events, per event (window trims, compaction, GC). */
  worst_batch_us_per_event: number;
  /** Of `us_per_event`, what JSON.parse of the same frames costs (median batch). */
  parse_us_per_event: number;
  /** Reading `state.messages` of a fresh snapshot once (median of 50). */
  read_messages_us: number;
  /** Heap the client retains (after GC) with the watch answer applied, and at the end. */
  heap_loaded_mb: number;
  heap_end_mb: number;
  /** Messages in the channel's state at the end. */
  kept: number;
}

const CID = 'bench:apply';
const WARM_UP = 'bench:warm-up';
const BATCH = 100;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  return v8.getHeapStatistics().used_heap_size;
};
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1]!;

/**
 * One client watching one channel of `loaded` messages, played by a scripted socket, then
 * fed `message.new` frames one at a time, each followed by the microtask in which the
 * channel emits `state.changed` — as frames arriving one per socket read would be.
 */
workerMain<ClientApplyInput, ClientApplyResult>(async (input) => {
  ScriptedSocket.answer = (frame) => {
    if (frame.type === 'channel.unwatch') return {};
    if (frame.type !== 'channel.watch') return undefined;
    return frame.cid === CID ? watchResult(CID, input.loaded) : watchResult(WARM_UP, 25);
  };
  const options: ChatClientOptions & { maxMessages?: number } = {
    url: 'http://bench.invalid',
    WebSocket: ScriptedSocket,
    fetch: () => Promise.reject(new Error('no REST in this scenario')),
    networkEvents: null,
  };
  if (input.maxMessages !== undefined) options.maxMessages = input.maxMessages;
  const client = new ChatClient(options);
  await client.connectUser({ id: 'reader' }, 'token');
  const socket = ScriptedSocket.last!;
  const feed = async (frames: readonly string[]) => {
    for (const frame of frames) {
      socket.deliver(frame);
      await null; // the channel's state.changed microtask runs first
    }
  };
  // Another channel first, so the code runs optimised once measuring starts (V8 takes some
  // thousands of calls), without adding to the measured channel.
  const warmUp = client.channel('bench', WARM_UP.split(':')[1]!);
  await warmUp.watch();
  for (let seq = 26; seq <= 25 + input.warmup; seq += BATCH) {
    await feed(frames(WARM_UP, seq, BATCH));
  }
  await warmUp.stopWatching();

  const base = heap();
  const channel = client.channel('bench', CID.split(':')[1]!);
  await channel.watch();
  let seen = 0;
  channel.on('state.changed', (state) => (seen = state.lastSeq));
  const heapLoaded = heap() - base;
  let seq = input.loaded;
  const batch = (size = BATCH) => {
    const list = frames(CID, seq + 1, size);
    seq += size;
    return list;
  };
  return {
    close: () => client.disconnect(),
    async run() {
      const batches = Math.max(1, Math.round(input.events / BATCH));
      const wall: number[] = []; // µs per event, one value per batch
      const parse: number[] = [];
      let cpu = 0;
      for (let b = 0; b < batches; b++) {
        const frames = batch();
        const p = performance.now();
        for (const frame of frames) JSON.parse(frame);
        parse.push(((performance.now() - p) * 1000) / BATCH);
        const c = process.cpuUsage();
        const t = performance.now();
        await feed(frames);
        wall.push(((performance.now() - t) * 1000) / BATCH);
        const used = process.cpuUsage(c);
        cpu += used.user + used.system;
      }
      if (seen !== seq) throw new Error(`applied up to seq ${seen}, sent up to ${seq}`);
      const reads: number[] = [];
      for (let r = 0; r < 50; r++) {
        await feed(batch(1));
        const t = performance.now();
        if (channel.state.messages.length < 0) throw new Error('unreachable');
        reads.push((performance.now() - t) * 1000);
      }
      return {
        us_per_event: round(wall.reduce((a, b) => a + b, 0) / batches),
        p50_us_per_event: round(median(wall)),
        cpu_us_per_event: round(cpu / (batches * BATCH)),
        worst_batch_us_per_event: round(Math.max(...wall)),
        parse_us_per_event: round(median(parse)),
        read_messages_us: round(median(reads)),
        heap_loaded_mb: mb(heapLoaded),
        heap_end_mb: mb(heap() - base),
        kept: channel.state.messages.length,
      };
    },
  };
});

/** `count` message.new frames of `cid` from seq `first`. */
function frames(cid: string, first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      type: 'message.new',
      cid,
      seq: first + i,
      created_at: '2026-01-01T00:00:00.000Z',
      message: benchMessage(cid, first + i, 'writer'),
    }),
  );
}

function watchResult(cid: string, loaded: number) {
  const members = ['reader', 'writer'].map((id) => ({
    user_id: id,
    user: benchUser(id),
    role: 'member',
    created_at: '2026-01-01T00:00:00.000Z',
  }));
  return {
    channel: {
      cid,
      type: 'bench',
      id: cid.split(':')[1],
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
    messages: Array.from({ length: loaded }, (_, i) => benchMessage(cid, i + 1, 'writer')),
    has_more_messages: false,
    read: [],
    membership: null,
    unread_count: 0,
    typing: [],
  };
}
