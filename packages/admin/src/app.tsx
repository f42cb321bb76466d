import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { AdminApi } from './api/admin-api.js';
import { useHashRoute, type Route } from './components/hash-route.js';
import {
  I18nContext,
  LANGUAGES,
  createI18n,
  preferredLanguage,
  readStored,
  writeStored,
  type Language,
} from './i18n/i18n.js';
import type { AdminKey } from './i18n/en.js';
import { AuditPage } from './pages/audit-page.js';
import { ChannelPage } from './pages/channel-page.js';
import { ChannelsPage } from './pages/channels-page.js';
import { LoginPage } from './pages/login-page.js';
import { ModerationPage } from './pages/moderation-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { UsersPage } from './pages/users-page.js';
import {
  clearCredential,
  loadCredential,
  saveCredential,
  tokenSource,
  type Credential,
} from './session/credential.js';

/** The kit's themes: the console uses its --parley-* custom properties. */
const THEMES = ['light', 'dark', 'atas'] as const;
type Theme = (typeof THEMES)[number];

const PAGES: { route: Route['page']; label: AdminKey }[] = [
  { route: 'overview', label: 'nav.overview' },
  { route: 'users', label: 'nav.users' },
  { route: 'channels', label: 'nav.channels' },
  { route: 'moderation', label: 'nav.moderation' },
  { route: 'audit', label: 'nav.audit' },
];

function preferredTheme(): Theme {
  const stored = readStored('parley-admin-theme');
  return THEMES.find((theme) => theme === stored) ?? 'light';
}

/** The console: sign-in, then the pages, in the chosen language and theme. */
export function App() {
  const [language, setLanguage] = useState<Language>(preferredLanguage);
  const [theme, setTheme] = useState<Theme>(preferredTheme);
  const [credential, setCredential] = useState<Credential | null>(loadCredential);
  const i18n = useMemo(() => createI18n(language), [language]);
  const api = useMemo(
    () => (credential === null ? null : new AdminApi(tokenSource(credential))),
    [credential],
  );
  const route = useHashRoute();
  const main = useRef<HTMLElement>(null);
  const { t } = i18n;

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const pageTitle = t(
    credential === null ? 'login.title' : PAGES.find((p) => p.route === route.page)!.label,
  );
  useEffect(() => {
    document.title = `${pageTitle} · ${t('app.title')}`;
  }, [pageTitle, t]);

  // A new page takes the focus, so keyboard and screen reader users start at its top.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [route.page, route.cid]);

  const signIn = (next: Credential) => {
    saveCredential(next);
    setCredential(next);
  };
  const signOut = () => {
    clearCredential();
    setCredential(null);
  };

  return (
    <I18nContext.Provider value={i18n}>
      <div className={`parley parley-theme-${theme} admin`}>
        <a className="admin-skip" href="#main" onClick={skipToMain}>
          {t('app.skip')}
        </a>
        <header className="admin-header">
          <p className="admin-brand">{t('app.title')}</p>
          {credential !== null && (
            <nav aria-label={t('nav.label')}>
              <ul className="admin-nav">
                {PAGES.map((p) => (
                  <li key={p.route}>
                    <a
                      href={`#/${p.route}`}
                      aria-current={route.page === p.route ? 'page' : undefined}
                    >
                      {t(p.label)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div className="admin-prefs">
            <label>
              {t('app.language')}
              <select
                value={language}
                onChange={(e) => {
                  const next = e.target.value as Language;
                  writeStored('parley-admin-language', next);
                  setLanguage(next);
                }}
              >
                {Object.keys(LANGUAGES).map((code) => (
                  <option key={code} value={code}>
                    {t(`language.${code as Language}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('app.theme')}
              <select
                value={theme}
                onChange={(e) => {
                  const next = e.target.value as Theme;
                  writeStored('parley-admin-theme', next);
                  setTheme(next);
                }}
              >
                {THEMES.map((name) => (
                  <option key={name} value={name}>
                    {t(`theme.${name}`)}
                  </option>
                ))}
              </select>
            </label>
            {credential !== null && (
              <button type="button" onClick={signOut}>
                {t('app.signOut')}
              </button>
            )}
          </div>
        </header>
        <main id="main" ref={main} tabIndex={-1} className="admin-main">
          {api === null ? (
            <LoginPage onSignedIn={signIn} />
          ) : (
            <CurrentPage route={route} api={api} />
          )}
        </main>
      </div>
    </I18nContext.Provider>
  );
}

function CurrentPage({ route, api }: { route: Route; api: AdminApi }) {
  switch (route.page) {
    case 'users':
      return <UsersPage api={api} />;
    case 'channels':
      return route.cid === null ? (
        <ChannelsPage api={api} />
      ) : (
        <ChannelPage api={api} cid={route.cid} />
      );
    case 'moderation':
      return <ModerationPage api={api} />;
    case 'audit':
      return <AuditPage api={api} />;
    default:
      return <OverviewPage api={api} />;
  }
}

/** The skip link moves the focus (a hash link alone would change the console's route). */
function skipToMain(event: MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
