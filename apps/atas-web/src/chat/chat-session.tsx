'use client';
import { IndexedDBQueueStore, type ChatClient, type ChatClientOptions } from '@parley/client';
import {
  ChatProvider,
  DesktopNotifications,
  ptPT,
  useChatClient,
  useConnectionState,
} from '@parley/react';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DATE_FORMATS, intlLocale } from '@/lib/date-style';
import { useViewerTimeZone } from '@/lib/use-viewer-time-zone';
import { useChatAccess, type ChatAccessState } from './use-chat-access';

/** API answers that mean the app session is over (not the chat). */
const SESSION_ENDED = new Set(['unauthorized', 'session_expired', 'session_invalid']);

/** How long the link may be down before the chat counts as unavailable. */
const LOST_GRACE_MS = 2_000;

/** What `useChat` gives the components of a page. */
export type ChatStatus =
  | { status: 'loading'; client: ChatClient | null; userId: string | null }
  | {
      status: 'unavailable';
      /** Why, in words for the user. */
      reason: string;
      /** Tries again now (it also does by itself). */
      retry: () => void;
      /** The client when the link was lost after connecting: its queue keeps sends. */
      client: ChatClient | null;
      userId: string | null;
    }
  | { status: 'connected'; client: ChatClient; userId: string };

const ChatStatusContext = createContext<ChatStatus | null>(null);

/**
 * The chat of the logged-in user: fetches a token from the ATAS API, connects with the
 * React kit (`useChatClient` underneath) and tells the components inside, through
 * `useChat()`, whether the chat is loading, connected or unavailable and why.
 */
export function ChatSession({ children }: { children: ReactNode }) {
  const access = useChatAccess();
  const router = useRouter();
  const t = useTranslations('chat');
  // The kit's own strings follow the language chosen for the pages, and its dates and times
  // are written as the pages write theirs: same style, same zone.
  const locale = useLocale();
  const timeZone = useViewerTimeZone();
  const ended = access.state === 'failed' && SESSION_ENDED.has(access.error.code);
  useEffect(() => {
    // The app session itself is over: retrying the chat cannot help, logging in can.
    if (!ended) return;
    const here = window.location.pathname;
    router.replace(`/login?${new URLSearchParams({ next: here, reason: 'expired' })}`);
  }, [ended, router]);
  if (access.state !== 'ready') {
    const status: ChatStatus =
      access.state === 'loading'
        ? { status: 'loading', client: null, userId: null }
        : {
            status: 'unavailable',
            reason: accessFailureText(access.error.code, access.error.message, t),
            retry: access.retry,
            client: null,
            userId: null,
          };
    return <ChatStatusContext.Provider value={status}>{children}</ChatStatusContext.Provider>;
  }
  return (
    <ChatProvider
      key={access.generation}
      url={access.access.url}
      apiKey={access.access.api_key}
      theme="atas"
      locale={intlLocale(locale)}
      timeZone={timeZone}
      dateFormats={DATE_FORMATS}
      messages={locale === 'pt' ? ptPT : undefined}
      clientOptions={clientOptions()}
    >
      <Connected access={access}>{children}</Connected>
    </ChatProvider>
  );
}

/** The chat's state for the page: `loading`, `connected`, or `unavailable` with a reason. */
export function useChat(): ChatStatus {
  const status = useContext(ChatStatusContext);
  if (status === null) throw new Error('useChat needs a surrounding <ChatSession>');
  return status;
}

function Connected({
  access,
  children,
}: {
  access: Extract<ChatAccessState, { state: 'ready' }> & { retry: () => void };
  children: ReactNode;
}) {
  const t = useTranslations('chat');
  const router = useRouter();
  const userId = access.access.user_id;
  const { client, loading, error } = useChatClient({
    userId,
    tokenProvider: access.tokenProvider,
  });
  const connection = useConnectionState();
  const down = connection === 'reconnecting' || connection === 'offline';
  const lost = useLasting(down || (loading && connection === 'connecting'), LOST_GRACE_MS);

  const status = useMemo<ChatStatus>(() => {
    if (error !== null || connection === 'disconnected') {
      return {
        status: 'unavailable',
        reason: t('refused', { reason: error?.message ?? 'disconnected' }),
        retry: access.retry,
        client: null,
        userId,
      };
    }
    if (lost) {
      return {
        status: 'unavailable',
        reason: connection === 'offline' ? t('offline') : t('reconnecting'),
        retry: () => client.reconnectNow(),
        client: loading ? null : client,
        userId,
      };
    }
    if (loading) return { status: 'loading', client: null, userId };
    return { status: 'connected', client, userId };
  }, [access.retry, client, connection, error, loading, lost, userId, t]);

  return (
    <ChatStatusContext.Provider value={status}>
      {children}
      <div className="desktop-notifications">
        {/* Opt-in, remembered in this browser; a click on a notification opens its conversation. */}
        <DesktopNotifications
          onOpen={(cid) => router.push(`/dashboard/messages?c=${encodeURIComponent(cid)}`)}
        />
      </div>
    </ChatStatusContext.Provider>
  );
}

/** True once `value` has been true for `ms` without a break. */
function useLasting(value: boolean, ms: number): boolean {
  const [lasting, setLasting] = useState(false);
  useEffect(() => {
    if (!value) {
      setLasting(false);
      return;
    }
    const timer = setTimeout(() => setLasting(true), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return value && lasting;
}

function clientOptions(): Partial<ChatClientOptions> {
  return {
    // Sends written while the chat is down survive a reload; they go out once, by id.
    ...(typeof indexedDB === 'undefined'
      ? {}
      : { queueStore: new IndexedDBQueueStore('atas-chat') }),
    // A small app: come back within seconds of the chat server's return.
    reconnect: { minDelayMs: 500, maxDelayMs: 5_000 },
  };
}

function accessFailureText(
  code: string,
  message: string,
  t: (key: string, values?: Record<string, string>) => string,
): string {
  switch (code) {
    case 'chat_unavailable':
      return t('serverDown');
    case 'network_error':
      return t('atasDown');
    case 'unauthorized':
    case 'session_expired':
    case 'session_invalid':
      return t('sessionEnded');
    default:
      return t('couldNotStart', { reason: message });
  }
}
