import { describe, expect, it } from 'vitest';
import { iso } from './wire.js';

describe('iso', () => {
  it('formats every instant as toISOString does, whatever came before it', () => {
    const day = 86_400_000;
    const instants = [
      0,
      -1,
      1,
      59_999,
      60_000,
      60_001,
      -60_000,
      -60_001,
      999,
      1000,
      1001,
      Date.UTC(2026, 11, 6, 3, 40, 51, 741),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(10_000, 0, 1),
      Date.UTC(-1, 0, 1, 0, 0, 5, 7),
      8.64e15,
      -8.64e15,
    ];
    // Neighbours within one minute (the cached path), across minutes and days, at random.
    let t = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      t += Math.floor(Math.random() * (i % 3 === 0 ? day : 2000)) - (i % 7 === 0 ? 90_000 : 0);
      instants.push(t);
    }
    for (const ms of instants) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  it('treats fractions, out-of-range and invalid times as Date does', () => {
    expect(iso(60_000)).toBe('1970-01-01T00:01:00.000Z');
    // -0.5 truncates to 0 (the minute after its floor); 60_000.5 stays in the minute.
    expect(iso(-0.5)).toBe(new Date(-0.5).toISOString());
    expect(iso(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(iso(60_000.7)).toBe(new Date(60_000.7).toISOString());
    expect(iso(8.64e15)).toBe(new Date(8.64e15).toISOString());
    expect(() => iso(8.64e15 + 1)).toThrow(RangeError);
    expect(() => iso(Number.NaN)).toThrow(RangeError);
  });
});
