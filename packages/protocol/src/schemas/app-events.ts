import { z } from 'zod';
import { cidSchema, messageIdSchema, timestampSchema, userIdSchema } from './ids.js';
import { channelTypeSettingsSchema } from './channel-type.js';
import { flagResolutionSchema } from './moderation.js';
import { userRoleSchema } from './user.js';

/*
 * App events: moderation that concerns no one channel (flags, app-wide bans, app roles,
 * channel types' rules).
 * Each is stored with its action and numbered by the app's own strictly increasing `seq`
 * (apart from every channel's); webhooks deliver them like channel events, with `cid` null.
 */

const seq = z.number().int().positive();

/** A flag as an app event names it: ids only (`GET /moderation/flags` has the context). */
export const appEventFlagSchema = z.object({
  id: z.string(),
  kind: z.enum(['message', 'user', 'blocklist']),
  cid: cidSchema.nullable(),
  message_id: messageIdSchema.nullable(),
  target_user_id: userIdSchema.nullable(),
  /** Who flagged; null for the server (and the blocklist). */
  flagged_by: userIdSchema.nullable(),
  reason: z.string().nullable(),
  created_at: timestampSchema,
  resolution: flagResolutionSchema.nullable(),
  resolved_by: userIdSchema.nullable(),
  resolved_at: timestampSchema.nullable(),
});

/** A message or a user was flagged: a new item in the moderation queue. */
export const flagCreatedEventSchema = z.object({
  type: z.literal('flag.created'),
  seq,
  created_at: timestampSchema,
  flag: appEventFlagSchema,
});

/** A moderator took a flag out of the queue (`reason`: what they gave, if anything). */
export const flagResolvedEventSchema = z.object({
  type: z.literal('flag.resolved'),
  seq,
  created_at: timestampSchema,
  flag: appEventFlagSchema,
  reason: z.string().nullable(),
});

/** A user was banned app-wide (`expires_at` null: until lifted). Channel bans are `member.banned`. */
export const userBannedEventSchema = z.object({
  type: z.literal('user.banned'),
  seq,
  created_at: timestampSchema,
  user_id: userIdSchema,
  /** The admin; null for the server. */
  by_user_id: userIdSchema.nullable(),
  reason: z.string().nullable(),
  expires_at: timestampSchema.nullable(),
});

/** An app-wide ban was lifted. */
export const userUnbannedEventSchema = z.object({
  type: z.literal('user.unbanned'),
  seq,
  created_at: timestampSchema,
  user_id: userIdSchema,
  by_user_id: userIdSchema.nullable(),
  reason: z.string().nullable(),
});

/** A user's app role changed (`PUT /users/:id/role`). */
export const userRoleChangedEventSchema = z.object({
  type: z.literal('user.role_changed'),
  seq,
  created_at: timestampSchema,
  user_id: userIdSchema,
  role: userRoleSchema,
  previous_role: userRoleSchema,
  by_user_id: userIdSchema.nullable(),
});

/**
 * A channel type was created or changed (`POST`/`PATCH /channel-types/:name`), with its
 * settings as they are now: permissions, limits, slow mode and blocklist.
 */
export const channelTypeSavedEventSchema = z.object({
  type: z.enum(['channel_type.created', 'channel_type.updated']),
  seq,
  created_at: timestampSchema,
  channel_type: channelTypeSettingsSchema,
});

/** Events of the app as a whole, numbered by the app's own `seq`; delivered by webhooks. */
export const appEventSchema = z.discriminatedUnion('type', [
  flagCreatedEventSchema,
  flagResolvedEventSchema,
  userBannedEventSchema,
  userUnbannedEventSchema,
  userRoleChangedEventSchema,
  channelTypeSavedEventSchema,
]);
export type AppEvent = z.infer<typeof appEventSchema>;
export type AppEventType = AppEvent['type'];
