import { describe, expect, it } from 'vitest';
import { MatchCountCache } from './match-count-cache.js';

describe('match count cache', () => {
  it('remembers a count for a minute, then counts again', () => {
    let now = 0;
    const cache = new MatchCountCache(() => now);
    cache.set('hotel', 9_903);
    now = 59_999;
    expect(cache.get('hotel')).toBe(9_903);
    now = 60_000;
    expect(cache.get('hotel')).toBeUndefined();
  });

  it('forgets the least recently counted term past a thousand', () => {
    const cache = new MatchCountCache(() => 0);
    for (let i = 0; i <= 1_000; i++) cache.set(`term${i}`, i);
    expect(cache.get('term0')).toBeUndefined();
    expect(cache.get('term1')).toBe(1);
    expect(cache.get('term1000')).toBe(1_000);
  });

  it('reads a count once for the searches that ask for it at once, and again after a failed read', async () => {
    const cache = new MatchCountCache(() => 0);
    let reads = 0;
    const read = async () => {
      reads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 42;
    };
    expect(
      await Promise.all([cache.remember('hotel', read), cache.remember('hotel', read)]),
    ).toEqual([42, 42]);
    expect(reads).toBe(1);
    expect(await cache.remember('hotel', read)).toBe(42);
    expect(reads).toBe(1);
    await expect(cache.remember('cafe', () => Promise.reject(new Error('gone')))).rejects.toThrow(
      'gone',
    );
    expect(await cache.remember('cafe', read)).toBe(42);
    expect(reads).toBe(2);
  });
});
