import { useCallback, useState } from 'react';
import type { QueryFlagsResponse } from '@parley/protocol';
import type { AdminApi } from '../api/admin-api.js';
import { ErrorNote, StatusNote } from '../components/notices.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { FlagCard, type ActOnFlag } from './flag-card.js';
import { Pager } from '../components/pager.js';

type Status = 'open' | 'resolved';

/**
 * The moderation queue: each flag with the flagged message in its context. Acting on a
 * flag (delete the message, ban or mute its author) resolves it as actioned; dismissing
 * resolves it as dismissed. Either takes it out of the open queue.
 */
export function ModerationPage({ api }: { api: AdminApi }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status>('open');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<Error | null>(null);
  const cursor = cursors.at(-1);
  const load = useCallback(
    () => api.get<QueryFlagsResponse>('/moderation/flags', { status, cursor, limit: 10 }),
    [api, status, cursor],
  );
  const { data, error, reload } = useLoad(load);

  const act: ActOnFlag = async (flag, done, resolution, action) => {
    setActionError(null);
    try {
      await action?.();
      await api.post(`/moderation/flags/${encodeURIComponent(flag.id)}/resolve`, { resolution });
      setNote(done);
      reload();
    } catch (err) {
      setNote('');
      setActionError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return (
    <section aria-labelledby="moderation-title">
      <h1 id="moderation-title">{t('nav.moderation')}</h1>
      <div className="admin-filters">
        <label>
          {t('moderation.show')}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as Status);
              setCursors([undefined]);
            }}
          >
            <option value="open">{t('moderation.open')}</option>
            <option value="resolved">{t('moderation.resolved')}</option>
          </select>
        </label>
      </div>
      <StatusNote text={note} />
      <ErrorNote error={actionError ?? error} />
      {data !== null && data.flags.length === 0 && <p>{t('moderation.empty')}</p>}
      {data !== null && (
        <ul className="admin-flags">
          {data.flags.map((flag) => (
            <FlagCard key={flag.id} flag={flag} api={api} act={act} />
          ))}
        </ul>
      )}
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={data?.next_cursor} />
    </section>
  );
}
