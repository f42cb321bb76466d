'use client';
import type { Channel, LocalMessage } from '@parley/client';
import { memo } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import type { User } from '../types.js';
import { Avatar } from './avatar.js';
import { displayName } from './user-name.js';

/** What `MessageItem` takes. */
export interface MessageItemProps {
  message: LocalMessage;
  author: User;
  channel: Channel;
  own: boolean;
  /** The first of its group: shows the author's name and avatar. */
  groupStart: boolean;
  seen: boolean;
  /** Arrived while shown: animates in (unless the reader prefers reduced motion). */
  fresh: boolean;
}

/** One message. Its text is a text node: nothing a user sends is parsed as HTML. */
export const MessageItem = memo(function MessageItem({
  message,
  author,
  channel,
  own,
  groupStart,
  seen,
  fresh,
}: MessageItemProps) {
  const translator = useTranslator();
  const { t } = translator;
  const classes = ['parley-message'];
  if (own) classes.push('parley-message-own');
  if (groupStart) classes.push('parley-message-group-start');
  if (fresh) classes.push('parley-message-fresh');
  const time = new Date(message.created_at);
  const clock = (
    <time
      className="parley-message-time"
      dateTime={message.created_at}
      title={translator.dateTime(time)}
      suppressHydrationWarning
    >
      {translator.time(time)}
    </time>
  );
  if (message.type === 'system') {
    // From the app, not a person: a centred notice, no avatar, no bubble.
    return (
      <article className="parley-message parley-message-system" data-message-id={message.id}>
        <p className="parley-message-text">
          <span dir="auto">{message.text}</span> {clock}
        </p>
      </article>
    );
  }
  return (
    <article className={classes.join(' ')} data-message-id={message.id}>
      <div className="parley-message-gutter">{groupStart ? <Avatar user={author} /> : null}</div>
      <div className="parley-message-body">
        {groupStart ? (
          <header className="parley-message-header">
            <span className="parley-message-author">{displayName(author)}</span> {clock}
          </header>
        ) : null}
        <p className="parley-message-text" dir="auto">
          {message.text}
        </p>
        {message.status === 'sending' ? (
          <p className="parley-status parley-status-sending">{t('message.sending')}</p>
        ) : null}
        {message.status === 'failed' ? (
          <p className="parley-status parley-status-failed">
            {message.error === undefined
              ? t('message.failed')
              : t('message.failedBecause', { error: message.error.message })}{' '}
            <button
              type="button"
              className="parley-button parley-retry"
              onClick={() => void channel.retry(message.id).catch(() => undefined)}
            >
              {t('message.retry')}
            </button>
          </p>
        ) : null}
        {seen ? <p className="parley-seen">{t('message.seen')}</p> : null}
      </div>
    </article>
  );
});
