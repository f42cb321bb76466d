'use client';
import type { ChatClient } from '@parley/client';
import { createContext, useContext } from 'react';
import { invariantContext } from './invariant.js';

/** What `ChatProvider` shares with everything under it. */
export interface ChatContextValue {
  client: ChatClient;
}

export const ChatContext = createContext<ChatContextValue | null>(null);

/** The provider's client; throws outside a `ChatProvider`. */
export function useChatContext(): ChatContextValue {
  return invariantContext(useContext(ChatContext), 'ChatProvider');
}
