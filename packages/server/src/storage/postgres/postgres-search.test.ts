import { describe, expect, it } from 'vitest';
import { hasTrigram } from './postgres-search.js';

describe('hasTrigram: which terms a plan kept for any pattern may look up in the index', () => {
  it('takes a term with three ASCII letters or digits in a row', () => {
    for (const term of ['hot', 'hotel', 'front desk', 'x1y', 'cafe', 'a-hotel', '2026']) {
      expect(hasTrigram(term), term).toBe(true);
    }
  });

  it('leaves to a plan per call the terms from which pg_trgm may take no trigram', () => {
    // Short words, punctuation, and letters whose class depends on the database's locale.
    for (const term of [
      'ab',
      'a b c',
      'a-b-c',
      '...',
      'a_b',
      '会议',
      '会议室在三楼',
      'привет',
      'ça',
    ]) {
      expect(hasTrigram(term), term).toBe(false);
    }
  });
});
