'use client';
import { emptyChannelState, type Channel, type ChannelStateSnapshot } from '@parley/client';
import { useCallback, useSyncExternalStore } from 'react';

const NONE: ChannelStateSnapshot = Object.freeze(emptyChannelState());

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
