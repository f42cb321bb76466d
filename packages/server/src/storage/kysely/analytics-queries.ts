import type { Kysely } from 'kysely';
import type { AnalyticsRows } from '../analytics-records.js';
import type { Database } from './database.js';

/** Storage.getAnalytics: six small queries over the aggregates. */
export async function getAnalytics(
  db: Kysely<Database>,
  range: { from: string; to: string; usersFrom: string; topChannels: number },
): Promise<AnalyticsRows> {
  const { from, to } = range;
  const [olderChannels, channels, messages, userDays, busiest, responses] = await Promise.all([
    // Counted by servers before migration 020 (and older nodes during an upgrade).
    db
      .selectFrom('parley_stats_daily')
      .select(['day', 'new_channels'])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .execute(),
    db
      .selectFrom('parley_stats_new_channels')
      .select((eb) => ['day', eb.fn.sum<number>('new_channels').as('new_channels')])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .groupBy('day')
      .execute(),
    db
      .selectFrom('parley_stats_channel_day')
      .select((eb) => ['day', eb.fn.sum<number>('messages').as('total')])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .groupBy('day')
      .execute(),
    db
      .selectFrom('parley_stats_user_day')
      .selectAll()
      .where('day', '>=', range.usersFrom)
      .where('day', '<=', to)
      .execute(),
    db
      .selectFrom('parley_stats_channel_day')
      .select((eb) => ['cid', eb.fn.sum<number>('messages').as('total')])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .groupBy('cid')
      .orderBy('total', 'desc')
      .orderBy('cid')
      .limit(range.topChannels)
      .execute(),
    db
      .selectFrom('parley_stats_first_response')
      .select(['response_day', 'first_at', 'response_at'])
      .where('response_day', '>=', from)
      .where('response_day', '<=', to)
      .execute(),
  ]);
  const daily = new Map<string, { day: string; messages: number; newChannels: number }>();
  const dayRow = (day: string) => {
    let row = daily.get(day);
    if (row === undefined) daily.set(day, (row = { day, messages: 0, newChannels: 0 }));
    return row;
  };
  for (const r of [...olderChannels, ...channels])
    dayRow(r.day).newChannels += Number(r.new_channels);
  for (const r of messages) dayRow(r.day).messages = Number(r.total);
  return {
    daily: [...daily.values()],
    userDays: userDays.map((r) => ({ day: r.day, userId: r.user_id })),
    busiest: busiest.map((r) => ({ cid: r.cid, messages: Number(r.total) })),
    firstResponses: responses.map((r) => ({
      day: r.response_day!,
      ms: Number(r.response_at) - Number(r.first_at),
    })),
  };
}
