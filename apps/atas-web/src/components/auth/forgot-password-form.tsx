'use client';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { BrowserApiError, callApi } from '@/lib/browser-api';

/** Asks for a reset link; the answer is the same whether the email has an account or not. */
export function ForgotPasswordForm() {
  const t = useTranslations('forgot');
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get('email');
    setState('busy');
    setError(null);
    try {
      await callApi('/api/v1/auth/password-reset', { method: 'POST', body: { email } });
      setState('sent');
    } catch (failure) {
      setState('idle');
      setError(
        failure instanceof BrowserApiError && failure.code === 'too_many_requests'
          ? t('tooMany')
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    }
  }

  if (state === 'sent') {
    return (
      <p className="notice" role="status">
        {t('sent')}
      </p>
    );
  }
  return (
    <form className="card form" onSubmit={submit}>
      <label>
        {t('email')}
        <input name="email" type="email" required autoComplete="email" />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="button primary" type="submit" disabled={state === 'busy'}>
        {t('submit')}
      </button>
    </form>
  );
}
