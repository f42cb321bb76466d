import type { ClientApplyInput, ClientApplyResult } from '../load/client-apply-worker.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import { defineScenario, type ResultRow } from '../scenario.js';

export default defineScenario({
  name: 'client-apply',
  order: 70,
  description:
    'The client SDK alone (no server: a scripted socket): µs to apply one live message.new with N messages loaded, and the heap it keeps',
  params: {
    loaded: {
      quick: '1000,10000',
      full: '1000,10000,100000',
      doc: 'comma-separated: messages loaded (the watch answer, and the window) before the events',
    },
    events: { quick: 1000, full: 5000, doc: 'live events timed per size' },
    warmup: {
      quick: 5000,
      full: 5000,
      doc: 'events applied to another channel first, untimed (V8 optimises the code meanwhile)',
    },
    streamEvents: {
      quick: 20000,
      full: 100000,
      doc: 'live events into a channel with the default window (memory stays bounded?)',
    },
  },
  async run(ctx) {
    const rows: ResultRow[] = [];
    const sizes = ctx
      .str('loaded')
      .split(',')
      .filter(Boolean)
      .map((s) => Number(s));
    for (const loaded of sizes) {
      const result = await measure({
        loaded,
        maxMessages: loaded + ctx.num('events') + 2_000,
        events: ctx.num('events'),
        warmup: ctx.num('warmup'),
      });
      ctx.log(`client-apply: ${loaded} loaded → ${result.us_per_event} µs per event`);
      rows.push({ label: `${loaded} messages loaded`, metrics: { loaded, ...result } });
    }
    const stream = ctx.num('streamEvents');
    const result = await measure({ loaded: 25, events: stream, warmup: ctx.num('warmup') });
    rows.push({
      label: `${stream} live events, default window`,
      metrics: { loaded: 25, ...result },
    });
    return rows;
  },
});

/** One size, in a fresh worker thread: its own heap, nothing left over from the last size. */
async function measure(input: ClientApplyInput): Promise<ClientApplyResult> {
  const [result] = await runPhasedWorkers<ClientApplyInput, ClientApplyResult>(
    new URL('../load/client-apply-worker.js', import.meta.url),
    [input],
    // The old client copies the whole list per event: 100,000 events into a growing list
    // took minutes; this bounds it without cutting a run that is merely slow.
    { readyTimeoutMs: 120_000, runTimeoutMs: 600_000 },
  );
  if (result === undefined) throw new Error('no result from the client-apply worker');
  return result;
}
