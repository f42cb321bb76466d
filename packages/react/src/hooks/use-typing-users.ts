'use client';
import type { Channel } from '@parley/client';
import { useMemo } from 'react';
import type { User } from '../types.js';
import { userOf } from '../components/user-name.js';
import { useChannelState } from './use-channel-state.js';

/** The other users typing in the channel now (never the current user). */
export function useTypingUsers(channel: Channel | undefined): User[] {
  const state = useChannelState(channel);
  return useMemo(() => state.typing.map((id) => userOf(state, id)), [state]);
}
