import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../bus/bus.js';
import { TypingHints } from './typing-hints.js';

const TIMEOUT = 7_000;
const SLACK = 1_000;

function typing(type: 'typing.start' | 'typing.stop', cid: string, userId: string): BusMessage {
  return {
    kind: 'channel',
    cid,
    event: { type, cid, user_id: userId, created_at: new Date(0).toISOString() },
    skipUserId: userId,
  };
}

/** Hints on a clock the test moves, past the start-up window. */
function settled() {
  const clock = { now: 0 };
  const hints = new TypingHints(TIMEOUT, { shared: true, now: () => clock.now });
  clock.now += TIMEOUT + SLACK;
  return { clock, hints };
}

describe('TypingHints', () => {
  it('knows from the start when the tracker is its own (no state can predate it)', () => {
    const hints = new TypingHints(TIMEOUT, { shared: false, now: () => 0 });
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(false);
    hints.observe(typing('typing.start', 'team:a', 'ann'));
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(true);
  });

  it('says "maybe" for everyone, with a shared tracker, until one timeout has passed since it started', () => {
    const clock = { now: 0 };
    const hints = new TypingHints(TIMEOUT, { shared: true, now: () => clock.now });
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(true);
    clock.now = TIMEOUT + SLACK - 1;
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(true);
    clock.now = TIMEOUT + SLACK;
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(false);
  });

  it('knows a typist from a start until the timeout, and forgets one at a stop', () => {
    const { clock, hints } = settled();
    hints.observe(typing('typing.start', 'team:a', 'ann'));
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(true);
    expect(hints.mayBeTyping('team:a', 'bob')).toBe(false);
    expect(hints.mayBeTyping('team:b', 'ann')).toBe(false);

    hints.observe(typing('typing.stop', 'team:a', 'ann'));
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(false);

    hints.observe(typing('typing.start', 'team:a', 'ann'));
    clock.now += TIMEOUT;
    // A refresh keeps the state alive past the first start's expiry.
    hints.observe(typing('typing.start', 'team:a', 'ann'));
    clock.now += TIMEOUT;
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(true);
    clock.now += SLACK;
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(false);
  });

  it('says "maybe" for one timeout after the bus may have lost messages', () => {
    const { clock, hints } = settled();
    hints.missed();
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(true);
    clock.now += TIMEOUT + SLACK;
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(false);
  });

  it('ignores other events and messages', () => {
    const { hints } = settled();
    hints.observe({ kind: 'invalidate', scope: 'user', key: 'ann' });
    hints.observe({
      kind: 'users',
      userIds: ['ann'],
      event: { type: 'typing.start', cid: 'team:a', user_id: 'ann', created_at: '' },
    } as BusMessage);
    expect(hints.mayBeTyping('team:a', 'ann')).toBe(false);
    expect(hints.size).toBe(0);
  });

  it('keeps memory bounded: expired states are dropped as new ones come', () => {
    const { clock, hints } = settled();
    for (let i = 0; i < 5_000; i++) {
      hints.observe(typing('typing.start', `team:${i}`, 'ann'));
      clock.now += 10;
    }
    // 5,000 starts 10 ms apart: at most the last timeout's (800) live, plus what came since
    // the last prune.
    expect(hints.size).toBeLessThan(2_048);
    expect(hints.mayBeTyping('team:4999', 'ann')).toBe(true);
    expect(hints.mayBeTyping('team:0', 'ann')).toBe(false);
  });
});
