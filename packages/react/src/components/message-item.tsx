'use client';
import type { Channel, LocalMessage } from '@parley/client';
import { memo, useContext, useEffect, useRef, useState } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import type { User } from '../types.js';
import { AttachmentSlotsContext } from './attachment-slots.js';
import { Avatar } from './avatar.js';
import type { ShownMessage } from './composer-context.js';
import type { EmojiPickerComponent } from './emoji-set.js';
import { lazyPart } from './lazy-part.js';
import type { MessageAction } from './message-action-types.js';
import { MessageQuote } from './message-quote.js';
import { MessageText } from './message-text.js';
import { ReactionBar } from './reaction-bar.js';
import { displayName } from './user-name.js';

// Loaded on first use, so a chat without actions does not ship them (see the README).
const ActionsMenu = lazyPart(() => import('./actions-menu.js'));
const loadEditor = () => import('./message-editor.js');
const MessageEditor = lazyPart(loadEditor);

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
  /** The viewer's id. */
  me?: string | undefined;
  /** The actions the viewer may take on this message (empty: no menu). */
  actions?: readonly MessageAction[];
  /** A full picker behind "More reactions". */
  emojiPicker?: EmojiPickerComponent | undefined;
  /** Opens the message's thread; without it the reply count is not a button. */
  onOpenThread?: ((message: LocalMessage) => void) | undefined;
  /** Quotes the message in the input. */
  onQuote?: ((message: LocalMessage) => void) | undefined;
  /** Shows another message (the quoted one, picked in the quote preview). */
  onShowMessage?: ((message: ShownMessage) => void) | undefined;
}

const NO_ACTIONS: readonly MessageAction[] = [];

/** One message. Its text is React text nodes: nothing a user sends is parsed as HTML. */
export const MessageItem = memo(function MessageItem({
  message,
  author,
  channel,
  own,
  groupStart,
  seen,
  fresh,
  me,
  actions = NO_ACTIONS,
  emojiPicker,
  onOpenThread,
  onQuote,
  onShowMessage,
}: MessageItemProps) {
  const translator = useTranslator();
  const { t } = translator;
  const { Message: Files } = useContext(AttachmentSlotsContext);
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const onError = (error: Error) => setFailure(t('actions.failed', { error: error.message }));
  // Fetched while the message shows, not when Edit is picked: the reader may be offline by
  // then (edits are queued offline), and a chunk that fails to load would throw.
  const editable = actions.includes('edit');
  useEffect(() => {
    if (editable) void loadEditor().catch(() => undefined);
  }, [editable]);
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
  const deleted = message.deleted_at !== null;
  const quoted = deleted ? null : message.quoted_message;
  if (deleted) classes.push('parley-message-deleted');
  const edited =
    !deleted && message.edited_at !== null ? (
      <span
        className="parley-message-edited"
        title={t('message.editedAt', { time: translator.dateTime(new Date(message.edited_at)) })}
        suppressHydrationWarning
      >
        ({t('message.edited')})
      </span>
    ) : null;
  const done = () => {
    setEditing(false);
    menuButton.current?.focus();
  };
  return (
    <article className={classes.join(' ')} data-message-id={message.id}>
      <div className="parley-message-gutter">{groupStart ? <Avatar user={author} /> : null}</div>
      <div className="parley-message-body">
        {groupStart ? (
          <header className="parley-message-header">
            <span className="parley-message-author">{displayName(author)}</span> {clock}
          </header>
        ) : null}
        {quoted === null ? null : (
          <MessageQuote
            quoted={quoted}
            onShow={onShowMessage === undefined ? undefined : () => onShowMessage(quoted)}
          />
        )}
        {deleted ? (
          <p className="parley-message-text parley-deleted">{t('message.deleted')}</p>
        ) : editing ? (
          <MessageEditor
            message={message}
            channel={channel}
            onDone={done}
            onError={onError}
            failed={(retry) => (
              <p className="parley-status parley-status-failed" role="alert">
                {t('part.failed')}{' '}
                <button type="button" className="parley-button parley-retry" onClick={retry}>
                  {t('message.retry')}
                </button>{' '}
                <button type="button" className="parley-button" onClick={done}>
                  {t('common.cancel')}
                </button>
              </p>
            )}
          />
        ) : (
          <p className="parley-message-text" dir="auto">
            <MessageText text={message.text} mentioned={message.mentioned_users} me={me} />
            {edited === null ? null : <> {edited}</>}
          </p>
        )}
        {deleted || Files === undefined ? null : <Files message={message} />}
        {message.pinned ? <p className="parley-pinned-marker">{t('message.pinned')}</p> : null}
        {deleted ? null : (
          <ReactionBar message={message} channel={channel} me={me} onError={onError} />
        )}
        {message.reply_count > 0 && message.parent_id === null ? (
          onOpenThread === undefined ? (
            <p className="parley-reply-count">
              {translator.plural('message.replies', message.reply_count)}
            </p>
          ) : (
            <button
              type="button"
              className="parley-button parley-reply-count"
              aria-label={`${translator.plural('message.replies', message.reply_count)}. ${t('message.openThread')}`}
              onClick={() => onOpenThread(message)}
            >
              {translator.plural('message.replies', message.reply_count)}
            </button>
          )
        ) : null}
        {actions.length > 0 ? (
          <ActionsMenu
            failed={(retry) => (
              // Every message has a menu: one alert each would drown the list. The button
              // stays where the menu's was and downloads it again when pressed.
              <button
                type="button"
                className="parley-button parley-actions-button"
                aria-label={t('actions.menu')}
                title={t('part.failed')}
                onClick={retry}
              >
                <span aria-hidden="true">⋯</span>
              </button>
            )}
            buttonRef={menuButton}
            message={message}
            channel={channel}
            actions={actions}
            emojiPicker={emojiPicker}
            onEdit={() => setEditing(true)}
            onReply={() => onOpenThread?.(message)}
            onQuote={() => onQuote?.(message)}
            onError={onError}
          />
        ) : null}
        {failure === null ? null : (
          <p className="parley-status parley-status-failed" role="alert">
            {failure}{' '}
            <button
              type="button"
              className="parley-button parley-dismiss"
              onClick={() => setFailure(null)}
            >
              {t('common.close')}
            </button>
          </p>
        )}
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
