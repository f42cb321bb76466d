'use client';
import { placeholderUser } from '@parley/client';
import type { Message } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import { useChannelContext } from './channel-context.js';
import { useComposer } from './composer-context.js';
import { MessageText } from './message-text.js';
import { displayName } from './user-name.js';

/** What `PinnedMessages` takes. */
export interface PinnedMessagesProps {
  /**
   * Called with a pinned message the reader picks, after the `MessageList` of the same
   * `Channel` was asked to show it (e.g. to switch to the tab that holds the list).
   */
  onSelect?: (message: Message) => void;
}

/**
 * The surrounding `Channel`'s pinned messages, newest pin first, kept current as messages
 * are pinned, unpinned, edited or deleted. "Show in the conversation" shows one in the
 * `MessageList` (a reply kept in its thread opens the thread).
 */
export function PinnedMessages({ onSelect }: PinnedMessagesProps) {
  const { channel } = useChannelContext();
  const composer = useComposer();
  const translator = useTranslator();
  const { t } = translator;
  const [pinned, setPinned] = useState<Message[] | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const load = useCallback(() => {
    channel.getPinned().then(
      (messages) => {
        setPinned(messages);
        setError(null);
      },
      (failure: Error) => setError(failure),
    );
  }, [channel]);
  useEffect(() => {
    load();
    // Pins, edits and deletes are events of the channel: load the list again on each.
    const offs = [channel.on('message.updated', load), channel.on('message.deleted', load)];
    return () => offs.forEach((off) => off());
  }, [channel, load]);

  return (
    <section className="parley-pinned" aria-label={t('pinned.label')}>
      <h2 className="parley-pinned-title">{t('pinned.label')}</h2>
      {error !== null ? (
        <div role="alert">
          <p>{t('pinned.error', { error: error.message })}</p>
          <button type="button" className="parley-button" onClick={load}>
            {t('common.tryAgain')}
          </button>
        </div>
      ) : pinned === null ? (
        <p role="status">{t('pinned.loading')}</p>
      ) : pinned.length === 0 ? (
        <p className="parley-empty">{t('pinned.empty')}</p>
      ) : (
        <ul className="parley-pinned-list">
          {pinned.map((message) => (
            <li key={message.id} className="parley-pinned-item" data-message-id={message.id}>
              <span className="parley-pinned-author">
                {displayName(message.user ?? placeholderUser(message.user_id ?? ''))}
              </span>{' '}
              <time dateTime={message.created_at} suppressHydrationWarning>
                {translator.dateTime(new Date(message.created_at))}
              </time>
              <p className="parley-pinned-text" dir="auto">
                <MessageText text={message.text} mentioned={message.mentioned_users} />
              </p>
              <button
                type="button"
                className="parley-button parley-pinned-jump"
                onClick={() => {
                  composer?.showMessage(message);
                  onSelect?.(message);
                }}
              >
                {t('pinned.jump')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
