'use client';
import type { LocalMessage, SendMessageInput } from '@parley/client';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useChannelState } from '../hooks/use-channel-state.js';
import { useThread } from '../hooks/use-thread.js';
import { useTranslator } from '../i18n/locale-context.js';
import { useChatContext } from '../session/chat-context.js';
import { useChannelContext } from './channel-context.js';
import { useComposer } from './composer-context.js';
import type { EmojiPickerComponent } from './emoji-set.js';
import { actionsFor, type MessageAction } from './message-action-types.js';
import { MessageInput } from './message-input.js';
import { MessageItem } from './message-item.js';
import { userOf } from './user-name.js';

/** What `Thread` takes. */
export interface ThreadProps {
  /**
   * The message whose thread to show. Default: the one opened in the surrounding `Channel`
   * (by "Reply in thread" or a reply count in `MessageList`); nothing while none is.
   */
  parentId?: string;
  /** Called when the reader closes the panel (after the `Channel`'s open thread is cleared). */
  onClose?: () => void;
  /** The actions menu of the parent and replies (`reply` and `quote` do not apply here). */
  messageActions?: readonly MessageAction[];
  emojiPicker?: EmojiPickerComponent;
  /** With `<Attachments>`: the reply box's files, as `MessageInput`'s props of these names. */
  acceptedFiles?: readonly string[];
  maxFileSize?: number;
  multipleUploads?: boolean;
}

/**
 * A thread panel: the parent message, its replies (live, with edits, deletes and
 * reactions), "Earlier replies", and an input that replies — optionally also to the
 * channel. Focus moves to its input when it opens; Escape or Close closes it.
 */
export function Thread({ parentId, ...props }: ThreadProps) {
  const composer = useComposer();
  const id = parentId ?? composer?.threadId ?? null;
  return id === null ? null : <ThreadPanel key={id} parentId={id} {...props} />;
}

const NO_ACTIONS: readonly MessageAction[] = [];

function ThreadPanel({
  parentId,
  onClose,
  messageActions = NO_ACTIONS,
  emojiPicker,
  acceptedFiles,
  maxFileSize,
  multipleUploads,
}: ThreadProps & { parentId: string }) {
  const { client } = useChatContext();
  const { channel } = useChannelContext();
  const composer = useComposer();
  const channelState = useChannelState(channel);
  const translator = useTranslator();
  const { t } = translator;
  const { thread, state, error } = useThread(channel, parentId);
  const [alsoInChannel, setAlsoInChannel] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const titleId = useId();
  const me = client.user?.id;

  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('textarea')?.focus();
  }, []);

  const close = () => {
    composer?.openThread(null);
    onClose?.();
  };
  const send = useCallback(
    (input: SendMessageInput): Promise<LocalMessage> => {
      if (thread === undefined) return Promise.reject(new Error(t('thread.loading')));
      return thread.sendReply({ ...input, ...(alsoInChannel ? { showInChannel: true } : {}) });
    },
    [thread, alsoInChannel, t],
  );
  const viewer = {
    id: me,
    member: me === undefined ? undefined : channelState.members[me],
    role: client.user?.role,
    composer: false,
    clipboard: typeof navigator !== 'undefined' && navigator.clipboard !== undefined,
  };
  const item = (message: LocalMessage, groupStart: boolean) => (
    <MessageItem
      key={message.id}
      message={message}
      author={message.user ?? userOf(channelState, message.user_id ?? '')}
      channel={channel}
      own={message.user_id === me}
      groupStart={groupStart}
      seen={false}
      fresh={false}
      me={me}
      actions={
        messageActions.length === 0 ? NO_ACTIONS : actionsFor(message, messageActions, viewer)
      }
      emojiPicker={emojiPicker}
    />
  );
  const { parent, messages } = state;
  return (
    <aside
      ref={panel}
      className="parley-thread"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) close();
      }}
    >
      <header className="parley-thread-header">
        <h2 id={titleId} className="parley-thread-title">
          {t('thread.label')}
        </h2>
        <button type="button" className="parley-button parley-thread-close" onClick={close}>
          {t('thread.close')}
        </button>
      </header>
      {error !== null ? (
        <p className="parley-status parley-status-failed" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="parley-thread-parent">{parent === undefined ? null : item(parent, true)}</div>
      <div
        className="parley-thread-replies"
        role="log"
        aria-live="polite"
        aria-label={t('thread.label')}
      >
        {state.hasOlder && thread !== undefined ? (
          <button
            type="button"
            className="parley-button parley-thread-older"
            disabled={state.loading}
            onClick={() => void thread.loadOlder().catch(() => undefined)}
          >
            {t('thread.loadOlder')}
          </button>
        ) : null}
        {state.loading && messages.length === 0 ? (
          <p role="status">{t('thread.loading')}</p>
        ) : messages.length === 0 ? (
          <p className="parley-empty">{t('thread.empty')}</p>
        ) : (
          messages.map((message, i) =>
            item(message, i === 0 || messages[i - 1]!.user_id !== message.user_id),
          )
        )}
      </div>
      <MessageInput
        send={send}
        label={t('thread.reply')}
        placeholder={t('thread.replyPlaceholder')}
        acceptedFiles={acceptedFiles}
        maxFileSize={maxFileSize}
        multipleUploads={multipleUploads}
      />
      <label className="parley-thread-also">
        <input
          type="checkbox"
          checked={alsoInChannel}
          onChange={(event) => setAlsoInChannel(event.target.checked)}
        />{' '}
        {t('thread.showInChannel')}
      </label>
    </aside>
  );
}
