import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AccountForm } from '@/components/auth/account-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('reset'))('title') };
}

type Props = { params: Promise<{ token: string }> };

export default async function ResetPasswordPage({ params }: Props) {
  const { token } = await params;
  const t = await getTranslations('reset');
  return (
    <main className="page narrow">
      <h1>{t('title')}</h1>
      <AccountForm
        action="/api/reset-password"
        fields={['password']}
        extra={{ token }}
        submit={t('submit')}
        busyLabel={t('busy')}
        next="/dashboard"
      />
    </main>
  );
}
