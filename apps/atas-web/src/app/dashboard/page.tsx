import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ChatSession } from '@/chat/chat-session';
import { MessageSearch } from '@/chat/message-search';
import { RequestChannels, UnreadBadge } from '@/chat/unread-counts';
import { EventWhen } from '@/components/event-when';
import { getEvents, getInvitations, getMe } from '@/lib/atas-server';
import { requestLabels } from '@/lib/request-labels';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard'))('requests') };
}
export const dynamic = 'force-dynamic';

export default async function Dashboard() {
  const [me, invitations] = await Promise.all([getMe('/dashboard'), getInvitations('/dashboard')]);
  const events = me.role === 'organizer' ? await getEvents('/dashboard') : [];
  const t = await getTranslations('dashboard');
  const status = await getTranslations('status');
  return (
    <main className="page dashboard-page">
      <ChatSession>
        <MessageSearch labels={requestLabels(me.id, invitations)} />
        {me.role === 'organizer' && (
          <section aria-labelledby="events-heading" className="dashboard-section">
            <div className="section-head">
              <h1 id="events-heading">{t('events')}</h1>
              <Link href="/dashboard/events/new" className="button primary">
                {t('newEvent')}
              </Link>
            </div>
            {events.length === 0 ? (
              <p className="empty">{t('noEvents')}</p>
            ) : (
              <ul className="request-list" aria-label={t('events')}>
                {events.map((event) => (
                  <li key={event.id}>
                    <Link href={`/dashboard/events/${event.id}`} className="card request-row">
                      <span className="request-main">
                        <span className="request-title">{event.title}</span>
                        <span className="muted">
                          <EventWhen
                            startsAt={event.starts_at}
                            endsAt={event.ends_at}
                            timeZone={event.time_zone}
                          />
                        </span>
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        <section aria-labelledby="requests-heading" className="dashboard-section">
          {me.role === 'organizer' ? (
            <h2 id="requests-heading">{t('requests')}</h2>
          ) : (
            <h1 id="requests-heading">{t('requests')}</h1>
          )}
          {invitations.length === 0 ? (
            <p className="empty">
              {me.role === 'organizer' ? t('noRequestsOrganizer') : t('noRequestsSpeaker')}
            </p>
          ) : (
            <RequestChannels>
              <ul className="request-list" aria-label={t('requestsList')}>
                {invitations.map((invitation) => {
                  const isOrganizer = me.id === invitation.organizer.id;
                  const other = isOrganizer ? invitation.speaker : invitation.organizer;
                  return (
                    <li key={invitation.id}>
                      <Link
                        href={`/dashboard/requests/${invitation.id}`}
                        className="card request-row"
                      >
                        <span className="request-main">
                          <span className="request-title">{invitation.event.title}</span>
                          <span className="muted">
                            {isOrganizer ? t('speaker') : t('organizer')}: {other.name} ·{' '}
                            <EventWhen
                              startsAt={invitation.event.starts_at}
                              endsAt={invitation.event.ends_at}
                              timeZone={invitation.event.time_zone}
                            />
                          </span>
                        </span>
                        <span className={`status status-${invitation.status}`}>
                          {status(invitation.status)}
                        </span>
                        <UnreadBadge cid={invitation.chat.cid} />
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </RequestChannels>
          )}
        </section>
      </ChatSession>
    </main>
  );
}
