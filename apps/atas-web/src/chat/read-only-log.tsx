'use client';
import { useTranslations } from 'next-intl';
import { LogLines, useLogMessages } from './log-lines';

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
  const { messages, error } = useLogMessages<LogMessage>(
    `/api/v1/invitations/${encodeURIComponent(invitationId)}/log`,
  );

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
        <LogLines
          label={t('messages')}
          lines={messages.map((message) => ({
            id: message.id,
            author: message.user?.name ?? message.user?.id ?? null,
            created_at: message.created_at,
            text: message.text,
            system: message.type === 'system',
          }))}
        />
      )}
    </section>
  );
}
