import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ChatSession } from '@/chat/chat-session';
import { NotificationSettings } from '@/components/notification-settings';
import { ProfileForm } from '@/components/profile-form';
import { getMe } from '@/lib/atas-server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('profile'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function ProfilePage() {
  const me = await getMe('/dashboard/profile');
  const t = await getTranslations('profile');
  const header = await getTranslations('header');
  const notifications = await getTranslations('notifications');
  return (
    <main className="page narrow-wide">
      <p className="back">
        <Link href="/dashboard">{t('back')}</Link>
      </p>
      <h1>{t('title')}</h1>
      <p className="muted">
        {me.email} · {header(`role.${me.role}`)}. {t('intro')}
      </p>
      <ProfileForm name={me.name} avatarUrl={me.avatar_url} />
      <section className="card profile-section" aria-labelledby="notifications-title">
        <h2 id="notifications-title">{notifications('title')}</h2>
        <p className="muted">{notifications('intro')}</p>
        <NotificationSettings />
        <h3>{notifications('desktop')}</h3>
        <p className="muted">{notifications('desktopIntro')}</p>
        {/* Every chat page offers the same switch; here it is on its own. */}
        <ChatSession>{null}</ChatSession>
      </section>
    </main>
  );
}
