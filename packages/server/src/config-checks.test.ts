import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { searchConcurrencyOf } from './config-checks.js';

describe('searchConcurrency', () => {
  it('defaults to twice the cores on PostgreSQL and to no limit on SQLite', () => {
    expect(searchConcurrencyOf({ databaseUrl: 'postgres://db/parley' })).toBe(
      2 * availableParallelism(),
    );
    expect(searchConcurrencyOf({})).toBe(Infinity);
  });

  it('takes a whole number of at least one', () => {
    expect(searchConcurrencyOf({ searchConcurrency: 3.7 })).toBe(3);
    expect(searchConcurrencyOf({ searchConcurrency: 0, databaseUrl: 'postgres://db/p' })).toBe(1);
  });
});
