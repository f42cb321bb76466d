'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { BrowserApiError, callApi } from '@/lib/browser-api';

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const t = useTranslations('login');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await callApi('/api/session', {
        method: 'POST',
        body: { email: form.get('email'), password: form.get('password') },
      });
      router.replace(next);
      router.refresh();
    } catch (failure) {
      setBusy(false);
      setError(
        failure instanceof BrowserApiError && failure.code === 'invalid_credentials'
          ? t('wrong')
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    }
  }

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-describedby={error ? 'login-error' : undefined}
    >
      <label>
        {t('email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error !== null && (
        <p id="login-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button className="button primary" type="submit" disabled={busy}>
        {busy ? t('busy') : t('submit')}
      </button>
    </form>
  );
}
