import { performance } from 'node:perf_hooks';

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
