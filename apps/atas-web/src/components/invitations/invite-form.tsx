'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { BrowserApiError, callApi } from '@/lib/browser-api';

const KNOWN_ERRORS = ['already_invited', 'cannot_invite_self', 'not_a_speaker'] as const;

/** Invites a speaker by email, with a message; a new address gets an invite link by email. */
export function InviteForm({ eventId }: { eventId: string }) {
  const t = useTranslations('invite_form');
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const email = String(form.get('speaker_email') ?? '').trim();
    const message = String(form.get('message') ?? '').trim();
    setBusy(true);
    setResult(null);
    try {
      await callApi(`/api/v1/events/${encodeURIComponent(eventId)}/invitations`, {
        method: 'POST',
        body: { speaker_email: email, message: message === '' ? null : message },
      });
      formElement.reset();
      setResult({ ok: true, text: t('sent', { email }) });
      router.refresh();
    } catch (failure) {
      const code = failure instanceof BrowserApiError ? failure.code : '';
      setResult({
        ok: false,
        text: (KNOWN_ERRORS as readonly string[]).includes(code)
          ? t(`errors.${code}`)
          : failure instanceof Error
            ? failure.message
            : String(failure),
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('title')}</h2>
      <label>
        {t('email')}
        <input name="speaker_email" type="email" required maxLength={320} />
      </label>
      <label>
        {t('message')}
        <textarea name="message" rows={3} maxLength={2000} />
      </label>
      {result !== null && (
        <p className={result.ok ? 'success' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
      <button className="button primary" type="submit" disabled={busy}>
        {t('submit')}
      </button>
    </form>
  );
}
