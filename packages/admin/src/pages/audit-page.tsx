import { useCallback, useState, type FormEvent } from 'react';
import type { QueryAuditLogResponse } from '@parley/protocol';
import type { AdminApi } from '../api/admin-api.js';
import { channelHash } from '../components/hash-route.js';
import { ErrorNote } from '../components/notices.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { Pager } from '../components/pager.js';

/** Actions the log records (docs/protocol.md, "Audit log"), for the filter. */
const ACTIONS = [
  'flag',
  'flag.resolve',
  'ban',
  'unban',
  'mute',
  'unmute',
  'freeze',
  'unfreeze',
  'block',
  'unblock',
  'channel.mute',
  'channel.unmute',
  'message.delete',
  'message.hard_delete',
  'channel_type.create',
  'channel_type.update',
];

interface Filters {
  action: string;
  actor_id: string;
  target_user_id: string;
  cid: string;
}

const NO_FILTERS: Filters = { action: '', actor_id: '', target_user_id: '', cid: '' };

/** The audit log, newest first: filters by action, actor, target and channel; pages. */
export function AuditPage({ api }: { api: AdminApi }) {
  const { t, dateTime } = useI18n();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const load = useCallback(
    () => api.get<QueryAuditLogResponse>('/audit-log', { ...filters, cursor, limit: 25 }),
    [api, filters, cursor],
  );
  const { data, error, loading } = useLoad(load);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters({
      action: draft.action,
      actor_id: draft.actor_id.trim(),
      target_user_id: draft.target_user_id.trim(),
      cid: draft.cid.trim(),
    });
    setCursors([undefined]);
  };
  const field = (name: keyof Filters, label: string) => (
    <label>
      {label}
      <input
        value={draft[name]}
        onChange={(e) => setDraft((d) => ({ ...d, [name]: e.target.value }))}
      />
    </label>
  );

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('nav.audit')}</h1>
      <form className="admin-filters" onSubmit={submit} aria-label={t('audit.filters')}>
        <label>
          {t('audit.action')}
          <select
            value={draft.action}
            onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}
          >
            <option value="">{t('audit.anyAction')}</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        {field('actor_id', t('audit.actor'))}
        {field('target_user_id', t('audit.target'))}
        {field('cid', t('audit.channel'))}
        <button type="submit">{t('audit.apply')}</button>
      </form>
      <ErrorNote error={error} />
      {data !== null && (
        <table className="admin-table" aria-busy={loading}>
          <caption>{t('audit.caption', { n: data.entries.length, page: cursors.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.target')}</th>
              <th scope="col">{t('audit.channel')}</th>
              <th scope="col">{t('audit.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.map((entry) => (
              <tr key={entry.id}>
                <td>{dateTime(entry.created_at)}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>{entry.actor_id ?? t('moderation.server')}</td>
                <td>{entry.target_user_id ?? '—'}</td>
                <td>
                  {entry.cid === null ? '—' : <a href={channelHash(entry.cid)}>{entry.cid}</a>}
                </td>
                <td dir="auto">{entry.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={data?.next_cursor} />
    </section>
  );
}
