'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/lib/browser-api';

/** Accept / Decline, for the invited speaker while the invitation is pending. */
export function RequestActions({ id }: { id: string }) {
  const router = useRouter();
  const t = useTranslations('request');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function answer(action: 'accept' | 'decline') {
    setBusy(true);
    setError(null);
    try {
      await callApi(`/api/v1/invitations/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
      router.refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="actions">
      <button
        className="button primary"
        type="button"
        disabled={busy}
        onClick={() => answer('accept')}
      >
        {t('accept')}
      </button>
      <button className="button" type="button" disabled={busy} onClick={() => answer('decline')}>
        {t('decline')}
      </button>
      {error !== null && (
        <p className="error" role="alert">
          {t('answerFailed', { error })}
        </p>
      )}
    </div>
  );
}
