import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import { ChatSession } from '@/chat/chat-session';
import { Inbox } from '@/chat/inbox';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function MessagesPage() {
  const t = await getTranslations('inbox');
  return (
    <main className="page inbox-page">
      <h1>{t('title')}</h1>
      <ChatSession>
        <Suspense>
          <Inbox />
        </Suspense>
      </ChatSession>
    </main>
  );
}
