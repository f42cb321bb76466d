import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingController } from './typing-controller.js';
import { TypingExpiry } from './typing-expiry.js';

describe('TypingController', () => {
  let sent: string[];
  let typing: TypingController;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    typing = new TypingController({ send: (type) => sent.push(type) });
  });
  afterEach(() => {
    typing.reset();
    vi.useRealTimers();
  });

  /** Keystrokes every `everyMs` for `forMs`. */
  const type = (forMs: number, everyMs = 100) => {
    for (let t = 0; t < forMs; t += everyMs) {
      typing.keystroke();
      vi.advanceTimersByTime(everyMs);
    }
  };

  it('sends typing.start on the first keystroke, then at most every 2 s while keystrokes come', () => {
    typing.keystroke();
    expect(sent).toEqual(['typing.start']);
    type(1_900);
    expect(sent).toEqual(['typing.start']);
    type(4_100); // keystrokes until 6 s: starts at 0, 2 s and 4 s
    expect(sent).toEqual(['typing.start', 'typing.start', 'typing.start']);
    typing.keystroke(); // 6 s
    expect(sent).toHaveLength(4);
  });

  it('sends typing.stop 3 s after the last keystroke, not before', () => {
    type(500);
    vi.advanceTimersByTime(2_850);
    expect(sent).toEqual(['typing.start']);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['typing.start', 'typing.stop']);
    expect(typing.typing).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual(['typing.start', 'typing.stop']);
  });

  it('starts afresh after a stop: the next keystroke sends typing.start at once', () => {
    typing.keystroke();
    vi.advanceTimersByTime(3_000);
    typing.keystroke();
    expect(sent).toEqual(['typing.start', 'typing.stop', 'typing.start']);
  });

  it('stopTyping sends typing.stop now, once, and only while typing', () => {
    typing.stop();
    expect(sent).toEqual([]);
    typing.keystroke();
    typing.stop();
    typing.stop();
    expect(sent).toEqual(['typing.start', 'typing.stop']);
    vi.advanceTimersByTime(5_000);
    expect(sent).toEqual(['typing.start', 'typing.stop']);
  });

  it('on send (reset) clears the timer without a frame; the server ends the typing state itself', () => {
    typing.keystroke();
    typing.reset();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(sent).toEqual(['typing.start']);
    typing.keystroke();
    expect(sent).toEqual(['typing.start', 'typing.start']);
  });
});

describe('TypingExpiry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows a typist until their stop, or for 7 s after their last start', () => {
    const seen: string[][] = [];
    const expiry = new TypingExpiry((ids) => seen.push(ids));
    expiry.start('ann');
    expiry.start('ben');
    vi.advanceTimersByTime(5_000);
    expiry.start('ann'); // refreshed
    expiry.stop('ben');
    vi.advanceTimersByTime(6_900);
    expect(expiry.userIds).toEqual(['ann']);
    vi.advanceTimersByTime(100);
    expect(expiry.userIds).toEqual([]);
    expect(seen).toEqual([['ann'], ['ann', 'ben'], ['ann'], []]);
  });

  it('clear() stops every timer', () => {
    const expiry = new TypingExpiry(() => {});
    expiry.reset(['ann', 'ben']);
    expect(vi.getTimerCount()).toBe(2);
    expiry.clear();
    expect(vi.getTimerCount()).toBe(0);
    expect(expiry.userIds).toEqual([]);
  });
});
