'use client';
import type { Channel } from '@parley/client';
import { createContext, useContext } from 'react';
import { invariantContext } from '../session/invariant.js';

/** The channel a `Channel` component shows, for the components inside it. */
export interface ChannelContextValue {
  channel: Channel;
  /** A message to show and mark (from `Channel`'s `focusMessageId`): a search result, a pin. */
  focusMessageId?: string | undefined;
  /** Counts the requests to show a message, so that the same one can be shown again. */
  focusRequest?: number | undefined;
}

export const ChannelContext = createContext<ChannelContextValue | null>(null);

/** The surrounding `Channel`'s channel; throws outside one. */
export function useChannelContext(): ChannelContextValue {
  return invariantContext(useContext(ChannelContext), 'Channel');
}
