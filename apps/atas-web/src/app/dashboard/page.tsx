import type { Metadata } from 'next';
import Link from 'next/link';
import { ChatSession } from '@/chat/chat-session';
import { RequestChannels, UnreadBadge } from '@/chat/unread-counts';
import { getInvitations, getMe } from '@/lib/atas-server';
import { formatEventDates, STATUS_LABEL } from '@/lib/format';

export const metadata: Metadata = { title: 'Your requests' };
export const dynamic = 'force-dynamic';

export default async function Dashboard() {
  const [me, invitations] = await Promise.all([getMe('/dashboard'), getInvitations('/dashboard')]);
  return (
    <main className="page">
      <h1>Your requests</h1>
      {invitations.length === 0 ? (
        <p className="empty">
          {me.role === 'organizer'
            ? 'You have not invited any speaker yet.'
            : 'No invitations yet. They will show up here.'}
        </p>
      ) : (
        <ChatSession>
          <RequestChannels>
            <ul className="request-list" aria-label="Requests">
              {invitations.map((invitation) => {
                const other =
                  me.id === invitation.organizer.id ? invitation.speaker : invitation.organizer;
                return (
                  <li key={invitation.id}>
                    <Link
                      href={`/dashboard/requests/${invitation.id}`}
                      className="card request-row"
                    >
                      <span className="request-main">
                        <span className="request-title">{invitation.event.title}</span>
                        <span className="muted">
                          {me.id === invitation.organizer.id ? 'Speaker' : 'Organizer'}:{' '}
                          {other.name} ·{' '}
                          {formatEventDates(invitation.event.starts_at, invitation.event.ends_at)}
                        </span>
                      </span>
                      <span className={`status status-${invitation.status}`}>
                        {STATUS_LABEL[invitation.status]}
                      </span>
                      <UnreadBadge cid={invitation.chat.cid} />
                    </Link>
                  </li>
                );
              })}
            </ul>
          </RequestChannels>
        </ChatSession>
      )}
    </main>
  );
}
