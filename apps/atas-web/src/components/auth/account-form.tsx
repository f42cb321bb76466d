'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent, type ReactNode } from 'react';
import { BrowserApiError, callApi } from '@/lib/browser-api';

/**
 * A form that opens a session (sign up, join by invite, new password): posts its fields to
 * `action` (a web route that keeps the session in a cookie), then goes to the request the
 * answer names (`invitation_id`, after joining by invite) or to `next`.
 */
export function AccountForm({
  action,
  fields,
  extra,
  submit,
  busyLabel,
  next,
  children,
}: {
  action: string;
  fields: ('name' | 'email' | 'password')[];
  /** Sent as well, e.g. the token of a reset link. */
  extra?: Record<string, string>;
  submit: string;
  busyLabel: string;
  next: string;
  children?: ReactNode;
}) {
  const router = useRouter();
  const t = useTranslations('account');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...extra,
        ...Object.fromEntries(fields.map((field) => [field, form.get(field)])),
      };
      const answer = await callApi<{ invitation_id?: string | null }>(action, {
        method: 'POST',
        body,
      });
      router.replace(
        typeof answer.invitation_id === 'string'
          ? `/dashboard/requests/${encodeURIComponent(answer.invitation_id)}`
          : next,
      );
      router.refresh();
    } catch (failure) {
      setBusy(false);
      setError(errorText(failure, t));
    }
  }

  return (
    <form
      className="card form"
      onSubmit={onSubmit}
      aria-describedby={error ? 'account-error' : undefined}
    >
      {children}
      {fields.includes('name') && (
        <label>
          {t('name')}
          <input name="name" required maxLength={100} autoComplete="name" />
        </label>
      )}
      {fields.includes('email') && (
        <label>
          {t('email')}
          <input name="email" type="email" required maxLength={320} autoComplete="email" />
        </label>
      )}
      {fields.includes('password') && (
        <label>
          {t('newPassword')}
          <input
            name="password"
            type="password"
            required
            minLength={8}
            maxLength={1024}
            autoComplete="new-password"
            aria-describedby="password-hint"
          />
          <span id="password-hint" className="hint">
            {t('passwordHint')}
          </span>
        </label>
      )}
      {error !== null && (
        <p id="account-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button className="button primary" type="submit" disabled={busy}>
        {busy ? busyLabel : submit}
      </button>
    </form>
  );
}

function errorText(failure: unknown, t: (key: string) => string): string {
  if (failure instanceof BrowserApiError) {
    switch (failure.code) {
      case 'email_taken':
        return t('errors.emailTaken');
      case 'link_used':
        return t('errors.linkUsed');
      case 'link_expired':
        return t('errors.linkExpired');
      case 'link_invalid':
        return t('errors.linkInvalid');
      case 'too_many_requests':
        return t('errors.tooMany');
      default:
        return failure.message;
    }
  }
  return failure instanceof Error ? failure.message : String(failure);
}
