'use client';
import type { Channel, ChannelStateSnapshot } from '@parley/client';
import { useEffect, useState } from 'react';
import { useChatContext } from '../session/chat-context.js';
import { watchShared } from '../session/shared-watch.js';
import { useChannelState } from './use-channel-state.js';
import { useConnectionState } from './use-connection-state.js';

/** Which channel: its id, or the members of a distinct channel (a DM). */
export type ChannelTarget = string | { members: string[] };

/** What `useChannel` returns. */
export interface UseChannelResult {
  /** Undefined until the user is connected. */
  channel: Channel | undefined;
  state: ChannelStateSnapshot | undefined;
  /** True until the first watch answered (or, with `watch: false`, until the channel exists). */
  loading: boolean;
  error: Error | null;
  /** Tries again after an error. */
  retry(): void;
}

/**
 * The channel `type` + `target` of the connected user, watched (unless `watch` is false)
 * while a component uses it. Waits for `useChatClient` to start the session.
 */
export function useChannel(
  type: string,
  target: ChannelTarget,
  { watch = true }: { watch?: boolean } = {},
): UseChannelResult {
  const { client } = useChatContext();
  const connection = useConnectionState();
  const active = connection !== 'idle' && connection !== 'disconnected';
  const key = typeof target === 'string' ? target : [...target.members].sort().join(',');
  const [result, setResult] = useState<{
    key: string;
    channel?: Channel;
    error: Error | null;
    ready: boolean;
  }>({ key: '', error: null, ready: false });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!active) return;
    let channel: Channel;
    try {
      channel =
        typeof target === 'string'
          ? client.channel(type, target)
          : client.channel(type, { members: target.members });
    } catch (error) {
      setResult({ key, error: error as Error, ready: false });
      return;
    }
    setResult({ key, channel, error: null, ready: !watch });
    if (!watch) return;
    const shared = watchShared(channel);
    shared.ready.then(
      () => setResult((r) => (r.channel === channel ? { ...r, ready: true } : r)),
      (error: Error) => setResult((r) => (r.channel === channel ? { ...r, error } : r)),
    );
    return () => shared.release();
    // `target` is represented by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, type, key, watch, active, attempt]);

  const mine = result.key === key ? result : undefined;
  const channel = mine?.channel;
  const state = useChannelState(channel);
  return {
    channel,
    state: channel === undefined ? undefined : state,
    loading: mine === undefined || (!mine.ready && mine.error === null),
    error: mine?.error ?? null,
    retry: () => setAttempt((n) => n + 1),
  };
}
