'use client';
import type { Channel } from '@parley/client';
import { createContext, useContext } from 'react';
import { invariantContext } from '../session/invariant.js';

/** The channel a `Channel` component shows, for the components inside it. */
export interface ChannelContextValue {
  channel: Channel;
}

export const ChannelContext = createContext<ChannelContextValue | null>(null);

/** The surrounding `Channel`'s channel; throws outside one. */
export function useChannelContext(): ChannelContextValue {
  return invariantContext(useContext(ChannelContext), 'Channel');
}
