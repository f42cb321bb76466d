import { getLocale, getTranslations } from 'next-intl/server';
import { intlLocale } from '@/lib/date-style';
import { formatDuration } from '@/lib/duration';
import type { EventInsightsJson } from '@/lib/types';

const STATUSES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;

/**
 * The organizer's Insights panel of an event: its invitations by status, and per request
 * the messages written and how long the first answer took, with the median over requests.
 */
export async function EventInsights({ insights }: { insights: EventInsightsJson }) {
  const t = await getTranslations('insights');
  const status = await getTranslations('status');
  const locale = intlLocale(await getLocale());
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  const duration = (seconds: number | null, none: string) =>
    seconds === null ? none : formatDuration(seconds, locale);
  const chatFigure = (value: number | null) => (value === null ? '—' : number(value));
  return (
    <section className="card insights" aria-labelledby="insights-heading">
      <h2 id="insights-heading">{t('title')}</h2>
      <dl className="insights-figures" aria-label={t('figures')}>
        <div>
          <dt>{t('invitations')}</dt>
          <dd>{number(insights.invitations.total)}</dd>
        </div>
        {STATUSES.map((name) => (
          <div key={name}>
            <dt>{status(name)}</dt>
            <dd>{number(insights.invitations[name])}</dd>
          </div>
        ))}
        <div>
          <dt>{t('messages')}</dt>
          <dd>{chatFigure(insights.messages)}</dd>
        </div>
        <div>
          <dt>{t('medianFirstResponse')}</dt>
          <dd>{duration(insights.median_first_response_s, '—')}</dd>
        </div>
      </dl>
      {!insights.chat_available && (
        <p className="notice" role="status">
          {t('chatUnavailable')}
        </p>
      )}
      {insights.requests.length > 0 && (
        <div className="insights-table-wrap">
          <table className="insights-table">
            <caption>{t('perRequest')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('speaker')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('messages')}</th>
                <th scope="col">{t('firstResponse')}</th>
              </tr>
            </thead>
            <tbody>
              {insights.requests.map((request) => (
                <tr key={request.invitation_id}>
                  <th scope="row">{request.speaker.name}</th>
                  <td>{status(request.status)}</td>
                  <td>{chatFigure(request.messages)}</td>
                  <td>
                    {insights.chat_available
                      ? duration(request.first_response_s, t('noAnswer'))
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
