import { useEffect, useMemo, useState } from 'react';
import { ApiError, type AdminApi } from '../api/admin-api.js';
import { ratePerSecond, sumMetrics } from '../api/prometheus-text.js';
import { LineChart } from '../components/line-chart.js';
import { ErrorNote, Stats } from '../components/notices.js';
import { useI18n } from '../i18n/i18n.js';

/** How often /metrics is read, and how many readings the chart keeps (5 minutes). */
const POLL_MS = 5_000;
const KEEP = 60;

interface Sample {
  at: number;
  connections: number;
  messages: number;
  /** Messages per second since the previous reading; null for the first. */
  rate: number | null;
}

/**
 * Open connections and messages per second of the node that serves the console, read
 * from its /metrics every 5 seconds while the page is open.
 */
export function LiveMetrics({ api }: { api: AdminApi }) {
  const { t, number } = useI18n();
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<Error | null>(null);

  useEffect(() => {
    let stopped = false;
    const read = async () => {
      try {
        const sums = sumMetrics(await api.metricsText());
        if (stopped) return;
        const at = Date.now();
        const messages = sums.get('parley_messages_total') ?? 0;
        setSamples((previous) => {
          const last = previous.at(-1) ?? null;
          const rate = ratePerSecond(last && { at: last.at, value: last.messages }, {
            at,
            value: messages,
          });
          const next = { at, connections: sums.get('parley_connections') ?? 0, messages, rate };
          return [...previous, next].slice(-KEEP);
        });
        setError(null);
      } catch (err) {
        if (!stopped) setError(err instanceof Error ? err : new Error(String(err)));
      }
    };
    void read();
    const timer = setInterval(() => void read(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  const latest = samples.at(-1);
  const chart = useMemo(
    () => ({
      x: samples.map((s) => s.at / 1000),
      labels: samples.map((s) => new Date(s.at).toLocaleTimeString()),
      series: [
        { label: t('live.connections'), values: samples.map((s) => s.connections) },
        { label: t('live.rate'), values: samples.map((s) => s.rate) },
      ],
    }),
    [samples, t],
  );

  return (
    <section aria-labelledby="live-title" className="admin-live">
      <h2 id="live-title">{t('live.title')}</h2>
      {error instanceof ApiError && error.status === 404 ? (
        <p>{t('live.unavailable')}</p>
      ) : (
        <ErrorNote error={error} />
      )}
      <Stats
        items={[
          {
            label: t('live.connections'),
            value: latest === undefined ? '…' : number(latest.connections),
          },
          {
            label: t('live.rate'),
            value: latest?.rate == null ? '…' : number(latest.rate),
          },
          {
            label: t('live.stored'),
            value: latest === undefined ? '…' : number(latest.messages),
          },
        ]}
      />
      {samples.length > 1 && (
        <LineChart
          title={t('live.chart')}
          x={chart.x}
          xLabels={chart.labels}
          series={chart.series}
          height={160}
        />
      )}
    </section>
  );
}
