import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EventForm } from '@/components/events/event-form';
import { getMe } from '@/lib/atas-server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('eventForm'))('newLabel') };
}
export const dynamic = 'force-dynamic';

export default async function NewEventPage() {
  const me = await getMe('/dashboard/events/new');
  if (me.role !== 'organizer') notFound();
  const t = await getTranslations('eventForm');
  return (
    <main className="page narrow-wide">
      <p className="back">
        <Link href="/dashboard">{t('back')}</Link>
      </p>
      <h1>{t('newLabel')}</h1>
      <EventForm />
    </main>
  );
}
