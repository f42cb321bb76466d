import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { LoginForm } from '@/components/login-form';
import { safeNext } from '@/lib/safe-next';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('login'))('title') };
}

type Props = { searchParams: Promise<{ next?: string; reason?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next, reason } = await searchParams;
  const t = await getTranslations('login');
  return (
    <main className="page narrow login">
      <p className="brand brand-large" aria-hidden="true">
        ATAS
      </p>
      <h1>{t('title')}</h1>
      {reason === 'expired' && (
        <p className="notice" role="status">
          {t('expired')}
        </p>
      )}
      {reason === 'reset' && (
        <p className="notice" role="status">
          {t('resetSent')}
        </p>
      )}
      <LoginForm next={safeNext(next)} />
      <p className="form-links">
        <Link href="/forgot-password">{t('forgot')}</Link>
        <Link href="/signup">{t('signup')}</Link>
      </p>
    </main>
  );
}
