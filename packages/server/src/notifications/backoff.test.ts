import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  it('doubles the ceiling per attempt up to the maximum, jittered below it', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 100, 10_000, () => 1))).toEqual([
      100, 200, 400, 800,
    ]);
    expect(backoffMs(30, 100, 10_000, () => 1)).toBe(10_000);
    expect(backoffMs(3, 100, 10_000, () => 0.5)).toBe(200);
    // Never zero, so a retry is never a busy loop.
    expect(backoffMs(3, 100, 10_000, () => 0)).toBe(1);
  });
});
