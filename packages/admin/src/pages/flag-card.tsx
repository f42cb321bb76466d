import { useState } from 'react';
import type { Flag } from '@parley/protocol';
import type { AdminApi } from '../api/admin-api.js';
import { channelHash } from '../components/hash-route.js';
import { MessageItem } from '../components/message-item.js';
import { useI18n } from '../i18n/i18n.js';
import { BanForm } from './ban-form.js';

/** Runs an action on a flag's target (none: dismiss), then resolves the flag. */
export type ActOnFlag = (
  flag: Flag,
  done: string,
  resolution: 'dismissed' | 'actioned',
  action?: () => Promise<unknown>,
) => Promise<void>;

/** One flag: who flagged what and why, the message in context, and the actions. */
export function FlagCard({ flag, api, act }: { flag: Flag; api: AdminApi; act: ActOnFlag }) {
  const { t, dateTime } = useI18n();
  const [form, setForm] = useState<'ban' | 'mute' | null>(null);
  const target = flag.target_user_id;
  const titleId = `flag-${flag.id}`;
  const open = flag.resolution === null;

  return (
    <li className="admin-flag">
      <h2 id={titleId} className="admin-flag-title">
        {t(`flagKind.${flag.kind}`, { user: target ?? '—' })}
      </h2>
      <p className="admin-muted">
        {t('moderation.flaggedBy', {
          who: flag.flagged_by ?? t('moderation.server'),
          when: dateTime(flag.created_at),
        })}
        {flag.cid !== null && (
          <>
            {' · '}
            <a href={channelHash(flag.cid)}>{flag.cid}</a>
          </>
        )}
      </p>
      {flag.reason !== null && (
        <p>
          {t('moderation.reason')} <q dir="auto">{flag.reason}</q>
        </p>
      )}
      {flag.message !== null && (
        <ol className="admin-messages" aria-label={t('moderation.context')}>
          {flag.context.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
          <MessageItem message={flag.message} highlight />
        </ol>
      )}
      {!open && (
        <p>
          {t(`resolution.${flag.resolution!}`, {
            who: flag.resolved_by ?? t('moderation.server'),
            when: dateTime(flag.resolved_at),
          })}
        </p>
      )}
      {open && (
        <div className="admin-actions" role="group" aria-label={t('moderation.actions')}>
          {flag.message !== null && flag.message.deleted_at === null && (
            <button
              type="button"
              className="admin-danger"
              onClick={() =>
                void act(flag, t('moderation.deletedDone'), 'actioned', () =>
                  api.delete(`/messages/${encodeURIComponent(flag.message!.id)}`),
                )
              }
            >
              {t('moderation.delete')}
            </button>
          )}
          {target !== null && (
            <button
              type="button"
              aria-expanded={form === 'ban'}
              onClick={() => setForm(form === 'ban' ? null : 'ban')}
            >
              {t('moderation.ban', { user: target })}
            </button>
          )}
          {target !== null && flag.cid !== null && (
            <button
              type="button"
              aria-expanded={form === 'mute'}
              onClick={() => setForm(form === 'mute' ? null : 'mute')}
            >
              {t('moderation.mute', { user: target })}
            </button>
          )}
          <button
            type="button"
            onClick={() => void act(flag, t('moderation.dismissedDone'), 'dismissed')}
          >
            {t('moderation.dismiss')}
          </button>
        </div>
      )}
      {open && form !== null && target !== null && (
        <BanForm
          userId={target}
          verb={form}
          onCancel={() => setForm(null)}
          onBan={(choice) =>
            act(
              flag,
              t(form === 'ban' ? 'users.banned' : 'moderation.mutedDone', { user: target }),
              'actioned',
              () =>
                api.post(`/moderation/${form}`, {
                  target_user_id: target,
                  // A ban from the flag's channel; app-wide for a flagged user.
                  ...(flag.cid !== null && { cid: flag.cid }),
                  ...choice,
                }),
            )
          }
        />
      )}
    </li>
  );
}
