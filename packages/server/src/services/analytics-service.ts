import {
  ChatError,
  MAX_ANALYTICS_DAYS,
  type AnalyticsResponse,
  type analyticsRequestSchema,
} from '@parley/protocol';
import type { z } from 'zod';
import type { AnalyticsRows } from '../storage/analytics-records.js';
import { requireServerOrAdmin } from './access.js';
import type { Actor, ServiceContext } from './context.js';

const DAY_MS = 86_400_000;
/** Days that make "monthly" active users, ending on the range's last day. */
const MONTH_DAYS = 30;
const TOP_CHANNELS = 10;

type Figures = AnalyticsResponse['totals'];

/** Chat analytics from the daily aggregates that sends keep up to date. */
export class AnalyticsService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(
    actor: Actor,
    req: z.output<typeof analyticsRequestSchema>,
  ): Promise<AnalyticsResponse> {
    requireServerOrAdmin(actor);
    const from = Date.parse(`${req.from}T00:00:00Z`);
    const to = Date.parse(`${req.to}T00:00:00Z`);
    const days = (to - from) / DAY_MS + 1;
    if (days < 1 || days > MAX_ANALYTICS_DAYS) {
      throw new ChatError(
        'invalid_request',
        `from must not be after to, and a range is at most ${MAX_ANALYTICS_DAYS} days`,
        { issues: [{ path: 'to', message: `1 to ${MAX_ANALYTICS_DAYS} days` }] },
      );
    }
    const monthStart = dayOf(to - (MONTH_DAYS - 1) * DAY_MS);
    const rows = await this.ctx.storage.getAnalytics({
      from: req.from,
      to: req.to,
      usersFrom: monthStart < req.from ? monthStart : req.from,
      topChannels: TOP_CHANNELS,
    });
    const buckets: AnalyticsResponse['buckets'] = [];
    for (let day = from; day <= to;) {
      const end = Math.min(bucketEnd(day, req.granularity), to);
      buckets.push({
        start: dayOf(day),
        end: dayOf(end),
        ...figures(rows, dayOf(day), dayOf(end)),
      });
      day = end + DAY_MS;
    }
    const usersBetween = (a: string, b: string) =>
      new Set(rows.userDays.filter((u) => u.day >= a && u.day <= b).map((u) => u.userId)).size;
    return {
      from: req.from,
      to: req.to,
      granularity: req.granularity,
      buckets,
      totals: figures(rows, req.from, req.to),
      daily_active_users: usersBetween(req.to, req.to),
      monthly_active_users: usersBetween(monthStart, req.to),
      busiest_channels: rows.busiest.filter((c) => c.messages > 0),
    };
  }
}

/** The figures of the days `a`..`b`. */
function figures(rows: AnalyticsRows, a: string, b: string): Figures {
  const inRange = (day: string) => day >= a && day <= b;
  let messages = 0;
  let newChannels = 0;
  for (const d of rows.daily) {
    if (!inRange(d.day)) continue;
    messages += d.messages;
    newChannels += d.newChannels;
  }
  const users = new Set(rows.userDays.filter((u) => inRange(u.day)).map((u) => u.userId));
  const responses = rows.firstResponses.filter((r) => inRange(r.day)).map((r) => r.ms);
  const median = medianOf(responses);
  return {
    messages,
    active_users: users.size,
    new_channels: newChannels,
    median_first_response_s: median === null ? null : median / 1000,
  };
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The last day (epoch ms of its midnight) of the bucket holding `day`. */
function bucketEnd(day: number, granularity: 'day' | 'week' | 'month'): number {
  if (granularity === 'day') return day;
  const date = new Date(day);
  if (granularity === 'week') {
    // ISO weeks start on Monday: Sunday is day 0 in JavaScript.
    const weekday = (date.getUTCDay() + 6) % 7;
    return day + (6 - weekday) * DAY_MS;
  }
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - DAY_MS;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
