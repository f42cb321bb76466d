'use client';
import type { TokenProvider } from '@parley/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { BrowserApiError, callApi } from '@/lib/browser-api';
import type { ChatAccess } from '@/lib/types';

/** How often a failed token request is tried again by itself. */
export const ACCESS_RETRY_MS = 5_000;

export type ChatAccessState =
  | { state: 'loading' }
  | { state: 'failed'; error: BrowserApiError }
  | { state: 'ready'; access: ChatAccess; tokenProvider: TokenProvider; generation: number };

/**
 * Asks the ATAS API for chat credentials (`GET /api/v1/chat/token`); on failure tries
 * again every few seconds and on `retry()`. The provider hands out the token fetched here
 * first, then fresh ones when the client reports it expired.
 */
export function useChatAccess(): ChatAccessState & { retry: () => void } {
  const [state, setState] = useState<ChatAccessState>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const retry = useCallback(() => {
    setState({ state: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  useEffect(() => {
    let live = true;
    fetchAccess().then(
      (access) => {
        if (!live) return;
        let first: string | null = access.token;
        const tokenProvider: TokenProvider = async () => {
          const token = first ?? (await fetchAccess()).token;
          first = null;
          return token;
        };
        generation.current += 1;
        setState({ state: 'ready', access, tokenProvider, generation: generation.current });
      },
      (error: unknown) => {
        if (!live) return;
        setState({ state: 'failed', error: asApiError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const failed = state.state === 'failed';
  useEffect(() => {
    if (!failed) return;
    const timer = setTimeout(() => setAttempt((n) => n + 1), ACCESS_RETRY_MS);
    return () => clearTimeout(timer);
  }, [failed, attempt]);

  return { ...state, retry };
}

function fetchAccess(): Promise<ChatAccess> {
  return callApi<ChatAccess>('/api/v1/chat/token');
}

function asApiError(error: unknown): BrowserApiError {
  if (error instanceof BrowserApiError) return error;
  return new BrowserApiError(0, 'unknown', error instanceof Error ? error.message : String(error));
}
