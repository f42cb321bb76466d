import { z } from 'zod';
import { cidSchema } from './ids.js';

const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD (UTC)')
  .refine((d) => {
    // Round-tripped: Date.parse accepts 2026-02-30 as March 2.
    const ms = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d);
  }, 'not a calendar day');

/** Most days one analytics request may cover. */
export const MAX_ANALYTICS_DAYS = 366;

/** Query string of `GET /analytics` (server only): days are UTC, both ends included. */
export const analyticsRequestSchema = z.strictObject({
  from: daySchema,
  to: daySchema,
  /** Buckets of a day, an ISO week (starting Monday) or a calendar month. */
  granularity: z.enum(['day', 'week', 'month']).default('day'),
});
export type AnalyticsRequest = z.input<typeof analyticsRequestSchema>;

const figures = {
  /** Messages sent by users (system messages not counted; deletes do not take them back). */
  messages: z.number().int().nonnegative(),
  /** Distinct users who sent at least one message. */
  active_users: z.number().int().nonnegative(),
  new_channels: z.number().int().nonnegative(),
  /**
   * Median, over the channels whose first response came in the period, of the time from
   * a channel's first message to the first message by someone else; null when none did.
   */
  median_first_response_s: z.number().nonnegative().nullable(),
};

export const analyticsBucketSchema = z.object({
  /** The bucket's first day (the range's `from` for a partial first bucket). */
  start: daySchema,
  end: daySchema,
  ...figures,
});

export const analyticsResponseSchema = z
  .object({
    from: daySchema,
    to: daySchema,
    granularity: z.enum(['day', 'week', 'month']),
    buckets: z.array(analyticsBucketSchema),
    totals: z.object(figures),
    /** Distinct users who sent a message on `to`, and in the 30 days ending on `to`. */
    daily_active_users: z.number().int().nonnegative(),
    monthly_active_users: z.number().int().nonnegative(),
    /** The 10 channels with the most messages in the range, most first. */
    busiest_channels: z.array(z.object({ cid: cidSchema, messages: z.number().int().positive() })),
  })
  .meta({ id: 'Analytics' });
export type AnalyticsResponse = z.infer<typeof analyticsResponseSchema>;
