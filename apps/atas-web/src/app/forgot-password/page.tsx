import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ForgotPasswordForm } from '@/components/auth/forgot-password-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('forgot'))('title') };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations('forgot');
  return (
    <main className="page narrow">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <ForgotPasswordForm />
      <p className="form-links">
        <Link href="/login">{t('back')}</Link>
      </p>
    </main>
  );
}
