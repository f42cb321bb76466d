import { useCallback, useState, type FormEvent } from 'react';
import type { QueryUsersResponse, User } from '@parley/protocol';
import type { AdminApi } from '../api/admin-api.js';
import { ErrorNote, StatusNote } from '../components/notices.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { BanForm } from './ban-form.js';

/**
 * Users: search by name or id prefix, change an app role (`PUT /users/:id/role`: the secret
 * or an admin's token), ban and unban app-wide.
 */
export function UsersPage({ api }: { api: AdminApi }) {
  const { t, dateTime } = useI18n();
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState({
    q: '',
    role: '',
    cursor: undefined as string | undefined,
  });
  const [status, setStatus] = useState('');
  const [actionError, setActionError] = useState<Error | null>(null);
  const [banning, setBanning] = useState<string | null>(null);
  const load = useCallback(
    () => api.get<QueryUsersResponse>('/users', { ...search, limit: 25 }),
    [api, search],
  );
  const { data, error, loading, reload } = useLoad(load);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch((s) => ({ ...s, q: draft.trim(), cursor: undefined }));
  };

  const act = async (done: string, action: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await action();
      setStatus(done);
      reload();
    } catch (err) {
      setStatus('');
      setActionError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  const setRole = (user: User, role: User['role']) =>
    act(t('users.roleChanged', { user: user.id, role: t(`role.${role}`) }), () =>
      api.put(`/users/${encodeURIComponent(user.id)}/role`, { role }),
    );
  const unban = (user: User) =>
    act(t('users.unbanned', { user: user.id }), async () => {
      const { lifted } = await api.delete<{ lifted: boolean }>('/moderation/ban', {
        target_user_id: user.id,
      });
      if (!lifted) throw new Error(t('users.notBanned', { user: user.id }));
    });

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('nav.users')}</h1>
      <form className="admin-filters" role="search" onSubmit={submit}>
        <label>
          {t('users.search')}
          <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <label>
          {t('users.role')}
          <select
            value={search.role}
            onChange={(e) => setSearch((s) => ({ ...s, role: e.target.value, cursor: undefined }))}
          >
            <option value="">{t('users.anyRole')}</option>
            <option value="user">{t('role.user')}</option>
            <option value="admin">{t('role.admin')}</option>
          </select>
        </label>
        <button type="submit">{t('users.find')}</button>
      </form>
      <StatusNote text={status} />
      <ErrorNote error={actionError ?? error} />
      {data !== null && (
        <table className="admin-table" aria-busy={loading}>
          <caption>{t('users.caption', { n: data.users.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('users.user')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.lastActive')}</th>
              <th scope="col">{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.users.map((user) => (
              <tr key={user.id}>
                <th scope="row">
                  <span dir="auto">{user.name ?? user.id}</span>
                  <span className="admin-muted"> {user.id}</span>
                  {user.online && <span className="admin-badge"> {t('users.online')}</span>}
                </th>
                <td>
                  <select
                    aria-label={t('users.roleOf', { user: user.id })}
                    value={user.role}
                    onChange={(e) => void setRole(user, e.target.value as User['role'])}
                  >
                    <option value="user">{t('role.user')}</option>
                    <option value="admin">{t('role.admin')}</option>
                  </select>
                </td>
                <td>{dateTime(user.last_active)}</td>
                <td className="admin-actions">
                  <button
                    type="button"
                    aria-expanded={banning === user.id}
                    aria-label={t('users.banUser', { user: user.id })}
                    onClick={() => setBanning(banning === user.id ? null : user.id)}
                  >
                    {t('users.ban')}
                  </button>
                  <button
                    type="button"
                    aria-label={t('users.unbanUser', { user: user.id })}
                    onClick={() => void unban(user)}
                  >
                    {t('users.unban')}
                  </button>
                  {banning === user.id && (
                    <BanForm
                      userId={user.id}
                      onCancel={() => setBanning(null)}
                      onBan={(ban) =>
                        act(t('users.banned', { user: user.id }), async () => {
                          await api.post('/moderation/ban', { target_user_id: user.id, ...ban });
                          setBanning(null);
                        })
                      }
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data?.next_cursor != null && (
        <button
          type="button"
          onClick={() => setSearch((s) => ({ ...s, cursor: data.next_cursor ?? undefined }))}
        >
          {t('common.nextPage')}
        </button>
      )}
    </section>
  );
}
