'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '@/lib/browser-api';

export function ProfileForm({ name, avatarUrl }: { name: string; avatarUrl: string | null }) {
  const router = useRouter();
  const t = useTranslations('profile');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const avatar = String(form.get('avatar_url') ?? '').trim();
    setBusy(true);
    setResult(null);
    try {
      const body = await callApi<{ chat_notified: boolean }>('/api/v1/me', {
        method: 'PATCH',
        body: { name: form.get('name'), avatar_url: avatar === '' ? null : avatar },
      });
      setResult({
        ok: true,
        text: body.chat_notified ? t('saved') : t('savedLater'),
      });
      router.refresh();
    } catch (failure) {
      setResult({ ok: false, text: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit}>
      <label>
        {t('name')}
        <input name="name" defaultValue={name} required maxLength={100} autoComplete="name" />
      </label>
      <label>
        {t('picture')}
        <input
          name="avatar_url"
          type="url"
          defaultValue={avatarUrl ?? ''}
          maxLength={2048}
          placeholder="https://…"
        />
      </label>
      {result !== null && (
        <p className={result.ok ? 'success' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
      <button className="button primary" type="submit" disabled={busy}>
        {busy ? t('saving') : t('save')}
      </button>
    </form>
  );
}
