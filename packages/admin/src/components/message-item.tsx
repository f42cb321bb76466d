import type { ReactNode } from 'react';
import type { Message } from '@parley/protocol';
import { useI18n } from '../i18n/i18n.js';

/** A message as text (never HTML): author, time, text or its tombstone, then actions. */
export function MessageItem({
  message,
  highlight = false,
  children,
}: {
  message: Message;
  highlight?: boolean;
  children?: ReactNode;
}) {
  const { t, dateTime } = useI18n();
  return (
    <li className={highlight ? 'admin-message admin-message-flagged' : 'admin-message'}>
      <p className="admin-message-meta">
        <strong dir="auto">{message.user?.name ?? message.user_id ?? t('message.system')}</strong>{' '}
        <time dateTime={message.created_at}>{dateTime(message.created_at)}</time>
        {highlight && <span className="admin-badge"> {t('moderation.flaggedMessage')}</span>}
      </p>
      <p className="admin-message-text" dir="auto">
        {message.deleted_at === null ? message.text : <em>{t('message.deleted')}</em>}
      </p>
      {children}
    </li>
  );
}
