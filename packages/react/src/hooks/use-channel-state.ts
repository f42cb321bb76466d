'use client';
import type { Channel, ChannelStateSnapshot } from '@parley/client';
import { useCallback, useSyncExternalStore } from 'react';

const NONE: ChannelStateSnapshot = Object.freeze({
  messages: [],
  members: {},
  read: {},
  typing: [],
  online: [],
  lastSeq: 0,
  unreadCount: 0,
  hasMoreOlder: false,
  hasMoreNewer: false,
  watching: false,
}) as ChannelStateSnapshot;

/** A channel's state snapshot, re-rendering on `state.changed`; an empty one without a channel. */
export function useChannelState(channel: Channel | undefined): ChannelStateSnapshot {
  const subscribe = useCallback(
    (onChange: () => void) => channel?.on('state.changed', onChange) ?? (() => undefined),
    [channel],
  );
  return useSyncExternalStore(
    subscribe,
    () => channel?.state ?? NONE,
    () => channel?.state ?? NONE,
  );
}
