'use client';
import type { Channel as ChatChannel } from '@parley/client';
import { ChannelList } from '@parley/react';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useChat } from './chat-session';
import { Conversation } from './conversation';

/**
 * Every conversation of the user — requests and event chats — newest first with the last
 * message and an unread badge (the kit's ChannelList, live through `notification.*`
 * events), and the one picked beside it (`?c=type:id`, so it survives a reload).
 */
export function Inbox() {
  const t = useTranslations('inbox');
  const chat = useChat();
  const router = useRouter();
  const params = useSearchParams();
  const active = params.get('c');
  // A search result opens its conversation at the message.
  const focusMessageId = params.get('message') ?? undefined;
  const [type, id] =
    active !== null && active.includes(':') ? active.split(/:(.*)/s) : [null, null];
  const select = (channel: ChatChannel) =>
    router.replace(`/dashboard/messages?c=${encodeURIComponent(channel.cid ?? '')}`);

  if (chat.status === 'unavailable') {
    return (
      <div className="chat-unavailable" role="alert">
        <p>{chat.reason}</p>
        <button type="button" className="button" onClick={chat.retry}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (chat.status === 'loading') {
    return (
      <p className="loading" role="status">
        {t('loading')}
      </p>
    );
  }
  return (
    <div className={`inbox${active === null ? '' : ' inbox-open'}`}>
      <div className="inbox-list">
        <ChannelList onSelect={select} {...(active === null ? {} : { activeCid: active })} />
      </div>
      <div className="card inbox-conversation">
        {type && id ? (
          <>
            <p className="inbox-back">
              <Link href="/dashboard/messages">{t('back')}</Link>
              {type === 'request' && <RequestLink channelId={id} />}
            </p>
            <Conversation
              key={active}
              type={type}
              id={id}
              placeholder={t('placeholder')}
              focusMessageId={focusMessageId}
              pinned={type === 'request'}
            />
          </>
        ) : (
          <p className="empty">{t('pick')}</p>
        )}
      </div>
    </div>
  );
}

/** The request page of a request's conversation, from the channel's data. */
function RequestLink({ channelId }: { channelId: string }) {
  const t = useTranslations('inbox');
  const chat = useChat();
  const channel = chat.status === 'connected' ? chat.client.channel('request', channelId) : null;
  const invitationId = channel?.data.invitation_id;
  if (typeof invitationId !== 'string') return null;
  return <Link href={`/dashboard/requests/${invitationId}`}>{t('openRequest')}</Link>;
}
