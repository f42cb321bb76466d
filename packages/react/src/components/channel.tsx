'use client';
import type { LocalMessage } from '@parley/client';
import { useMemo, useState, type ReactNode } from 'react';
import { useChannel } from '../hooks/use-channel.js';
import { useTranslator } from '../i18n/locale-context.js';
import { ChannelContext } from './channel-context.js';
import { ComposerContext, type ComposerContextValue } from './composer-context.js';

/** What `Channel` takes: `id`, or `members` for a distinct channel (a DM). */
export interface ChannelProps {
  type: string;
  id?: string;
  members?: string[];
  /**
   * A message to show: the list loads the page around it if needed, scrolls to it and
   * marks it (e.g. a search result the reader picked). Change it to move on. Pins and
   * quotes picked inside the `Channel` show their message the same way by themselves.
   */
  focusMessageId?: string;
  children?: ReactNode;
}

/**
 * Watches one channel and gives it to `MessageList`, `TypingIndicator`, `MessageInput`,
 * `Thread` and `PinnedMessages` inside (with the message being quoted and the open thread);
 * shows a loading state until it is watched and an error with "Try again".
 */
export function Channel({ type, id, members, focusMessageId, children }: ChannelProps) {
  const target = id ?? { members: members ?? [] };
  const { channel, loading, error, retry } = useChannel(type, target);
  const { t } = useTranslator();
  // The message to show: `focusMessageId` when it changes, else the last one picked inside
  // (a pin, a quote). `request` counts them, so picking the same message again shows it again.
  const [focus, setFocus] = useState<Focus>({
    prop: focusMessageId,
    id: focusMessageId,
    request: 0,
  });
  if (focus.prop !== focusMessageId) {
    setFocus({ prop: focusMessageId, id: focusMessageId, request: focus.request + 1 });
  }
  // A message picked in another channel is not looked for in this one.
  const shown = focus.of === undefined || focus.of === channel ? focus.id : focusMessageId;
  const value = useMemo(
    () =>
      channel === undefined
        ? null
        : { channel, focusMessageId: shown, focusRequest: focus.request },
    [channel, shown, focus.request],
  );
  // Kept with the channel they belong to: another channel starts with neither.
  const [quoted, quote] = useState<{ of?: unknown; message: LocalMessage | null }>({
    message: null,
  });
  const [thread, openThread] = useState<{ of?: unknown; id: string | null }>({ id: null });
  const composer = useMemo<ComposerContextValue>(
    () => ({
      quoted: quoted.of === channel ? quoted.message : null,
      quote: (message) => quote({ of: channel, message }),
      threadId: thread.of === channel ? thread.id : null,
      openThread: (id) => openThread({ of: channel, id }),
      showMessage: (message) => {
        let id = message.id;
        if (message.parent_id != null && message.show_in_channel !== true) {
          openThread({ of: channel, id: message.parent_id });
          id = message.parent_id;
        }
        setFocus((now) => ({ prop: now.prop, of: channel, id, request: now.request + 1 }));
      },
    }),
    [channel, quoted, thread],
  );
  if (error !== null) {
    return (
      <div className="parley-channel parley-channel-error" role="alert">
        <p>{t('channel.error', { error: error.message })}</p>
        <button type="button" className="parley-button" onClick={retry}>
          {t('common.tryAgain')}
        </button>
      </div>
    );
  }
  if (loading || value === null) {
    return (
      <div className="parley-channel parley-channel-loading" role="status">
        {t('channel.loading')}
      </div>
    );
  }
  return (
    <ChannelContext.Provider value={value}>
      <ComposerContext.Provider value={composer}>
        <section className="parley-channel" aria-label={t('channel.label')}>
          {children}
        </section>
      </ComposerContext.Provider>
    </ChannelContext.Provider>
  );
}

/** The message `Channel` asks its list to show; `of`: the channel it was picked in. */
interface Focus {
  prop: string | undefined;
  of?: unknown;
  id: string | undefined;
  request: number;
}
