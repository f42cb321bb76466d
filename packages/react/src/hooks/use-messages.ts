'use client';
import type { Channel, LocalMessage } from '@parley/client';
import { useChannelState } from './use-channel-state.js';

/** The channel's messages (stored by seq, then pending), re-rendering when they change. */
export function useMessages(channel: Channel | undefined): LocalMessage[] {
  return useChannelState(channel).messages;
}
