'use client';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/lib/browser-api';
import type { InvitationJson } from '@/lib/types';
import { LocalTime } from '../local-time';

/** The event's invitations with their status; resend a pending one, withdraw one. */
export function InvitationList({ invitations }: { invitations: InvitationJson[] }) {
  const t = useTranslations('invitations');
  if (invitations.length === 0) return <p className="empty">{t('none')}</p>;
  return (
    <ul className="invitation-list" aria-label={t('title')}>
      {invitations.map((invitation) => (
        <InvitationRow key={invitation.id} invitation={invitation} />
      ))}
    </ul>
  );
}

function InvitationRow({ invitation }: { invitation: InvitationJson }) {
  const t = useTranslations('invitations');
  const status = useTranslations('status');
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const { speaker } = invitation;

  async function act(action: 'resend' | 'withdraw') {
    setBusy(true);
    setResult(null);
    try {
      await callApi(`/api/v1/invitations/${encodeURIComponent(invitation.id)}/${action}`, {
        method: 'POST',
      });
      setResult({ ok: true, text: action === 'resend' ? t('resent') : t('withdrawn') });
      setConfirming(false);
      router.refresh();
    } catch (failure) {
      setResult({ ok: false, text: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      setBusy(false);
    }
  }

  const open = invitation.status === 'pending' || invitation.status === 'accepted';
  return (
    <li className="card invitation-row">
      <div className="request-main">
        <Link href={`/dashboard/requests/${invitation.id}`} className="request-title">
          {speaker.joined ? speaker.name : speaker.email}
        </Link>
        <span className="muted">
          {speaker.email}
          {!speaker.joined && ` · ${t('notJoined')}`} · {t('invited')}{' '}
          <LocalTime iso={invitation.created_at} />
        </span>
      </div>
      <span className={`status status-${invitation.status}`}>{status(invitation.status)}</span>
      <div className="actions">
        {invitation.status === 'pending' && (
          <button type="button" className="button" disabled={busy} onClick={() => act('resend')}>
            {t('resend')}
          </button>
        )}
        {open && !confirming && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            {t('withdraw')}
          </button>
        )}
        {open && confirming && (
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={() => act('withdraw')}
          >
            {t('confirmWithdraw')}
          </button>
        )}
      </div>
      {result !== null && (
        <p className={result.ok ? 'success' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
    </li>
  );
}
