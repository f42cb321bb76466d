'use client';
import type { Channel } from '@parley/client';
import { useChannelState } from '@parley/react';
import { useTranslations } from 'next-intl';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useChat } from './chat-session';

const RequestChannelsContext = createContext<ReadonlyMap<string, Channel> | null>(null);

/**
 * Loads the user's request channels once the chat is connected (and again when they are
 * added to one); each channel's state follows `notification.*` events, so the badges below
 * stay right without watching every conversation.
 */
export function RequestChannels({ children }: { children: ReactNode }) {
  const t = useTranslations('chat');
  const chat = useChat();
  const client = chat.status === 'connected' ? chat.client : null;
  const [channels, setChannels] = useState<ReadonlyMap<string, Channel> | null>(null);

  useEffect(() => {
    if (client === null) return;
    let live = true;
    const load = () => {
      client.queryChannels({ type: 'request', limit: 100, messageLimit: 1 }).then(
        (page) => live && setChannels(new Map(page.channels.map((c) => [c.cid ?? '', c]))),
        () => undefined, // the badges stay as they were; the next notification tries again
      );
    };
    load();
    const off = client.on('notification.added_to_channel', load);
    return () => {
      live = false;
      off();
    };
  }, [client]);

  return (
    <RequestChannelsContext.Provider value={channels}>
      {chat.status === 'unavailable' && (
        <p className="notice" role="status">
          {t('noUnread', { reason: chat.reason })}
        </p>
      )}
      {children}
    </RequestChannelsContext.Provider>
  );
}

/** "N unread" for the request channel `cid`, or nothing when there is none to show. */
export function UnreadBadge({ cid }: { cid: string }) {
  const channels = useContext(RequestChannelsContext);
  const channel = channels?.get(cid);
  if (channel === undefined) return null;
  return <Count channel={channel} />;
}

function Count({ channel }: { channel: Channel }) {
  const t = useTranslations('chat');
  const { unreadCount } = useChannelState(channel);
  if (unreadCount === 0) return null;
  return (
    <span className="parley-unread-badge unread" aria-label={t('unread', { count: unreadCount })}>
      {unreadCount > 99 ? '99+' : unreadCount}
    </span>
  );
}
