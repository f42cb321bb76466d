import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadCoalescer } from './read-coalescer.js';

describe('ReadCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one frame for many calls within the window, after the window', () => {
    let frames = 0;
    const reads = new ReadCoalescer(300, () => frames++);
    for (let i = 0; i < 50; i++) {
      reads.request();
      vi.advanceTimersByTime(5);
    }
    expect(frames).toBe(0);
    vi.advanceTimersByTime(50);
    expect(frames).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(frames).toBe(1);
  });

  it('sends again for calls after a flush', () => {
    let frames = 0;
    const reads = new ReadCoalescer(300, () => frames++);
    reads.request();
    vi.advanceTimersByTime(300);
    reads.request();
    reads.request();
    vi.advanceTimersByTime(300);
    expect(frames).toBe(2);
  });

  it('cancel() drops the scheduled frame and its timer', () => {
    let frames = 0;
    const reads = new ReadCoalescer(300, () => frames++);
    reads.request();
    expect(reads.scheduled).toBe(true);
    reads.cancel();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(frames).toBe(0);
  });
});
