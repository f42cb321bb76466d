import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
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
    </main>
  );
}
