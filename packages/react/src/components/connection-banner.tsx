'use client';
import { useEffect, useState } from 'react';
import { useConnectionState } from '../hooks/use-connection-state.js';
import type { MessageKey } from '../i18n/en.js';
import { useTranslator } from '../i18n/locale-context.js';

const TEXT: Partial<Record<string, MessageKey>> = {
  offline: 'connection.offline',
  reconnecting: 'connection.reconnecting',
};

/**
 * Says the chat is offline or reconnecting — but only once it has been so for `graceMs`,
 * so a short blip (a reconnect that succeeds at once) shows nothing.
 */
export function ConnectionBanner({ graceMs = 1500 }: { graceMs?: number }) {
  const state = useConnectionState();
  const { t } = useTranslator();
  const key = TEXT[state];
  const text = key === undefined ? undefined : t(key);
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    if (text === undefined) return;
    const timer = setTimeout(() => setShown(state), graceMs);
    return () => clearTimeout(timer);
  }, [state, text, graceMs]);
  const visible = text !== undefined && shown === state;
  return (
    <div className="parley-connection-banner" role="status" hidden={!visible}>
      {visible ? text : null}
    </div>
  );
}
