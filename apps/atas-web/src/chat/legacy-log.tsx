'use client';
import { useTranslations } from 'next-intl';
import type { LegacyMessageJson } from '@/lib/types';
import { LogLines, useLogMessages } from './log-lines';

/** The old Communication Log, read-only: what ATAS stored before the real-time chat. */
export function LegacyLog({ invitationId }: { invitationId: string }) {
  const t = useTranslations('legacy');
  const { messages, error } = useLogMessages<LegacyMessageJson>(
    `/api/v1/invitations/${encodeURIComponent(invitationId)}/messages`,
  );

  return (
    <section className="legacy-log" aria-labelledby="legacy-log-heading">
      <h3 id="legacy-log-heading">{t('title')}</h3>
      {error !== null && <p className="error">{t('failed', { error })}</p>}
      {messages === null && error === null && <p role="status">{t('loading')}</p>}
      {messages?.length === 0 && <p className="muted">{t('none')}</p>}
      {messages !== null && messages.length > 0 && (
        <LogLines
          lines={messages.map((message) => ({
            id: message.id,
            author: message.author.name,
            created_at: message.created_at,
            text: message.text,
          }))}
        />
      )}
    </section>
  );
}
