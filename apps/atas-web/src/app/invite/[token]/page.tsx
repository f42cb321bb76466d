import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AccountForm } from '@/components/auth/account-form';
import { EventWhen } from '@/components/event-when';
import { publicGet } from '@/lib/atas-server';
import type { ApiErrorBody, InvitationJson } from '@/lib/types';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('invite'))('title') };
}

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ token: string }> };

/** Where the link of an invitation email lands: the speaker sets a name and a password. */
export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const t = await getTranslations('invite');
  const answer = await publicGet<{ email: string; invitation: InvitationJson } | ApiErrorBody>(
    `/api/v1/invite-links/${encodeURIComponent(token)}`,
  );
  if (answer.body === null || 'error' in answer.body) {
    const code = answer.body !== null && 'error' in answer.body ? answer.body.error.code : '';
    const reason = code === 'link_expired' ? 'expired' : code === 'link_used' ? 'used' : 'invalid';
    return (
      <main className="page narrow">
        <h1>{t('title')}</h1>
        <p className="notice" role="alert">
          {t(`errors.${reason}`)}
        </p>
        <p className="form-links">
          <Link href="/login">{t('login')}</Link>
          <Link href="/forgot-password">{t('forgot')}</Link>
        </p>
      </main>
    );
  }
  const { email, invitation } = answer.body;
  return (
    <main className="page narrow">
      <p className="brand brand-large" aria-hidden="true">
        ATAS
      </p>
      <h1>
        {t('heading', { organizer: invitation.organizer.name, event: invitation.event.title })}
      </h1>
      <p>
        <EventWhen
          startsAt={invitation.event.starts_at}
          endsAt={invitation.event.ends_at}
          timeZone={invitation.event.time_zone}
        />
      </p>
      {invitation.message !== null && invitation.message !== '' && (
        <blockquote className="invitation-message" dir="auto">
          {invitation.message}
        </blockquote>
      )}
      <p className="muted">{t('intro', { email })}</p>
      <AccountForm
        action={`/api/invite/${encodeURIComponent(token)}`}
        fields={['name', 'password']}
        submit={t('submit')}
        busyLabel={t('busy')}
        next="/dashboard"
      />
    </main>
  );
}
