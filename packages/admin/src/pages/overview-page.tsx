import { useCallback, useMemo, useState } from 'react';
import type { AnalyticsResponse } from '@parley/protocol';
import type { AdminApi } from '../api/admin-api.js';
import { channelHash } from '../components/hash-route.js';
import { LineChart } from '../components/line-chart.js';
import { ErrorNote, Stats } from '../components/notices.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { LiveMetrics } from './live-metrics.js';

const RANGES = [7, 30, 90] as const;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (UTC) of a time: the days analytics counts in. */
function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Analytics of the last days as figures and charts, and the live figures of this node. */
export function OverviewPage({ api }: { api: AdminApi }) {
  const { t, number } = useI18n();
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const load = useCallback(() => {
    const now = Date.now();
    return api.get<AnalyticsResponse>('/analytics', {
      from: utcDay(now - (days - 1) * DAY_MS),
      to: utcDay(now),
      granularity: days > 30 ? 'week' : 'day',
    });
  }, [api, days]);
  const { data, error } = useLoad(load);

  const chart = useMemo(() => {
    if (data === null) return null;
    return {
      x: data.buckets.map((b) => Date.parse(`${b.start}T00:00:00Z`) / 1000),
      labels: data.buckets.map((b) => b.start),
      activity: [
        { label: t('overview.messages'), values: data.buckets.map((b) => b.messages) },
        { label: t('overview.activeUsers'), values: data.buckets.map((b) => b.active_users) },
      ],
      response: [
        {
          label: t('overview.firstResponseMin'),
          values: data.buckets.map((b) =>
            b.median_first_response_s === null ? null : b.median_first_response_s / 60,
          ),
        },
      ],
    };
  }, [data, t]);

  const duration = (s: number | null) =>
    s === null
      ? '—'
      : s < 60
        ? t('overview.seconds', { n: number(s) })
        : t('overview.minutes', { n: number(s / 60) });

  return (
    <section aria-labelledby="overview-title">
      <div className="admin-title-row">
        <h1 id="overview-title">{t('nav.overview')}</h1>
        <label>
          {t('overview.range')}
          <select value={days} onChange={(e) => setDays(Number(e.target.value) as typeof days)}>
            {RANGES.map((n) => (
              <option key={n} value={n}>
                {t('overview.lastDays', { n })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <LiveMetrics api={api} />
      <h2>{t('overview.analytics', { n: days })}</h2>
      <ErrorNote error={error} />
      {data !== null && chart !== null && (
        <>
          <Stats
            items={[
              { label: t('overview.messages'), value: number(data.totals.messages) },
              { label: t('overview.activeUsers'), value: number(data.totals.active_users) },
              { label: t('overview.newChannels'), value: number(data.totals.new_channels) },
              {
                label: t('overview.firstResponse'),
                value: duration(data.totals.median_first_response_s),
              },
              { label: t('overview.dau'), value: number(data.daily_active_users) },
              { label: t('overview.mau'), value: number(data.monthly_active_users) },
            ]}
          />
          <div className="admin-charts">
            <LineChart
              title={t('overview.activityChart')}
              x={chart.x}
              xLabels={chart.labels}
              series={chart.activity}
            />
            <LineChart
              title={t('overview.responseChart')}
              x={chart.x}
              xLabels={chart.labels}
              series={chart.response}
            />
          </div>
          <h2>{t('overview.busiest')}</h2>
          {data.busiest_channels.length === 0 ? (
            <p>{t('overview.noMessages')}</p>
          ) : (
            <ol className="admin-busiest">
              {data.busiest_channels.map((c) => (
                <li key={c.cid}>
                  <a href={channelHash(c.cid)}>{c.cid}</a>{' '}
                  <span className="admin-muted">
                    {t(c.messages === 1 ? 'overview.oneMessage' : 'overview.messageCount', {
                      n: number(c.messages),
                    })}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
