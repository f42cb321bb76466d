'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { LocalTime } from '@/components/local-time';
import { callApi } from '@/lib/browser-api';

interface LogMessage {
  id: string;
  type: string;
  text: string;
  created_at: string;
  user: { id: string; name?: string | null } | null;
}

/**
 * A withdrawn request's Communication Log: nobody can write in it any more (Parley refuses,
 * the members are gone), so it is read through ATAS and shown without an input.
 */
export function ReadOnlyLog({ invitationId }: { invitationId: string }) {
  const t = useTranslations('request');
  const [messages, setMessages] = useState<LogMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    callApi<{ messages: LogMessage[] }>(
      `/api/v1/invitations/${encodeURIComponent(invitationId)}/log`,
    ).then(
      (body) => live && setMessages(body.messages),
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [invitationId]);

  return (
    <section className="card communication-log" aria-labelledby="log-heading">
      <h2 id="log-heading">{t('log')}</h2>
      <p className="notice" role="status">
        {t('readOnly')}
      </p>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {messages === null && error === null && <p role="status">{t('loadingLog')}</p>}
      {messages !== null && (
        <ol className="legacy-messages" aria-label={t('messages')}>
          {messages.map((message) => (
            <li key={message.id} className={message.type === 'system' ? 'system-line' : undefined}>
              {message.type !== 'system' && (
                <p className="legacy-meta">
                  <strong>{message.user?.name ?? message.user?.id}</strong>{' '}
                  <LocalTime iso={message.created_at} />
                </p>
              )}
              <p className="legacy-text" dir="auto">
                {message.text}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
