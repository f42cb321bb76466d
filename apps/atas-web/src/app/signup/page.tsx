import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AccountForm } from '@/components/auth/account-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('signup'))('title') };
}

export default async function SignupPage() {
  const t = await getTranslations('signup');
  return (
    <main className="page narrow">
      <p className="brand brand-large" aria-hidden="true">
        ATAS
      </p>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <AccountForm
        action="/api/signup"
        fields={['name', 'email', 'password']}
        submit={t('submit')}
        busyLabel={t('busy')}
        next="/dashboard/events/new"
      />
      <p className="form-links">
        <Link href="/login">{t('haveAccount')}</Link>
      </p>
    </main>
  );
}
