import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ChatSession } from '@/chat/chat-session';
import { EventChat } from '@/chat/event-chat';
import { EventWhen } from '@/components/event-when';
import { EventForm } from '@/components/events/event-form';
import { EventInsights } from '@/components/events/event-insights';
import { InvitationList } from '@/components/invitations/invitation-list';
import { InviteForm } from '@/components/invitations/invite-form';
import { getEvent, getEventInsights, getEventInvitations } from '@/lib/atas-server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('event'))('title') };
}
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

/** The organizer's event: its details (editable), its invitations, their insights and its chat. */
export default async function EventPage({ params }: Props) {
  const { id } = await params;
  const from = `/dashboard/events/${encodeURIComponent(id)}`;
  const [event, invitations, insights] = await Promise.all([
    getEvent(id, from),
    getEventInvitations(id, from),
    getEventInsights(id, from),
  ]);
  const t = await getTranslations('event');
  return (
    <main className="page event-page">
      <p className="back">
        <Link href="/dashboard">{t('back')}</Link>
      </p>
      <div className="event-grid">
        <div className="event-main">
          <section className="card details" aria-labelledby="event-title">
            <p className="muted eyebrow">{t('eyebrow')}</p>
            <h1 id="event-title">{event.title}</h1>
            <dl>
              <dt>{t('when')}</dt>
              <dd>
                <EventWhen
                  startsAt={event.starts_at}
                  endsAt={event.ends_at}
                  timeZone={event.time_zone}
                />
              </dd>
              {event.location !== null && (
                <>
                  <dt>{t('venue')}</dt>
                  <dd>{event.location}</dd>
                </>
              )}
            </dl>
            {event.description !== null && (
              <p className="event-description" dir="auto">
                {event.description}
              </p>
            )}
            <details className="edit-event">
              <summary>{t('edit')}</summary>
              <EventForm event={event} />
            </details>
          </section>
          <InviteForm eventId={event.id} />
          <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{t('invitations')}</h2>
            <InvitationList invitations={invitations} />
          </section>
          <EventInsights insights={insights} />
        </div>
        <ChatSession>
          <EventChat eventId={event.id} organizer />
        </ChatSession>
      </div>
    </main>
  );
}
