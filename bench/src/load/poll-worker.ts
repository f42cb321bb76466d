import { performance } from 'node:perf_hooks';
import type { LegacyPair } from '../baselines/atas-legacy-log-server.js';
import type { DeliveryResult } from '../lib/delivery-metrics.js';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import { everyInterval } from '../lib/phased-timer.js';
import { sleep } from '../lib/sleep.js';
import { workerMain } from '../lib/worker-side.js';

export interface PollWorkerInput {
  /** The ATAS API's base URL. */
  url: string;
  pairs: LegacyPair[];
  /** Time between two GETs of one user (the old front end: 10 s). */
  pollMs: number;
  /** Time between two POSTs of one user. */
  intervalMs: number;
  durationMs: number;
  /** After the last post, polling goes on at most this long to pick up what is left. */
  drainMs: number;
}

export interface PollWorkerResult extends DeliveryResult {
  polls: number;
}

interface LegacyMessage {
  id: string;
  author: { id: string };
  text: string;
}

/** A user of the legacy log: posts into and polls its invitation's conversation. */
interface Poller {
  path: string;
  userId: string;
  headers: Record<string, string>;
  seen: Set<string>;
}

workerMain<PollWorkerInput, PollWorkerResult>(async (input) => {
  const pollers: Poller[] = input.pairs.flatMap((pair) =>
    pair.sessions.map((session, i) => ({
      path: `${input.url}/api/v1/invitations/${pair.invitationId}/messages`,
      userId: pair.userIds[i]!,
      headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
      seen: new Set<string>(),
    })),
  );
  const delivery = createLatencyHistogram();
  const ack = createLatencyHistogram();
  const counts = { sent: 0, acked: 0, delivered: 0, errors: 0, polls: 0 };
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const poll = async (p: Poller, record: boolean) => {
    const res = await fetch(p.path, { headers: p.headers });
    const body = (await res.json()) as { messages?: LegacyMessage[] };
    const now = performance.now();
    if (res.status !== 200 || body.messages === undefined) throw new Error(`GET ${res.status}`);
    counts.polls += record ? 1 : 0;
    for (const message of body.messages) {
      if (message.author.id === p.userId || p.seen.has(message.id)) continue;
      p.seen.add(message.id);
      // The text is `bench <performance.now() at the POST>`: both ends are in this worker.
      recordMs(delivery, now - Number(message.text.slice(6)));
      counts.delivered++;
    }
  };
  const post = async (p: Poller) => {
    const t = performance.now();
    counts.sent++;
    const res = await fetch(p.path, {
      method: 'POST',
      headers: p.headers,
      body: JSON.stringify({ text: `bench ${t}` }),
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`POST ${res.status}`);
    recordMs(ack, performance.now() - t);
    counts.acked++;
  };
  const failed = () => void counts.errors++;

  // One GET each before `start`: connections are open and the first-query cost is paid.
  for (const p of pollers) await poll(p, false);
  return {
    close: () => Promise.resolve(),
    async run() {
      const end = performance.now() + input.durationMs;
      const pollEnd = end + input.drainMs;
      const maxPosts = Math.ceil(input.durationMs / input.intervalMs) + 1;
      const cancels = pollers.flatMap((p) => [
        everyInterval(input.pollMs, pollEnd, Number.MAX_SAFE_INTEGER, () =>
          track(poll(p, true).catch(failed)),
        ),
        everyInterval(input.intervalMs, end, maxPosts, () => track(post(p).catch(failed))),
      ]);
      await sleep(input.durationMs);
      // Polls go on until every message has reached the other end (or the drain ends).
      while (counts.delivered + counts.errors < counts.sent && performance.now() < pollEnd) {
        await sleep(50);
      }
      for (const cancel of cancels) cancel();
      await Promise.all(inFlight);
      return { delivery: encodeHistogram(delivery), ack: encodeHistogram(ack), ...counts };
    },
  };
});
