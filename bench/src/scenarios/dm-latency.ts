import { runDmOnParley } from '../lib/dm-run.js';
import { defineScenario } from '../scenario.js';

export default defineScenario({
  name: 'dm-latency',
  order: 10,
  description:
    'DM pairs over raw WebSocket; each user sends every interval; send → message.new at the other end (SQLite)',
  params: {
    pairs: { quick: 20, full: 500, doc: 'DM pairs (two connections each)' },
    intervalMs: { quick: 2000, full: 2000, doc: 'time between two sends of one user' },
    warmupMs: {
      quick: 2000,
      full: 5000,
      doc: 'same traffic before the measured phase, not recorded',
    },
    durationMs: { quick: 5000, full: 30000, doc: 'length of the measured phase' },
  },
  async run(ctx) {
    const sendEveryMs = ctx.num('intervalMs');
    return runDmOnParley({
      pairs: ctx.num('pairs'),
      warmup: { sendEveryMs, durationMs: ctx.num('warmupMs') },
      phases: [{ sendEveryMs, durationMs: ctx.num('durationMs') }],
      workers: ctx.workers,
      log: (message) => ctx.log(message),
    });
  },
});
