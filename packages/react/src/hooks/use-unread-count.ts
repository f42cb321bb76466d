'use client';
import type { Channel } from '@parley/client';
import { useCallback, useSyncExternalStore } from 'react';
import { useChatContext } from '../session/chat-context.js';
import { useChannelState } from './use-channel-state.js';

/** The current user's unread messages in `channel`, or in all channels without one. */
export function useUnreadCount(channel?: Channel): number {
  const { client } = useChatContext();
  const subscribe = useCallback(
    (onChange: () => void) => client.on('unread.changed', onChange),
    [client],
  );
  const total = useSyncExternalStore(
    subscribe,
    () => client.unread.total_unread_count,
    () => 0,
  );
  const state = useChannelState(channel);
  return channel === undefined ? total : state.unreadCount;
}
