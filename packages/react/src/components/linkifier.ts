'use client';
import type * as Linkify from 'linkifyjs';
import { useSyncExternalStore } from 'react';

/** linkifyjs's `find`: the links in a text with their offsets. */
export type FindLinks = typeof Linkify.find;

let find: FindLinks | null = null;
let loading: Promise<void> | null = null;
const waiting = new Set<() => void>();

/**
 * Loads linkifyjs (about 7 kB gzipped) on first use rather than with the page, so the
 * minimal chat does not pay for it up front; `MessageList` starts the load when it mounts,
 * while the channel is still being watched.
 */
export function loadLinkifier(): Promise<void> {
  loading ??= import('linkifyjs').then(
    (module) => {
      find = module.find;
      for (const notify of waiting) notify();
    },
    () => {
      loading = null; // offline, say: the next text tries again
    },
  );
  return loading;
}

function subscribe(notify: () => void): () => void {
  waiting.add(notify);
  return () => waiting.delete(notify);
}

/**
 * linkifyjs's `find` once loaded, else null (text shows without links until then; also
 * during server rendering and hydration, so both render the same).
 */
export function useLinkifier(): FindLinks | null {
  return useSyncExternalStore(
    subscribe,
    () => find,
    () => null,
  );
}
