import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <main className="page narrow">
      <h1>{t('title')}</h1>
      <p>{t('text')}</p>
      <p>
        <Link href="/dashboard">{t('back')}</Link>
      </p>
    </main>
  );
}
