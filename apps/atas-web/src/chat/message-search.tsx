'use client';
import { SearchBox, type SearchBoxProps } from '@parley/react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useChat } from './chat-session';

/** One search result, as the kit's SearchBox hands it over. */
type SearchResult = Parameters<NonNullable<SearchBoxProps['onSelect']>>[0];

/**
 * Searches every conversation of the user (requests, event chats) with the kit's SearchBox;
 * a result opens where the conversation lives — the request page, or the inbox — at the
 * message (`?message=<id>`, which the Communication Log and the inbox hand to `<Channel
 * focusMessageId>`). `labels` names request conversations by cid (event and speaker), which
 * Parley's channel data does not carry.
 */
export function MessageSearch({ labels = {} }: { labels?: Record<string, string> }) {
  const t = useTranslations('search');
  const chat = useChat();
  const router = useRouter();
  if (chat.status !== 'connected') return null;
  const label = (channel: SearchResult['channel']) => {
    const known = labels[channel.cid];
    if (known !== undefined) return known;
    const name = channel.data['name'];
    if (typeof name === 'string' && name.trim() !== '') return name;
    return channel.type === 'request' ? t('request') : t('conversation');
  };
  return (
    <section className="card message-search" aria-label={t('title')}>
      <SearchBox
        label={t('label')}
        channelLabel={label}
        onSelect={(result) => router.push(resultHref(result))}
      />
    </section>
  );
}

/** Where a result opens: its request page, else its conversation in the inbox; at the message. */
export function resultHref({ message, channel }: SearchResult): string {
  const focus = `message=${encodeURIComponent(message.id)}`;
  const invitationId = channel.data['invitation_id'];
  if (channel.type === 'request' && typeof invitationId === 'string') {
    return `/dashboard/requests/${encodeURIComponent(invitationId)}?${focus}`;
  }
  return `/dashboard/messages?c=${encodeURIComponent(channel.cid)}&${focus}`;
}
