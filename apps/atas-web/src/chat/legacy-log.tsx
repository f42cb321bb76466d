'use client';
import { useEffect, useState } from 'react';
import { callApi } from '@/lib/browser-api';
import { formatDateTime } from '@/lib/format';
import type { LegacyMessageJson } from '@/lib/types';

/** The old Communication Log, read-only: what ATAS stored before the real-time chat. */
export function LegacyLog({ invitationId }: { invitationId: string }) {
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
      <h3 id="legacy-log-heading">Earlier messages (read-only)</h3>
      {error !== null && <p className="error">Could not load them: {error}</p>}
      {messages === null && error === null && <p role="status">Loading earlier messages…</p>}
      {messages?.length === 0 && <p className="muted">No earlier messages.</p>}
      {messages !== null && messages.length > 0 && (
        <ol className="legacy-messages">
          {messages.map((message) => (
            <li key={message.id}>
              <p className="legacy-meta">
                <strong>{message.author.name}</strong>{' '}
                <time dateTime={message.created_at}>{formatDateTime(message.created_at)}</time>
              </p>
              <p className="legacy-text">{message.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
