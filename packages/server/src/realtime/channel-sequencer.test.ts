import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelSequencer } from './channel-sequencer.js';

describe('ChannelSequencer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes events that arrive in order straight through', () => {
    const out: number[] = [];
    const sequencer = new ChannelSequencer<number>((n) => out.push(n));
    for (const seq of [4, 5, 6]) sequencer.push('c', seq, seq);
    expect(out).toEqual([4, 5, 6]);
  });

  it('holds an event until its predecessor arrives, then releases both in order', () => {
    const out: number[] = [];
    const sequencer = new ChannelSequencer<number>((n) => out.push(n));
    sequencer.push('c', 1, 1);
    sequencer.push('c', 3, 3);
    sequencer.push('c', 4, 4);
    expect(out).toEqual([1]);
    sequencer.push('c', 2, 2);
    expect(out).toEqual([1, 2, 3, 4]);
  });

  it('keeps channels independent', () => {
    const out: string[] = [];
    const sequencer = new ChannelSequencer<string>((s) => out.push(s));
    sequencer.push('a', 1, 'a1');
    sequencer.push('b', 7, 'b7');
    sequencer.push('a', 3, 'a3');
    sequencer.push('b', 8, 'b8');
    expect(out).toEqual(['a1', 'b7', 'b8']);
  });

  it('gives up waiting for a missing event and delivers what it holds, in order', () => {
    vi.useFakeTimers();
    const out: number[] = [];
    const sequencer = new ChannelSequencer<number>((n) => out.push(n), 100);
    sequencer.push('c', 1, 1);
    sequencer.push('c', 4, 4);
    sequencer.push('c', 3, 3);
    vi.advanceTimersByTime(99);
    expect(out).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([1, 3, 4]);
    sequencer.push('c', 5, 5);
    expect(out).toEqual([1, 3, 4, 5]);
    // The missing one, arriving late, is still delivered (clients drop what they have).
    sequencer.push('c', 2, 2);
    expect(out).toEqual([1, 3, 4, 5, 2]);
  });
});
