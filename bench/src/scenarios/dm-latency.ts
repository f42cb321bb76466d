import { diskSyncLatency } from '../lib/disk-sync.js';
import { runDmOnParley } from '../lib/dm-run.js';
import { defineScenario } from '../scenario.js';

export default defineScenario({
  name: 'dm-latency',
  order: 10,
  description:
    'DM pairs over raw WebSocket; each user sends every interval; send → message.new at the other end (SQLite); with the server’s event-loop stalls and GC over the window, and the disk’s own commit latency measured right after',
  params: {
    pairs: { quick: 20, full: 500, doc: 'DM pairs (two connections each)' },
    intervalMs: { quick: 2000, full: 2000, doc: 'time between two sends of one user' },
    warmupMs: {
      quick: 2000,
      full: 5000,
      doc: 'same traffic before the measured phase, not recorded',
    },
    durationMs: { quick: 5000, full: 30000, doc: 'length of the measured phase' },
    diskSyncs: {
      quick: 200,
      full: 2000,
      doc: 'fdatasyncs of the disk baseline (12 KB appended before each, 2 ms apart)',
    },
  },
  async run(ctx) {
    const sendEveryMs = ctx.num('intervalMs');
    const rows = await runDmOnParley({
      pairs: ctx.num('pairs'),
      warmup: { sendEveryMs, durationMs: ctx.num('warmupMs') },
      phases: [{ sendEveryMs, durationMs: ctx.num('durationMs') }],
      workers: ctx.workers,
      log: (message) => ctx.log(message),
    });
    // Every delivery waits for its batch's commit, and a durable commit for the disk: its
    // tail bounds the messages' tail whatever the server does.
    const syncs = ctx.num('diskSyncs');
    const disk = await diskSyncLatency(syncs, 2);
    return [
      ...rows,
      {
        label: 'the disk alone: fdatasync of a 12 KB append (right after)',
        metrics: { ...disk },
        note: 'a durable commit takes one; the deliveries’ tail cannot be shorter than the disk’s',
      },
    ];
  },
});
