import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicMs } from '../lib/clock.js';
import { mergeHistograms, summarize } from '../lib/histogram.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, sdkFor } from '../lib/setup.js';
import { startWorkers } from '../lib/worker-pool.js';
import type {
  ReactionStormInput,
  ReactionStormRequest,
  ReactionStormResult,
} from '../load/reaction-storm-worker.js';
import { defineScenario, serverMeter, split } from '../scenario.js';

const CID = 'bench:storm';

export default defineScenario({
  name: 'reaction-storm',
  order: 75,
  description:
    'One channel whose `members` all watch it; each reacts once to the same message, evenly spread over `windowMs`; every reaction.new reaches every member. Reaction → delivery latency at each member, server CPU',
  params: {
    members: { quick: 100, full: 1000, doc: 'members, each watching and reacting once' },
    windowMs: { quick: 2000, full: 10000, doc: 'the storm lasts this long' },
    drainMs: { quick: 10000, full: 30000, doc: 'after the last reaction, wait this long at most' },
  },
  async run(ctx) {
    const members = ctx.num('members');
    const windowMs = ctx.num('windowMs');
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-storm-'));
    const server = await startServerProcess({ dataDir });
    try {
      const sdk = sdkFor(server);
      const ids = Array.from({ length: members }, (_, i) => `storm-${i}`);
      const users = await createUsers(sdk, ids);
      const [type, id] = CID.split(':') as [string, string];
      await sdk.getOrCreateChannel(type, id, { members: ids.slice(0, 99), createdById: ids[0]! });
      for (let i = 99; i < ids.length; i += 100)
        await sdk.addMembers(type, id, ids.slice(i, i + 100));
      const { message } = await sdk.sendMessage(type, id, {
        text: 'We are live!',
        userId: ids[0]!,
      });
      const sentAt = new SharedArrayBuffer(members * Float64Array.BYTES_PER_ELEMENT);
      const indexed = users.map((user, index) => ({ ...user, index }));
      const inputs: ReactionStormInput[] = split(indexed, ctx.workers).map((chunk) => ({
        wsUrl: server.wsUrl,
        cid: CID,
        messageId: message.id,
        members: chunk,
        sentAt,
      }));
      const group = await startWorkers<
        ReactionStormInput,
        ReactionStormRequest,
        ReactionStormResult
      >(new URL('../load/reaction-storm-worker.js', import.meta.url), inputs, 120_000);
      try {
        ctx.log(`${members} members watching`);
        const meter = serverMeter(server);
        meter.start();
        const request: ReactionStormRequest = {
          startAt: monotonicMs() + 500,
          spacingMs: windowMs / members,
          total: members,
          drainMs: ctx.num('drainMs'),
        };
        const results = await group.round(request, windowMs + request.drainMs + 60_000);
        const use = meter.stop();
        const latency = summarize(mergeHistograms(results.map((r) => r.latency)));
        const delivered = results.reduce((n, r) => n + r.delivered, 0);
        const acked = results.reduce((n, r) => n + r.acked, 0);
        const failed = results.reduce((n, r) => n + r.failed, 0);
        const stored = await sdk.getMessage(message.id);
        return [
          {
            label: `${members} members, one reaction each over ${windowMs / 1000} s`,
            metrics: {
              p50_ms: latency.p50_ms,
              p99_ms: latency.p99_ms,
              p999_ms: latency.p999_ms,
              max_ms: latency.max_ms,
              delivered,
              expected: members * members,
              acked,
              failed,
              counted: stored.message.reaction_counts['clap'] ?? 0,
              ...use,
            },
            note: 'every reaction is a stored channel event (seq) fanned out to every member',
          },
        ];
      } finally {
        await group.close();
      }
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});
