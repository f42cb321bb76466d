'use client';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { callApi } from '@/lib/browser-api';
import type { ConversationSettingJson, NotificationSettingsJson } from '@/lib/types';

const PATH = '/api/v1/me/notification-settings';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; reason: string }
  | { state: 'ready'; settings: NotificationSettingsJson };

/**
 * The profile's email notification settings, kept by Parley through the ATAS API: email
 * on or off, and the conversations muted (no email about them). Loads in the browser, so
 * the profile page still opens when the chat server is down.
 */
export function NotificationSettings() {
  const t = useTranslations('notifications');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const load = useCallback(() => {
    setLoaded({ state: 'loading' });
    callApi<{ settings: NotificationSettingsJson }>(PATH).then(
      (body) => setLoaded({ state: 'ready', settings: body.settings }),
      (failure: unknown) =>
        setLoaded({
          state: 'failed',
          reason: failure instanceof Error ? failure.message : String(failure),
        }),
    );
  }, []);
  useEffect(load, [load]);

  if (loaded.state === 'loading') {
    return (
      <p className="loading" role="status">
        {t('loading')}
      </p>
    );
  }
  if (loaded.state === 'failed') {
    return (
      <div className="notice" role="alert">
        <p>{t('unavailable', { reason: loaded.reason })}</p>
        <button type="button" className="button" onClick={load}>
          {t('retry')}
        </button>
      </div>
    );
  }
  return (
    <SettingsForm
      settings={loaded.settings}
      onSaved={(settings) => setLoaded({ state: 'ready', settings })}
    />
  );
}

function SettingsForm({
  settings,
  onSaved,
}: {
  settings: NotificationSettingsJson;
  onSaved: (settings: NotificationSettingsJson) => void;
}) {
  const t = useTranslations('notifications');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const muted = new Set(form.getAll('muted').map(String));
    const body = {
      email_enabled: form.get('email_enabled') === 'on',
      mute: settings.conversations.filter((c) => !c.muted && muted.has(c.cid)).map((c) => c.cid),
      unmute: settings.conversations.filter((c) => c.muted && !muted.has(c.cid)).map((c) => c.cid),
    };
    setBusy(true);
    setResult(null);
    try {
      const saved = await callApi<{ settings: NotificationSettingsJson }>(PATH, {
        method: 'PUT',
        body,
      });
      // The boxes already show the choice; what Parley stored is the base of the next change.
      onSaved(saved.settings);
      setResult({ ok: true, text: t('saved') });
    } catch (failure) {
      setResult({ ok: false, text: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form notification-settings" onSubmit={submit}>
      <label className="check">
        <input type="checkbox" name="email_enabled" defaultChecked={settings.email_enabled} />
        {t('email')}
      </label>
      <p className="muted">
        {settings.email === null ? t('noEmail') : t('emailTo', { email: settings.email })}
      </p>
      <fieldset>
        <legend>{t('muteLegend')}</legend>
        {settings.conversations.length === 0 ? (
          <p className="empty">{t('none')}</p>
        ) : (
          settings.conversations.map((conversation) => (
            <label key={conversation.cid} className="check">
              <input
                type="checkbox"
                name="muted"
                value={conversation.cid}
                defaultChecked={conversation.muted}
              />
              <span dir="auto">{conversationName(conversation, t)}</span>
            </label>
          ))
        )}
      </fieldset>
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

function conversationName(
  conversation: ConversationSettingJson,
  t: (key: string, values?: Record<string, string>) => string,
): string {
  const people = conversation.people.join(', ');
  const event = conversation.event_title ?? '';
  if (conversation.kind === 'request') return t('request', { event, people });
  if (conversation.kind === 'event') return t('event', { event });
  return people;
}
