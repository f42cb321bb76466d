'use client';
import type { Channel } from '@parley/client';
import { useCallback, useEffect, useState } from 'react';
import { useChannelState } from '../hooks/use-channel-state.js';
import { useConnectionState } from '../hooks/use-connection-state.js';
import { useTranslator } from '../i18n/locale-context.js';
import { useChatContext } from '../session/chat-context.js';
import { displayName } from './user-name.js';

/** What `ChannelList` takes. */
export interface ChannelListProps {
  /** Called with the channel the user picks. */
  onSelect?: (channel: Channel) => void;
  /** The cid of the open conversation, marked `aria-current`. */
  activeCid?: string;
  /** Only channels of this type. */
  type?: string;
}

/** The user's conversations, latest first, with a preview and an unread badge each. */
export function ChannelList({ onSelect, activeCid, type }: ChannelListProps) {
  const { client } = useChatContext();
  const connection = useConnectionState();
  const active = connection !== 'idle' && connection !== 'disconnected';
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { t } = useTranslator();

  const load = useCallback(() => {
    client.queryChannels(type === undefined ? {} : { type }).then(
      (page) => {
        setChannels(page.channels);
        setError(null);
      },
      (failure: Error) => setError(failure),
    );
  }, [client, type]);

  useEffect(() => {
    if (!active) return;
    load();
    // A new message moves its conversation to the top in the same render that shows it in the
    // row's preview; for a conversation the user does not watch, the list is then fetched again
    // (it may be one the list has not loaded yet). A conversation someone starts with the user
    // shows up without a reload.
    const moveUp = ({ cid }: { cid: string }) =>
      setChannels((list) => (list === null ? list : toFront(list, cid)));
    const offs = [
      client.on('notification.added_to_channel', load),
      client.on('message.new', moveUp),
      client.on('notification.message_new', (event) => {
        moveUp(event);
        load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, active, load, attempt]);

  if (error !== null) {
    return (
      <nav className="parley-channel-list" aria-label={t('channels.label')}>
        <div role="alert">
          <p>{t('channels.error', { error: error.message })}</p>
          <button type="button" className="parley-button" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.tryAgain')}
          </button>
        </div>
      </nav>
    );
  }
  return (
    <nav className="parley-channel-list" aria-label={t('channels.label')}>
      {channels === null ? (
        <p role="status">{t('channels.loading')}</p>
      ) : channels.length === 0 ? (
        <p className="parley-empty">{t('channels.empty')}</p>
      ) : (
        <ul>
          {channels.map((channel) => (
            <ChannelPreview
              key={channel.cid}
              channel={channel}
              active={channel.cid === activeCid}
              me={client.user?.id}
              onSelect={onSelect}
            />
          ))}
        </ul>
      )}
    </nav>
  );
}

/** `list` with the channel `cid` first; `list` itself when it is first already or not there. */
function toFront(list: Channel[], cid: string): Channel[] {
  const at = list.findIndex((channel) => channel.cid === cid);
  if (at <= 0) return list;
  return [list[at]!, ...list.slice(0, at), ...list.slice(at + 1)];
}

function ChannelPreview({
  channel,
  active,
  me,
  onSelect,
}: {
  channel: Channel;
  active: boolean;
  me: string | undefined;
  onSelect: ((channel: Channel) => void) | undefined;
}) {
  const state = useChannelState(channel);
  const { t } = useTranslator();
  const last = state.messages[state.messages.length - 1];
  return (
    <li>
      <button
        type="button"
        className={`parley-channel-preview${active ? ' parley-channel-preview-active' : ''}`}
        aria-current={active ? 'true' : undefined}
        onClick={() => onSelect?.(channel)}
      >
        <span className="parley-channel-name">
          {channelName(channel, state, me, t('channel.label'))}
        </span>
        <span className="parley-channel-last">{last?.text ?? t('channels.noMessages')}</span>
        {state.unreadCount > 0 ? (
          <span
            className="parley-unread-badge"
            aria-label={t('channels.unread', { count: state.unreadCount })}
          >
            {state.unreadCount}
          </span>
        ) : null}
      </button>
    </li>
  );
}

/** A channel's `data.name`, else its other members' names, else its id, else `fallback`. */
export function channelName(
  channel: Channel,
  state: Channel['state'],
  me: string | undefined,
  fallback = 'Conversation',
): string {
  const name = channel.data.name;
  if (typeof name === 'string' && name.trim() !== '') return name;
  const others = Object.values(state.members)
    .filter((member) => member.user_id !== me)
    .map((member) => displayName(member.user));
  return others.length > 0 ? others.join(', ') : (channel.id ?? fallback);
}
