/**
 * Milliseconds (µs resolution) on the system's monotonic clock. Unlike `performance.now()`,
 * whose origin is each thread's start, it reads the same in every worker thread (and every
 * process), so a timestamp sent from one worker can be compared with a receipt in another.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}
