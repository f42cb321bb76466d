'use client';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { callApi } from '@/lib/browser-api';
import { LocalTime } from '@/components/local-time';
import { useChat } from './chat-session';
import { Conversation } from './conversation';

interface Announcement {
  id: string;
  text: string;
  created_at: string;
  user: { name?: string | null; id: string } | null;
}

/**
 * The event's group chat: pinned announcements on top (the organizer posts them, or pins a
 * message of the chat), then the live conversation of the organizer and every speaker who
 * accepted, with message actions, threads and files.
 */
export function EventChat({ eventId, organizer }: { eventId: string; organizer: boolean }) {
  const t = useTranslations('eventChat');
  const chat = useChat();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const base = `/api/v1/events/${encodeURIComponent(eventId)}`;
  const connected = chat.status === 'connected';

  const loadAnnouncements = useCallback(() => {
    callApi<{ announcements: Announcement[] }>(`${base}/announcements`).then(
      (body) => setAnnouncements(body.announcements),
      () => undefined,
    );
  }, [base]);

  useEffect(() => {
    if (!connected || channelId !== null) return;
    callApi<{ channel: { id: string } }>(`${base}/chat`).then(
      (body) => setChannelId(body.channel.id),
      (error: Error) => setFailure(error.message),
    );
    loadAnnouncements();
  }, [connected, channelId, base, loadAnnouncements]);

  // A pin or a new announcement arrives as a channel event: the list follows.
  const client = connected ? chat.client : null;
  useEffect(() => {
    if (client === null || channelId === null) return;
    const cid = `event:${channelId}`;
    return client.on('*', (event) => {
      if ('cid' in event && event.cid === cid && event.type.startsWith('message.')) {
        loadAnnouncements();
      }
    });
  }, [client, channelId, loadAnnouncements]);

  return (
    <section className="card communication-log event-chat" aria-labelledby="event-chat-heading">
      <h2 id="event-chat-heading">{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      {announcements.length > 0 && (
        <section aria-labelledby="announcements-heading" className="announcements">
          <h3 id="announcements-heading">{t('announcements')}</h3>
          <ul>
            {announcements.map((a) => (
              <li key={a.id}>
                <p className="announcement-text" dir="auto">
                  {a.text}
                </p>
                <p className="muted">
                  {a.user?.name ?? ''} · <LocalTime iso={a.created_at} />
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
      {organizer && <AnnouncementForm base={base} onPosted={loadAnnouncements} />}
      {chat.status === 'unavailable' && (
        <p className="chat-unavailable" role="alert">
          {t('unavailable')} {chat.reason}
        </p>
      )}
      {failure !== null && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {chat.status !== 'loading' && chat.client !== null && channelId !== null ? (
        <Conversation type="event" id={channelId} placeholder={t('placeholder')} />
      ) : (
        failure === null &&
        chat.status !== 'unavailable' && (
          <p className="loading" role="status">
            {t('loading')}
          </p>
        )
      )}
    </section>
  );
}

function AnnouncementForm({ base, onPosted }: { base: string; onPosted: () => void }) {
  const t = useTranslations('eventChat');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const text = String(new FormData(formElement).get('text') ?? '').trim();
    if (text === '') return;
    setBusy(true);
    setError(null);
    try {
      await callApi(`${base}/announcements`, { method: 'POST', body: { text } });
      formElement.reset();
      onPosted();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form announcement-form" onSubmit={submit}>
      <label>
        {t('announce')}
        <textarea name="text" rows={2} maxLength={5000} required />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="button" type="submit" disabled={busy}>
        {t('post')}
      </button>
    </form>
  );
}
