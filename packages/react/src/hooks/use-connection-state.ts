'use client';
import type { ConnectionState } from '@parley/client';
import { useCallback, useSyncExternalStore } from 'react';
import { useChatContext } from '../session/chat-context.js';

/** The client's connection state, re-rendering on every transition (`idle` on the server). */
export function useConnectionState(): ConnectionState {
  const { client } = useChatContext();
  const subscribe = useCallback(
    (onChange: () => void) => client.on('connection.changed', onChange),
    [client],
  );
  return useSyncExternalStore(
    subscribe,
    () => client.state,
    () => 'idle',
  );
}
