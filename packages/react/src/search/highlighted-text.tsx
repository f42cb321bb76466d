import type { SearchHighlight } from '@parley/protocol';
import type { ReactNode } from 'react';

/**
 * `text` with the `highlights` ranges (UTF-16 offsets, end exclusive) in `<mark>`. The
 * ranges are sorted, clipped to the text and merged where they overlap; the text stays text
 * nodes, never HTML.
 */
export function HighlightedText({
  text,
  highlights,
}: {
  text: string;
  highlights: readonly SearchHighlight[];
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const { start, end } of mergeRanges(highlights, text.length)) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

/** Sorted, non-overlapping, non-empty ranges within `[0, length)`. */
export function mergeRanges(ranges: readonly SearchHighlight[], length: number): SearchHighlight[] {
  const sorted = ranges
    .map(({ start, end }) => ({ start: Math.max(0, start), end: Math.min(length, end) }))
    .filter(({ start, end }) => end > start)
    .sort((a, b) => a.start - b.start);
  const merged: SearchHighlight[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
