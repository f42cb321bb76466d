'use client';
import type { ChatClient } from '@parley/client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { callApi } from '@/lib/browser-api';
import { useChat } from './chat-session';
import { Conversation } from './conversation';
import { LegacyLog } from './legacy-log';

/**
 * The request's Communication Log: the live chat once connected, with reactions, threads,
 * quotes, edits, deletes, files and the pinned messages (the organizer pins the agreed
 * details); "Chat unavailable" with the reason, a retry button and the legacy log read-only
 * while it is not. A chat that was open stays on screen meanwhile, so what the user writes
 * is queued and sent on return.
 */
export function CommunicationLog({
  invitationId,
  channelId,
  focusMessageId,
  organizer,
}: {
  invitationId: string;
  channelId: string;
  /** A message to show and mark (a search result's): the log loads the page around it. */
  focusMessageId?: string | undefined;
  /** The viewer organizes the event: they may pin messages. */
  organizer: boolean;
}) {
  const t = useTranslations('request');
  const chat = useChat();
  const ready = useRequestChannel(invitationId, chat.status === 'connected');
  const client = chat.status === 'loading' ? null : chat.client;
  useStatusRefresh(client, `request:${channelId}`);

  return (
    <section className="card communication-log" aria-labelledby="log-heading">
      <h2 id="log-heading">{t('log')}</h2>
      {chat.status === 'unavailable' && <Unavailable reason={chat.reason} retry={chat.retry} />}
      {(chat.status === 'loading' ||
        (chat.status === 'connected' && ready.state === 'loading')) && (
        <p className="loading" role="status">
          {t('loadingLog')}
        </p>
      )}
      {ready.state === 'failed' && chat.status === 'connected' && (
        <Unavailable reason={ready.reason} retry={ready.retry} />
      )}
      {client !== null && ready.state === 'ready' && (
        <>
          {organizer && <p className="muted pin-hint">{t('pinHint')}</p>}
          <Conversation
            type="request"
            id={channelId}
            placeholder={t('placeholder')}
            focusMessageId={focusMessageId}
            pinned
          />
        </>
      )}
      {chat.status === 'unavailable' && <LegacyLog invitationId={invitationId} />}
    </section>
  );
}

function Unavailable({ reason, retry }: { reason: string; retry: () => void }) {
  const tChat = useTranslations('chat');
  return (
    <div className="chat-unavailable" role="alert">
      <p>
        <strong>{tChat('unavailable')}</strong> {reason}
      </p>
      <button type="button" className="button" onClick={retry}>
        {tChat('retry')}
      </button>
    </div>
  );
}

type RequestChannelState =
  | { state: 'loading' }
  | { state: 'ready' }
  | { state: 'failed'; reason: string; retry: () => void };

/**
 * Makes sure the request's channel exists in the chat (the API creates it if Parley was
 * down when the invitation was made), once the chat is connected; then it stays ready.
 */
function useRequestChannel(invitationId: string, connected: boolean): RequestChannelState {
  const [state, setState] = useState<RequestChannelState>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const done = state.state === 'ready';
  useEffect(() => {
    if (!connected || done) return;
    let live = true;
    callApi(`/api/v1/invitations/${encodeURIComponent(invitationId)}/chat`).then(
      () => live && setState({ state: 'ready' }),
      (failure: Error) =>
        live &&
        setState({
          state: 'failed',
          reason: failure.message,
          retry: () => {
            setState({ state: 'loading' });
            setAttempt((n) => n + 1);
          },
        }),
    );
    return () => {
      live = false;
    };
  }, [invitationId, connected, done, attempt]);
  return state;
}

/**
 * An answer to the invitation arrives in the chat as a status notice (a system message with
 * `data.kind = "status"`): the page's server-rendered details are refreshed to match.
 */
function useStatusRefresh(client: ChatClient | null, cid: string): void {
  const router = useRouter();
  useEffect(() => {
    if (client === null) return;
    return client.on('message.new', (event) => {
      if (
        event.cid === cid &&
        event.message.type === 'system' &&
        event.message.data.kind === 'status'
      ) {
        router.refresh();
      }
    });
  }, [client, cid, router]);
}
