import { useCallback, useState, type FormEvent } from 'react';
import type { QueryChannelsResponse } from '@parley/protocol';
import type { AdminApi } from '../api/admin-api.js';
import { channelHash } from '../components/hash-route.js';
import { ErrorNote } from '../components/notices.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { Pager } from '../components/pager.js';

/**
 * Every channel, latest activity first (`all=true`: with the secret or an admin's token),
 * and a form to open any channel by its cid.
 */
export function ChannelsPage({ api }: { api: AdminApi }) {
  const { t, number, dateTime } = useI18n();
  const [type, setType] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [cid, setCid] = useState('');
  const cursor = cursors.at(-1);
  const load = useCallback(
    () =>
      api.get<QueryChannelsResponse>('/channels', {
        all: 'true',
        type,
        cursor,
        limit: 25,
        message_limit: 0,
      }),
    [api, type, cursor],
  );
  const { data, error, loading } = useLoad(load);

  const open = (event: FormEvent) => {
    event.preventDefault();
    if (cid.includes(':')) location.hash = channelHash(cid.trim());
  };

  return (
    <section aria-labelledby="channels-title">
      <h1 id="channels-title">{t('nav.channels')}</h1>
      <div className="admin-filters">
        <form onSubmit={open}>
          <label>
            {t('channels.openCid')}
            <input
              value={cid}
              placeholder="messaging:general"
              pattern="[^:]+:.+"
              onChange={(e) => setCid(e.target.value)}
            />
          </label>
          <button type="submit">{t('channels.open')}</button>
        </form>
        <label>
          {t('channels.type')}
          <input
            value={type}
            onChange={(e) => {
              setType(e.target.value.trim());
              setCursors([undefined]);
            }}
          />
        </label>
      </div>
      <ErrorNote error={error} />
      {data !== null && (
        <table className="admin-table" aria-busy={loading}>
          <caption>{t('channels.caption', { n: data.channels.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('channels.channel')}</th>
              <th scope="col">{t('channels.members')}</th>
              <th scope="col">{t('channels.lastMessage')}</th>
              <th scope="col">{t('channels.state')}</th>
            </tr>
          </thead>
          <tbody>
            {data.channels.map(({ channel }) => (
              <tr key={channel.cid}>
                <th scope="row">
                  <a href={channelHash(channel.cid)}>{channel.cid}</a>
                  {typeof channel.data.name === 'string' && (
                    <span className="admin-muted" dir="auto">
                      {' '}
                      {channel.data.name}
                    </span>
                  )}
                </th>
                <td>{number(channel.member_count)}</td>
                <td>{dateTime(channel.last_message_at)}</td>
                <td>{channel.frozen === true ? t('channels.frozen') : t('channels.open')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={data?.next_cursor} />
    </section>
  );
}
