import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const options = { minDelayMs: 500, maxDelayMs: 30_000 };

describe('backoffDelay', () => {
  it('waits up to minDelayMs * 2^attempt: 0 at the bottom of the jitter, just under the ceiling at the top', () => {
    for (const [attempt, ceiling] of [
      [0, 500],
      [1, 1_000],
      [2, 2_000],
      [5, 16_000],
    ] as const) {
      expect(backoffDelay(attempt, options, () => 0)).toBe(0);
      expect(backoffDelay(attempt, options, () => 0.999_999)).toBe(ceiling - 1);
      expect(backoffDelay(attempt, options, () => 0.5)).toBe(ceiling / 2);
    }
  });

  it('never waits longer than maxDelayMs, however many attempts failed', () => {
    for (const attempt of [6, 10, 100, 2_000]) {
      const delay = backoffDelay(attempt, options, () => 0.999_999);
      expect(delay).toBeLessThan(30_000);
      expect(delay).toBeGreaterThanOrEqual(29_999);
    }
  });

  it('spreads delays over the whole range with the real Math.random (full jitter)', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(3, options));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(4_000);
    // Both halves of [0, 4000) are used: it is jitter, not a fixed step.
    expect(delays.some((d) => d < 2_000)).toBe(true);
    expect(delays.some((d) => d >= 2_000)).toBe(true);
  });

  it('is pure: the same inputs give the same delay', () => {
    const random = () => 0.3;
    expect(backoffDelay(4, options, random)).toBe(backoffDelay(4, options, random));
    expect(backoffDelay(4, { minDelayMs: 100, maxDelayMs: 200 }, random)).toBe(60);
  });
});
