import type { Metadata } from 'next';
import Link from 'next/link';
import { ChatSession } from '@/chat/chat-session';
import { CommunicationLog } from '@/chat/communication-log';
import { RequestActions } from '@/components/request-actions';
import { getInvitation, getMe } from '@/lib/atas-server';
import { formatDateTime, formatEventDates, STATUS_LABEL } from '@/lib/format';

export const metadata: Metadata = { title: 'Request' };
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export default async function RequestPage({ params }: Props) {
  const { id } = await params;
  const from = `/dashboard/requests/${encodeURIComponent(id)}`;
  const [me, invitation] = await Promise.all([getMe(from), getInvitation(id, from)]);
  const isSpeaker = me.id === invitation.speaker.id;
  return (
    <main className="page request-page">
      <p className="back">
        <Link href="/dashboard">← All requests</Link>
      </p>
      <div className="request-grid">
        <section className="card details" aria-labelledby="request-title">
          <p className="muted eyebrow">Invitation to speak</p>
          <h1 id="request-title">{invitation.event.title}</h1>
          <p>
            <span className={`status status-${invitation.status}`} data-testid="status">
              {STATUS_LABEL[invitation.status]}
            </span>
          </p>
          <dl>
            <dt>When</dt>
            <dd>{formatEventDates(invitation.event.starts_at, invitation.event.ends_at)}</dd>
            {invitation.event.location !== null && (
              <>
                <dt>Where</dt>
                <dd>{invitation.event.location}</dd>
              </>
            )}
            <dt>Organizer</dt>
            <dd>{invitation.organizer.name}</dd>
            <dt>Speaker</dt>
            <dd>{invitation.speaker.name}</dd>
            <dt>Invited</dt>
            <dd>{formatDateTime(invitation.created_at)}</dd>
          </dl>
          {invitation.message !== null && invitation.message !== '' && (
            <blockquote className="invitation-message">{invitation.message}</blockquote>
          )}
          {isSpeaker && invitation.status === 'pending' && <RequestActions id={invitation.id} />}
        </section>
        <ChatSession>
          <CommunicationLog invitationId={invitation.id} channelId={invitation.chat.id} />
        </ChatSession>
      </div>
    </main>
  );
}
