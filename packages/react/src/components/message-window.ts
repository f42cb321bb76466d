import type { LocalMessage } from '@parley/client';

/** Messages rendered while following the newest. */
export const WINDOW = 60;
/** The most messages ever rendered at once, however long the channel. */
export const MAX_RENDERED = 150;
/** Messages added at an edge when the reader scrolls to it. */
export const STEP = 40;

/**
 * The rendered slice, by message ids so that messages loaded above (older pages) or arriving
 * below do not move what is on screen. `end: null` follows the newest message.
 */
export interface WindowRange {
  start: string | null;
  end: string | null;
}

export const LIVE: WindowRange = { start: null, end: null };

/** The indices `[from, to)` a range covers now; never more than `MAX_RENDERED`. */
export function resolveRange(
  messages: readonly LocalMessage[],
  range: WindowRange,
): [number, number] {
  const endIndex = range.end === null ? -1 : indexOf(messages, range.end);
  const to = endIndex < 0 ? messages.length : endIndex + 1;
  const startIndex = range.start === null ? -1 : indexOf(messages, range.start);
  const from = startIndex < 0 || startIndex >= to ? to - WINDOW : startIndex;
  return [Math.max(0, from, to - MAX_RENDERED), to];
}

/** The range after scrolling to the top: `STEP` more above, trimming below past the maximum. */
export function extendUp(
  messages: readonly LocalMessage[],
  [from, to]: [number, number],
): WindowRange {
  const start = Math.max(0, from - STEP);
  const end = Math.min(to, start + MAX_RENDERED);
  return { start: messages[start]?.id ?? null, end: rangeEnd(messages, end) };
}

/** The range after scrolling to the bottom: `STEP` more below, trimming above. */
export function extendDown(
  messages: readonly LocalMessage[],
  [from, to]: [number, number],
): WindowRange {
  const end = Math.min(messages.length, to + STEP);
  const start = Math.max(from, end - MAX_RENDERED);
  return { start: messages[start]?.id ?? null, end: rangeEnd(messages, end) };
}

/** The range that shows `messages[index]` with about half a window on each side. */
export function rangeAround(messages: readonly LocalMessage[], index: number): WindowRange {
  const start = Math.max(0, index - WINDOW / 2);
  const end = Math.min(messages.length, start + WINDOW);
  return { start: messages[start]?.id ?? null, end: rangeEnd(messages, end) };
}

function rangeEnd(messages: readonly LocalMessage[], end: number): string | null {
  return end >= messages.length ? null : (messages[end - 1]?.id ?? null);
}

function indexOf(messages: readonly LocalMessage[], id: string): number {
  // From the end: ranges sit near the newest messages far more often.
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return i;
  return -1;
}
