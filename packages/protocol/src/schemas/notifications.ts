import { z } from 'zod';
import { appEventSchema } from './app-events.js';
import { channelEventSchema } from './events.js';
import { cidSchema, timestampSchema, userIdSchema } from './ids.js';

/** Event types a webhook may ask for (channel and app events); `*` and `message.*` style prefixes match several. */
export const webhookEventFilterSchema = z
  .string()
  .regex(
    /^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/,
    'an event type such as message.new, or message.*, or *',
  );

/** `POST /webhooks` (server only): an endpoint that receives channel and app events. */
export const createWebhookRequestSchema = z.strictObject({
  /** http:// or https:// address the events are POSTed to. */
  url: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/[^/\s]+/i, 'an http:// or https:// URL'),
  /** Event types sent; default every channel and app event (`["*"]`). */
  events: z.array(webhookEventFilterSchema).min(1).max(50).optional(),
  /** Secret that signs its requests (at least 16 characters); default the server's webhook secret. */
  secret: z.string().min(16).max(200).optional(),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;

/** A webhook endpoint as the server lists it (its secret is never shown). */
export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    /** `config`: from `--webhook-url` (cannot be deleted here); `api`: from `POST /webhooks`. */
    source: z.enum(['config', 'api']),
    /** True when the endpoint has a secret of its own rather than the server's. */
    own_secret: z.boolean(),
    created_at: timestampSchema,
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookResponseSchema = z.object({ webhook: webhookSchema });
export const listWebhooksResponseSchema = z.object({ webhooks: z.array(webhookSchema) });
export const deleteWebhookResponseSchema = z.object({ deleted: z.literal(true) });

/** Path of `/webhooks/:id` and `/webhooks/deliveries/:id/redeliver`. */
export const webhookParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

/** One delivery of one event to one endpoint, pending (and maybe retrying) or failed for good. */
export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    webhook_id: z.string(),
    /** The event's id, the same in every attempt and for every endpoint: deduplicate by it. */
    event_id: z.string(),
    /** The channel; null for an app event (then `seq` is the app's). */
    cid: cidSchema.nullable(),
    seq: z.number().int().positive(),
    type: z.string(),
    /** `pending`: waiting for its (next) attempt; `failed`: given up on (dead-lettered). */
    status: z.enum(['pending', 'failed']),
    attempts: z.number().int().nonnegative(),
    next_attempt_at: timestampSchema.nullable(),
    /** HTTP status of the last attempt, null when it got no answer. */
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: timestampSchema,
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** Query string of `GET /webhooks/deliveries`. */
export const listDeliveriesRequestSchema = z.strictObject({
  status: z.enum(['pending', 'failed']).default('failed'),
  webhook_id: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export const listDeliveriesResponseSchema = z.object({
  deliveries: z.array(webhookDeliverySchema),
  next_cursor: z.string().nullable(),
});
export const redeliverResponseSchema = z.object({ delivery: webhookDeliverySchema });

/**
 * The JSON body POSTed to a webhook endpoint for a channel event. `id` is the same on
 * every retry; an endpoint that sees an id twice has seen the event before.
 */
export const channelWebhookPayloadSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    cid: cidSchema,
    /** The event's seq in its channel. */
    seq: z.number().int().positive(),
    created_at: timestampSchema,
    event: channelEventSchema,
  })
  .meta({ id: 'ChannelWebhookPayload' });
export type ChannelWebhookPayload = z.infer<typeof channelWebhookPayloadSchema>;

/** The JSON body of an app event's webhook request: `cid` null, `seq` the app's own. */
export const appWebhookPayloadSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    cid: z.null(),
    /** The event's seq among app events (apart from every channel's). */
    seq: z.number().int().positive(),
    created_at: timestampSchema,
    event: appEventSchema,
  })
  .meta({ id: 'AppWebhookPayload' });
export type AppWebhookPayload = z.infer<typeof appWebhookPayloadSchema>;

/** The JSON body POSTed to a webhook endpoint: one channel event or one app event. */
export const webhookPayloadSchema = z
  .union([channelWebhookPayloadSchema, appWebhookPayloadSchema])
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** A user's notification settings (`GET`/`PUT /users/:id/notification-settings`). */
export const notificationSettingsSchema = z
  .object({
    /** The address emails go to, null when none; only the user and the server see it. */
    email: z.string().nullable(),
    /** False when the user turned email off or unsubscribed. */
    email_enabled: z.boolean(),
    /** Channels the user gets no email about. */
    muted_cids: z.array(cidSchema),
  })
  .meta({ id: 'NotificationSettings' });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** `PUT /users/:id/notification-settings`: fields left out keep their value. */
export const updateNotificationSettingsRequestSchema = z.strictObject({
  email_enabled: z.boolean().optional(),
  /** Channels (of which the user is a member) to mute. */
  mute: z.array(cidSchema).max(100).optional(),
  /** Channels to unmute. */
  unmute: z.array(cidSchema).max(100).optional(),
});
export type UpdateNotificationSettingsRequest = z.infer<
  typeof updateNotificationSettingsRequestSchema
>;
export const notificationSettingsResponseSchema = z.object({
  user_id: userIdSchema,
  settings: notificationSettingsSchema,
});

/** Query string of the unsubscribe link. */
export const unsubscribeQuerySchema = z.strictObject({ token: z.string().min(1).max(500) });
