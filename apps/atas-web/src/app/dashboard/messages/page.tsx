import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import { ChatSession } from '@/chat/chat-session';
import { Inbox } from '@/chat/inbox';
import { MessageSearch } from '@/chat/message-search';
import { getInvitations, getMe } from '@/lib/atas-server';
import { requestLabels } from '@/lib/request-labels';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function MessagesPage() {
  const from = '/dashboard/messages';
  const [me, invitations] = await Promise.all([getMe(from), getInvitations(from)]);
  const t = await getTranslations('inbox');
  return (
    <main className="page inbox-page">
      <h1>{t('title')}</h1>
      <ChatSession>
        <MessageSearch labels={requestLabels(me.id, invitations)} />
        <Suspense>
          <Inbox />
        </Suspense>
      </ChatSession>
    </main>
  );
}
