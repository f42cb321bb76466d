import { performance } from 'node:perf_hooks';
import { sleep } from './sleep.js';

/**
 * Calls `tick(n)` every `intervalMs` until `performance.now()` reaches `until` (at most
 * `max` times), the first call at a random point of the first interval so that many users
 * do not act in lockstep. Returns a function that cancels the rest.
 */
export function everyInterval(
  intervalMs: number,
  until: number,
  max: number,
  tick: (n: number) => void,
): () => void {
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    if (performance.now() >= until || n >= max) return;
    tick(n++);
    timer = setTimeout(next, intervalMs);
  };
  timer = setTimeout(next, Math.random() * intervalMs);
  return () => clearTimeout(timer);
}

/** A stretch of traffic: every user sends once per `sendEveryMs` for `durationMs`. */
export interface TrafficPhase {
  sendEveryMs: number;
  durationMs: number;
}

/**
 * Plays `phases` back to back: `enter(i)` as phase i begins, then `send(i, user, n)` for
 * each of `users` every `sendEveryMs` (phase-randomised by `everyInterval`) until the phase
 * ends. Resolves when the last phase ends; what was sent may still be on its way.
 */
export async function playPhases(
  phases: readonly TrafficPhase[],
  users: number,
  on: { enter?(phase: number): void; send(phase: number, user: number, n: number): void },
): Promise<void> {
  for (const [i, phase] of phases.entries()) {
    on.enter?.(i);
    const end = performance.now() + phase.durationMs;
    const max = Math.ceil(phase.durationMs / phase.sendEveryMs) + 1;
    const cancels = Array.from({ length: users }, (_, user) =>
      everyInterval(phase.sendEveryMs, end, max, (n) => on.send(i, user, n)),
    );
    await sleep(phase.durationMs);
    for (const cancel of cancels) cancel();
  }
}

/** Resolves once `done()` holds (checked every `checkMs`) or `timeoutMs` has passed. */
export async function waitUntil(
  done: () => boolean,
  timeoutMs: number,
  checkMs = 20,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done() && performance.now() < end) await sleep(checkMs);
}
