import { useCallback, useState } from 'react';
import type { ChannelState } from '@parley/protocol';
import { channelPath, type AdminApi } from '../api/admin-api.js';
import { ErrorNote, StatusNote } from '../components/notices.js';
import { MessageItem } from '../components/message-item.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';

/** One channel: members, recent messages (deletable), freeze or unfreeze, delete. */
export function ChannelPage({ api, cid }: { api: AdminApi; cid: string }) {
  const { t, number } = useI18n();
  const [status, setStatus] = useState('');
  const [actionError, setActionError] = useState<Error | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [reason, setReason] = useState('');
  const path = channelPath(cid);
  const load = useCallback(() => api.get<ChannelState>(path, { message_limit: 20 }), [api, path]);
  const { data, error, reload } = useLoad(load);

  const act = async (done: string, action: () => Promise<unknown>, then = reload) => {
    setActionError(null);
    try {
      await action();
      setStatus(done);
      then();
    } catch (err) {
      setStatus('');
      setActionError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const frozen = data?.channel.frozen === true;
  const body = reason.trim() === '' ? {} : { reason: reason.trim() };

  return (
    <section aria-labelledby="channel-title">
      <p>
        <a href="#/channels">{t('channel.back')}</a>
      </p>
      <h1 id="channel-title">{t('channel.title', { cid })}</h1>
      <StatusNote text={status} />
      <ErrorNote error={actionError ?? error} />
      {data !== null && (
        <>
          <p>
            {frozen ? t('channel.isFrozen') : t('channel.isOpen')}{' '}
            {t('channel.memberCount', { n: number(data.channel.member_count) })}
          </p>
          <div className="admin-actions" role="group" aria-label={t('channel.actions')}>
            <label>
              {t('ban.reason')}
              <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            </label>
            <button
              type="button"
              onClick={() =>
                void act(t(frozen ? 'channel.unfrozen' : 'channel.frozen'), () =>
                  frozen ? api.delete(`${path}/freeze`, body) : api.post(`${path}/freeze`, body),
                )
              }
            >
              {frozen ? t('channel.unfreeze') : t('channel.freeze')}
            </button>
            {confirmDelete ? (
              <>
                <button
                  type="button"
                  className="admin-danger"
                  onClick={() =>
                    void act(
                      t('channel.deleted', { cid }),
                      () => api.delete(path),
                      () => (location.hash = '#/channels'),
                    )
                  }
                >
                  {t('channel.confirmDelete', { cid })}
                </button>
                <button type="button" onClick={() => setConfirmDelete(false)}>
                  {t('common.cancel')}
                </button>
              </>
            ) : (
              <button type="button" className="admin-danger" onClick={() => setConfirmDelete(true)}>
                {t('channel.delete')}
              </button>
            )}
          </div>
          <div className="admin-columns">
            <section aria-labelledby="members-title">
              <h2 id="members-title">{t('channel.members')}</h2>
              <ul className="admin-list">
                {data.members.map((m) => (
                  <li key={m.user_id}>
                    <span dir="auto">{m.user.name ?? m.user_id}</span>{' '}
                    <span className="admin-muted">
                      {m.user_id} · {t(`memberRole.${m.role}`)}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
            <section aria-labelledby="messages-title">
              <h2 id="messages-title">{t('channel.recent')}</h2>
              {data.messages.length === 0 ? (
                <p>{t('channel.noMessages')}</p>
              ) : (
                <ol className="admin-messages">
                  {[...data.messages].reverse().map((message) => (
                    <MessageItem key={message.id} message={message}>
                      {message.deleted_at === null && (
                        <button
                          type="button"
                          aria-label={t('channel.deleteMessageOf', {
                            user: message.user_id ?? '—',
                          })}
                          onClick={() =>
                            void act(t('channel.messageDeleted'), () =>
                              api.delete(`/messages/${encodeURIComponent(message.id)}`),
                            )
                          }
                        >
                          {t('channel.deleteMessage')}
                        </button>
                      )}
                    </MessageItem>
                  ))}
                </ol>
              )}
            </section>
          </div>
        </>
      )}
    </section>
  );
}
