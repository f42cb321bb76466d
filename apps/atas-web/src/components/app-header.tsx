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
        <Link href="/dashboard">{t('dashboard')}</Link>
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
