'use client';
import type { ChatClient, TokenProvider } from '@parley/client';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useChatContext } from '../session/chat-context.js';
import { sessionOf, type SessionSnapshot } from '../session/user-session.js';

/** What `useChatClient` takes. */
export interface UseChatClientOptions {
  userId: string;
  /** Resolves to a user token from your backend; asked again when the token expires. */
  tokenProvider: TokenProvider;
}

/** What `useChatClient` returns. */
export interface UseChatClientResult {
  client: ChatClient;
  /** True until the first `connection.ok` (and during server rendering). */
  loading: boolean;
  error: Error | null;
}

const SERVER: SessionSnapshot = { userId: null, loading: true, error: null };

/**
 * Connects `userId` with the provider's client, once: re-renders, remounts (StrictMode) and
 * other callers share the connection; it changes only when `userId` does, and ends when the
 * last caller unmounts.
 */
export function useChatClient({
  userId,
  tokenProvider,
}: UseChatClientOptions): UseChatClientResult {
  const { client } = useChatContext();
  const session = sessionOf(client);
  // The latest provider is used for refreshes without reconnecting when its identity changes.
  const provider = useRef(tokenProvider);
  useEffect(() => {
    provider.current = tokenProvider;
  });
  useEffect(() => {
    session.join(userId, () => provider.current());
    return () => session.leave();
  }, [session, userId]);
  const snapshot = useSyncExternalStore(
    session.subscribe,
    () => session.current,
    () => SERVER,
  );
  // Before the effect has run the session may still be idle or another user's.
  const mine = snapshot.userId === userId;
  return { client, loading: mine ? snapshot.loading : true, error: mine ? snapshot.error : null };
}
