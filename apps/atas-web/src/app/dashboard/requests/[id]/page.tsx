import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ChatSession } from '@/chat/chat-session';
import { CommunicationLog } from '@/chat/communication-log';
import { ReadOnlyLog } from '@/chat/read-only-log';
import { EventWhen } from '@/components/event-when';
import { LocalTime } from '@/components/local-time';
import { RequestActions } from '@/components/request-actions';
import { RequestTabs } from '@/components/request-tabs';
import { getInvitation, getMe } from '@/lib/atas-server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('request'))('title') };
}
export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ message?: string | string[] }>;
};

export default async function RequestPage({ params, searchParams }: Props) {
  const { id } = await params;
  // A search result leads here at its message: the log shows and marks it.
  const { message: focus } = await searchParams;
  const focusMessageId = typeof focus === 'string' && focus !== '' ? focus : undefined;
  const from = `/dashboard/requests/${encodeURIComponent(id)}`;
  const [me, invitation] = await Promise.all([getMe(from), getInvitation(id, from)]);
  const t = await getTranslations('request');
  const status = await getTranslations('status');
  const isSpeaker = me.id === invitation.speaker.id;
  const eventChatHref = `/dashboard/messages?c=${encodeURIComponent(`event:event_${invitation.event.id}`)}`;
  const details = (
    <section className="card details" aria-label={t('details')}>
      <p>
        <span className={`status status-${invitation.status}`} data-testid="status">
          {status(invitation.status)}
        </span>
      </p>
      <dl>
        <dt>{t('when')}</dt>
        <dd>
          <EventWhen
            startsAt={invitation.event.starts_at}
            endsAt={invitation.event.ends_at}
            timeZone={invitation.event.time_zone}
          />
        </dd>
        {invitation.event.location !== null && (
          <>
            <dt>{t('where')}</dt>
            <dd>{invitation.event.location}</dd>
          </>
        )}
        <dt>{t('organizer')}</dt>
        <dd>{invitation.organizer.name}</dd>
        <dt>{t('speaker')}</dt>
        <dd>{invitation.speaker.name}</dd>
        <dt>{t('invited')}</dt>
        <dd>
          <LocalTime iso={invitation.created_at} />
        </dd>
      </dl>
      {invitation.message !== null && invitation.message !== '' && (
        <blockquote className="invitation-message" dir="auto">
          {invitation.message}
        </blockquote>
      )}
      {isSpeaker && invitation.status === 'pending' && <RequestActions id={invitation.id} />}
      {invitation.status === 'accepted' && (
        <p>
          <Link href={eventChatHref} className="button">
            {t('eventChat')}
          </Link>
        </p>
      )}
      {!isSpeaker && (
        <p>
          <Link href={`/dashboard/events/${invitation.event.id}`}>{t('manageEvent')}</Link>
        </p>
      )}
    </section>
  );
  const chat =
    invitation.status === 'withdrawn' ? (
      <ReadOnlyLog invitationId={invitation.id} />
    ) : (
      <ChatSession>
        <CommunicationLog
          invitationId={invitation.id}
          channelId={invitation.chat.id}
          focusMessageId={focusMessageId}
          organizer={!isSpeaker}
        />
      </ChatSession>
    );
  return (
    <main className="page request-page">
      <p className="back">
        <Link href="/dashboard">{t('back')}</Link>
      </p>
      <p className="muted eyebrow">{t('eyebrow')}</p>
      <h1 className="request-heading">{invitation.event.title}</h1>
      <RequestTabs
        details={details}
        chat={chat}
        initial={focusMessageId === undefined ? 'details' : 'chat'}
      />
    </main>
  );
}
