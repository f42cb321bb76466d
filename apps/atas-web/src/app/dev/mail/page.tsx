import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { LocalTime } from '@/components/local-time';
import { publicGet } from '@/lib/atas-server';

export const metadata: Metadata = { title: 'Dev mailbox', robots: { index: false } };
export const dynamic = 'force-dynamic';

interface StoredEmail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  created_at: string;
}

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

/**
 * The file outboxes of a developer's machine (`npm start`): every email ATAS and Parley
 * "sent", newest first, with its links clickable. Not found unless the API runs with
 * `devMailbox` and no SMTP.
 */
export default async function DevMailPage() {
  const answer = await publicGet<{ emails: StoredEmail[] }>('/api/v1/dev/mail');
  if (answer.status !== 200 || answer.body === null) notFound();
  const t = await getTranslations('devMail');
  const { emails } = answer.body;
  return (
    <main className="page narrow-wide dev-mail">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {emails.length === 0 && <p className="empty">{t('empty')}</p>}
      <ol className="mail-list" aria-label={t('title')}>
        {emails.map((email) => (
          <li key={email.id} className="card">
            <h2>{email.subject}</h2>
            <p className="muted">
              {t('from')} {email.from} · {t('to')} {email.to} · <LocalTime iso={email.created_at} />
            </p>
            <pre className="mail-text">
              {email.text.split(URL_PATTERN).map((part, i) =>
                i % 2 === 1 ? (
                  <a key={i} href={part}>
                    {part}
                  </a>
                ) : (
                  part
                ),
              )}
            </pre>
          </li>
        ))}
      </ol>
    </main>
  );
}
