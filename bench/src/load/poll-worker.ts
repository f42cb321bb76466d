import { performance } from 'node:perf_hooks';
import type { LegacyPair } from '../baselines/atas-legacy-log-server.js';
import {
  createDeliveryTally,
  encodeTally,
  tallyDelivery,
  tallySend,
  undelivered,
  type DeliveryResult,
  type DeliveryTally,
} from '../lib/delivery-metrics.js';
import { everyInterval, playPhases, waitUntil, type TrafficPhase } from '../lib/phased-timer.js';
import { workerMain } from '../lib/worker-side.js';

export interface PollWorkerInput {
  /** The ATAS API's base URL. */
  url: string;
  pairs: LegacyPair[];
  /** Time between two GETs of one user (the old front end: 10 s). */
  pollMs: number;
  /** Posts (and the polls that go on all along) before `ready`, not recorded. */
  warmup: TrafficPhase;
  /** Posts measured after `start`, back to back: one result each. */
  phases: TrafficPhase[];
  /** After the last post, polling goes on at most this long to pick up what is left. */
  drainMs: number;
}

/** One measured phase: its posts, and the polls of its time window. */
export interface PollWorkerResult extends DeliveryResult {
  /** GETs started in the phase's window. */
  polls: number;
  /** Bytes of their response bodies: the whole conversation each time. */
  pollBytes: number;
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

type Phase = DeliveryTally & { polls: number; pollBytes: number; pollErrors: number };

// A post's text: `bench <phase index, or w in the warm-up> <performance.now() at the POST>`;
// both ends are in this worker. Anything else (the seeded history) is never timed.
const BENCH_TEXT = /^bench (w|\d+) ([\d.]+)$/;

workerMain<PollWorkerInput, PollWorkerResult[]>(async (input) => {
  const pollers: Poller[] = input.pairs.flatMap((pair) =>
    pair.sessions.map((session, i) => ({
      path: `${input.url}/api/v1/invitations/${pair.invitationId}/messages`,
      userId: pair.userIds[i]!,
      headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
      seen: new Set<string>(),
    })),
  );
  const newPhase = (): Phase => ({
    ...createDeliveryTally(),
    polls: 0,
    pollBytes: 0,
    pollErrors: 0,
  });
  const warmup = newPhase();
  const measured = input.phases.map(newPhase);
  // The phase whose time window is running; polls outside every window are not counted.
  let window: Phase | undefined;
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<unknown>) => {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };

  /** GETs the whole conversation and times what is new from the other user. */
  const poll = async (p: Poller, counted?: Phase) => {
    const res = await fetch(p.path, { headers: p.headers });
    const text = await res.text();
    const now = performance.now();
    if (res.status !== 200) throw new Error(`GET ${res.status}`);
    if (counted !== undefined) counted.pollBytes += Buffer.byteLength(text);
    for (const message of (JSON.parse(text) as { messages: LegacyMessage[] }).messages) {
      if (message.author.id === p.userId || p.seen.has(message.id)) continue;
      p.seen.add(message.id);
      const match = BENCH_TEXT.exec(message.text);
      if (match === null) continue;
      tallyDelivery(match[1] === 'w' ? warmup : measured[Number(match[1])]!, Number(match[2]), now);
    }
  };
  /** A poll of the schedule: counted in the window it starts in. */
  const scheduledPoll = (p: Poller) => {
    const counted = window;
    if (counted !== undefined) counted.polls++;
    track(poll(p, counted).catch(() => counted !== undefined && counted.pollErrors++));
  };
  const post = (tally: DeliveryTally, p: Poller, phase?: number) => {
    const answer = fetch(p.path, {
      method: 'POST',
      headers: p.headers,
      body: JSON.stringify({ text: `bench ${phase ?? 'w'} ${performance.now()}` }),
    }).then(async (res) => {
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`POST ${res.status}`);
    });
    tallySend(tally, answer);
    track(answer);
  };

  // One GET each first: connections are open, the first-query cost is paid, the history seen.
  for (const p of pollers) await poll(p);
  // Every user polls every pollMs from here to the end, across the phases, as the old front
  // end did: a post waits for the other user's next poll whatever phase it was made in.
  const stopPolling = pollers.map((p) =>
    everyInterval(input.pollMs, Infinity, Number.MAX_SAFE_INTEGER, () => scheduledPoll(p)),
  );
  const stop = async () => {
    for (const cancel of stopPolling) cancel();
    await Promise.all(inFlight);
  };
  await playPhases([input.warmup], pollers.length, {
    send: (_, user) => post(warmup, pollers[user]!),
  });
  return {
    close: stop,
    async run() {
      await playPhases(input.phases, pollers.length, {
        enter: (i) => (window = measured[i]),
        send: (i, user) => post(measured[i]!, pollers[user]!, i),
      });
      window = undefined;
      // Polls go on until every message has reached the other end (or the drain ends).
      await waitUntil(() => !undelivered(measured), input.drainMs, 50);
      await stop();
      return measured.map((phase) => ({
        ...encodeTally(phase),
        errors: phase.errors + phase.pollErrors,
        polls: phase.polls,
        pollBytes: phase.pollBytes,
      }));
    },
  };
});
