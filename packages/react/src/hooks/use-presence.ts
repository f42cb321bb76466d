'use client';
import { useContext, useEffect, useState } from 'react';
import { ChannelContext } from '../components/channel-context.js';
import { useChatContext } from '../session/chat-context.js';
import { useChannelState } from './use-channel-state.js';

/** Whether a user is online, and when they last were. */
export interface Presence {
  online: boolean;
  /** ISO time of the user's last open connection; null if unknown. */
  lastActive: string | null;
}

/**
 * A user's presence. Inside a `Channel` it starts from the channel's members; everywhere it
 * follows `user.presence.changed` (sent for users who share a channel with the current one).
 */
export function usePresence(userId: string): Presence {
  const { client } = useChatContext();
  const channel = useContext(ChannelContext)?.channel;
  const state = useChannelState(channel);
  const [event, setEvent] = useState<(Presence & { userId: string }) | null>(null);
  useEffect(
    () =>
      client.on('user.presence.changed', ({ user }) => {
        if (user.id === userId) {
          setEvent({ userId, online: user.online, lastActive: user.last_active });
        }
      }),
    [client, userId],
  );
  const member = state.members[userId]?.user;
  if (channel !== undefined && member !== undefined) {
    return { online: state.online.includes(userId), lastActive: member.last_active };
  }
  if (event !== null && event.userId === userId) {
    return { online: event.online, lastActive: event.lastActive };
  }
  return { online: false, lastActive: null };
}
