import { describe, expect, it } from 'vitest';
import { TIME_KEY_SHIFTS, timeKeysCovering, timeKeysOf } from './postgres-newest-window.js';

const DAY = 86_400_000;
const SHORTEST = 2 ** TIME_KEY_SHIFTS[0];

/** A small deterministic generator of numbers in [0, 1). */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const covers = (keys: readonly number[], time: number) =>
  timeKeysOf(time).some((key) => keys.includes(key));

describe('timeKeysCovering: the spans of time a window of the newest messages is read from', () => {
  const random = randomFrom(7);
  const windows = Array.from({ length: 200 }, () => {
    const until = Date.parse('2026-12-07T00:00:00Z') + Math.floor(random() * 400 * DAY);
    const length = Math.floor(random() ** 3 * 900 * DAY);
    const grain = Math.floor(random() * length * 0.2);
    return { since: until - length, grain, until };
  });

  it('holds every time of the window, its ends included', () => {
    for (const { since, grain, until } of windows) {
      const keys = timeKeysCovering(since, grain, until);
      const inside = [
        since,
        until,
        ...Array.from({ length: 200 }, () => since + random() * (until - since)),
      ];
      for (const time of inside.map(Math.floor)) {
        expect(covers(keys, time), `${time} in ${since}–${until}`).toBe(true);
      }
    }
  });

  it('holds at most a grain (or the shortest span) before the window', () => {
    for (const { since, grain, until } of windows) {
      const keys = timeKeysCovering(since, grain, until);
      const before = since - Math.max(grain, SHORTEST) - 1;
      expect(covers(keys, before), `${before} before ${since}`).toBe(false);
      expect(covers(keys, before - Math.floor(random() * 100 * DAY)), `before ${since}`).toBe(
        false,
      );
    }
  });

  it('is a few dozen keys for weeks of messages, whatever the grain', () => {
    const until = Date.parse('2026-12-07T10:11:12Z');
    for (const grain of [0, 1_000, 3 * DAY]) {
      const keys = timeKeysCovering(until - 36 * DAY, grain, until + DAY);
      expect(keys.length, `grain ${grain}`).toBeLessThanOrEqual(80);
      expect(new Set(keys).size).toBe(keys.length);
    }
    // The coarser the grain, the fewer.
    expect(timeKeysCovering(until - 36 * DAY, 3 * DAY, until).length).toBeLessThan(
      timeKeysCovering(until - 36 * DAY, 0, until).length,
    );
  });

  it('keys each length apart, every key a safe integer', () => {
    const keys = timeKeysOf(Date.parse('2100-01-01T00:00:00Z'));
    expect(keys.map((key) => Math.floor(key / 2 ** 40))).toEqual([1, 2, 3, 4, 5, 6]);
    for (const key of keys) expect(Number.isSafeInteger(key)).toBe(true);
  });
});
