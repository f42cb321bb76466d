import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { PublicUser } from '@/lib/types';
import { LogoutButton } from './logout-button';

export async function AppHeader({ user }: { user: PublicUser }) {
  const t = await getTranslations('header');
  return (
    <header className="app-header">
      <Link href="/dashboard" className="brand">
        ATAS
      </Link>
      <nav aria-label={t('main')} className="main-nav">
        {/* On a phone the brand is the way to the dashboard (CSS hides this link). */}
        <Link href="/dashboard" className="nav-dashboard">
          {t('dashboard')}
        </Link>
        <Link href="/dashboard/messages">{t('messages')}</Link>
      </nav>
      <nav aria-label={t('account')} className="account">
        <Link href="/dashboard/profile" className="profile-link">
          <span className="profile-name">{user.name}</span>{' '}
          <span className="role">({t(`role.${user.role}`)})</span>
        </Link>
        <LogoutButton />
      </nav>
    </header>
  );
}
