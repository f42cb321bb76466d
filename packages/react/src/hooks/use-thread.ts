'use client';
import type { Channel, Thread, ThreadState } from '@parley/client';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';

const EMPTY: ThreadState = { parent: undefined, messages: [], loading: true, hasOlder: false };
const noSubscription = () => () => undefined;

/** What `useThread` returns. */
export interface UseThreadResult {
  /** Undefined until the thread is made (after mount). */
  thread: Thread | undefined;
  state: ThreadState;
  error: Error | null;
}

/**
 * The thread of `parentId` in `channel`, loaded and followed while a component uses it
 * (live replies, edits, deletes and reactions), and disposed after.
 */
export function useThread(channel: Channel, parentId: string): UseThreadResult {
  const [current, setCurrent] = useState<{ thread: Thread; error: Error | null } | null>(null);
  useEffect(() => {
    const thread = channel.thread(parentId);
    setCurrent({ thread, error: null });
    thread
      .load()
      .catch((error: Error) =>
        setCurrent((now) => (now?.thread === thread ? { thread, error } : now)),
      );
    return () => thread.dispose();
  }, [channel, parentId]);
  const thread = current?.thread.parentId === parentId ? current.thread : undefined;
  const subscribe = useCallback(
    (notify: () => void) => (thread === undefined ? noSubscription() : thread.on('change', notify)),
    [thread],
  );
  const state = useSyncExternalStore(
    subscribe,
    () => thread?.state ?? EMPTY,
    () => EMPTY,
  );
  return { thread, state, error: thread === undefined ? null : (current?.error ?? null) };
}
