import { useId, useState, type FormEvent } from 'react';
import type { User } from '@parley/protocol';
import { AdminApi, ApiError } from '../api/admin-api.js';
import { ErrorNote } from '../components/notices.js';
import { useI18n } from '../i18n/i18n.js';
import { tokenSource, type Credential } from '../session/credential.js';

/**
 * Sign-in with the app secret (full access: the console signs short-lived server tokens
 * with it) or an app admin's user token. The credential is checked against the server
 * before the console opens.
 */
export function LoginPage({ onSignedIn }: { onSignedIn: (credential: Credential) => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Credential['kind']>('secret');
  const [value, setValue] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const hintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (trimmed === '') return;
    const credential: Credential =
      kind === 'secret' ? { kind, secret: trimmed } : { kind, token: trimmed };
    setBusy(true);
    setError(null);
    try {
      await check(new AdminApi(tokenSource(credential)), credential, t('login.notAdmin'));
      onSignedIn(credential);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="admin-login" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('login.with')}</legend>
          <label>
            <input
              type="radio"
              name="kind"
              value="secret"
              checked={kind === 'secret'}
              onChange={() => setKind('secret')}
            />
            {t('login.secret')}
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              value="token"
              checked={kind === 'token'}
              onChange={() => setKind('token')}
            />
            {t('login.token')}
          </label>
        </fieldset>
        <label className="admin-field">
          {kind === 'secret' ? t('login.secretLabel') : t('login.tokenLabel')}
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            aria-describedby={hintId}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <p id={hintId} className="admin-hint">
          {t('login.hint')}
        </p>
        <button type="submit" className="admin-primary" disabled={busy}>
          {busy ? t('login.checking') : t('login.submit')}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}

/** A secret must sign tokens the server takes; a user token must be an admin's. */
async function check(api: AdminApi, credential: Credential, notAdmin: string): Promise<void> {
  if (credential.kind === 'secret') {
    await api.get('/audit-log', { limit: 1 });
    return;
  }
  const { user } = await api.get<{ user: User }>('/me');
  if (user.role !== 'admin') throw new ApiError('forbidden', notAdmin, 403);
}
