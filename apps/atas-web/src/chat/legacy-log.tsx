'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { LocalTime } from '@/components/local-time';
import { callApi } from '@/lib/browser-api';
import type { LegacyMessageJson } from '@/lib/types';

/** The old Communication Log, read-only: what ATAS stored before the real-time chat. */
export function LegacyLog({ invitationId }: { invitationId: string }) {
  const t = useTranslations('legacy');
  const [messages, setMessages] = useState<LegacyMessageJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    callApi<{ messages: LegacyMessageJson[] }>(
      `/api/v1/invitations/${encodeURIComponent(invitationId)}/messages`,
    ).then(
      (body) => live && setMessages(body.messages),
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [invitationId]);

  return (
    <section className="legacy-log" aria-labelledby="legacy-log-heading">
      <h3 id="legacy-log-heading">{t('title')}</h3>
      {error !== null && <p className="error">{t('failed', { error })}</p>}
      {messages === null && error === null && <p role="status">{t('loading')}</p>}
      {messages?.length === 0 && <p className="muted">{t('none')}</p>}
      {messages !== null && messages.length > 0 && (
        <ol className="legacy-messages">
          {messages.map((message) => (
            <li key={message.id}>
              <p className="legacy-meta">
                <strong>{message.author.name}</strong> <LocalTime iso={message.created_at} />
              </p>
              <p className="legacy-text">{message.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
