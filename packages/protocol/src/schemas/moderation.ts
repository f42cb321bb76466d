import { z } from 'zod';
import { PAGE } from '../limits.js';
import { cidSchema, messageIdSchema, timestampSchema, userIdSchema } from './ids.js';
import { messageSchema } from './message.js';

const reasonSchema = z.string().min(1).max(500);

/** `POST /moderation/flag`: a message or a user, by any member (server: as `user_id`). */
export const flagRequestSchema = z
  .strictObject({
    message_id: messageIdSchema.optional(),
    target_user_id: userIdSchema.optional(),
    reason: reasonSchema.optional(),
    /** Server-side calls: who flags; omitted, the flag is the server's. */
    user_id: userIdSchema.optional(),
  })
  .refine((r) => (r.message_id === undefined) !== (r.target_user_id === undefined), {
    message: 'name exactly one of message_id and target_user_id',
  });
export type FlagRequest = z.infer<typeof flagRequestSchema>;

/** How a flag left the queue: dismissed (nothing wrong), or actioned (deleted, banned, muted). */
export const flagResolutionSchema = z.enum(['dismissed', 'actioned']);

/** A flag in the moderation queue, with the message it names as stored now. */
export const flagSchema = z
  .object({
    id: z.string(),
    /** `message`: a member flagged a message; `user`: a user; `blocklist`: the server did. */
    kind: z.enum(['message', 'user', 'blocklist']),
    cid: cidSchema.nullable(),
    message_id: messageIdSchema.nullable(),
    target_user_id: userIdSchema.nullable(),
    /** Who flagged; null for the server. */
    flagged_by: userIdSchema.nullable(),
    reason: z.string().nullable(),
    created_at: timestampSchema,
    /** Context for moderators: the flagged message (null once hard-deleted). */
    message: messageSchema.nullable(),
    /** Context: up to 5 messages before the flagged one in its channel. */
    context: z.array(messageSchema),
    /** Null while open; `dismissed` or `actioned` once a moderator resolved it. */
    resolution: flagResolutionSchema.nullable(),
    /** Who resolved it (null for the server, or while open). */
    resolved_by: userIdSchema.nullable(),
    resolved_at: timestampSchema.nullable(),
  })
  .meta({ id: 'Flag' });
export type Flag = z.infer<typeof flagSchema>;

export const flagResponseSchema = z.object({ flag: flagSchema });

/** Query string of `GET /moderation/flags`: newest first. */
export const queryFlagsRequestSchema = z.strictObject({
  cid: cidSchema.optional(),
  /** `open` (the default): the queue; `resolved`: the history; `all`: both. */
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(400).optional(),
});
export const queryFlagsResponseSchema = z.object({
  flags: z.array(flagSchema),
  next_cursor: z.string().nullable(),
});
export type QueryFlagsResponse = z.infer<typeof queryFlagsResponseSchema>;

/** `POST /moderation/flags/:id/resolve`: takes a flag out of the queue. */
export const resolveFlagRequestSchema = z.strictObject({
  resolution: flagResolutionSchema.default('dismissed'),
  reason: reasonSchema.optional(),
  /** Server-side calls: the moderator acting (for the audit log); omitted: the server. */
  user_id: userIdSchema.optional(),
});
export type ResolveFlagRequest = z.input<typeof resolveFlagRequestSchema>;

/** Path of a flag. */
export const flagParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });

/** `POST` and `DELETE /moderation/ban` and `/moderation/mute`. */
export const banRequestSchema = z.strictObject({
  target_user_id: userIdSchema,
  /** The channel; left out, the ban is app-wide (mutes always name a channel). */
  cid: cidSchema.optional(),
  /** Lifts itself after this many seconds; left out, it lasts until lifted. */
  timeout_s: z
    .number()
    .int()
    .min(1)
    .max(10 * 365 * 86_400)
    .optional(),
  reason: reasonSchema.optional(),
  /** Server-side calls: the moderator acting (for the audit log); omitted: the server. */
  user_id: userIdSchema.optional(),
});
export type BanRequest = z.infer<typeof banRequestSchema>;

export const liftRequestSchema = banRequestSchema.omit({ timeout_s: true });
export type LiftRequest = z.infer<typeof liftRequestSchema>;

/** A ban or a mute in force. */
export const restrictionSchema = z
  .object({
    kind: z.enum(['ban', 'mute']),
    target_user_id: userIdSchema,
    /** Null for an app-wide ban. */
    cid: cidSchema.nullable(),
    by_user_id: userIdSchema.nullable(),
    reason: z.string().nullable(),
    created_at: timestampSchema,
    expires_at: timestampSchema.nullable(),
  })
  .meta({ id: 'Restriction' });
export type Restriction = z.infer<typeof restrictionSchema>;

export const restrictionResponseSchema = z.object({ restriction: restrictionSchema });
export const liftResponseSchema = z.object({ lifted: z.boolean() });

/** `POST /users/:id/block` and `DELETE /users/:id/block` (server: as `user_id`). */
export const blockRequestSchema = z.strictObject({ user_id: userIdSchema.optional() });
export const blockResponseSchema = z.object({
  blocked_user_id: userIdSchema,
  blocked: z.boolean(),
});
/** `GET /blocks`: whom the caller blocked (server: `user_id`'s). */
export const queryBlocksRequestSchema = z.strictObject({ user_id: userIdSchema.optional() });
export const queryBlocksResponseSchema = z.object({ blocked_user_ids: z.array(userIdSchema) });

/** `POST` and `DELETE /channels/:type/:id/mute`: the caller's own mute of a channel. */
export const channelMuteRequestSchema = z.strictObject({ user_id: userIdSchema.optional() });
export const channelMuteResponseSchema = z.object({ cid: cidSchema, muted: z.boolean() });

/** `POST` and `DELETE /channels/:type/:id/freeze`. */
export const freezeRequestSchema = z.strictObject({
  reason: reasonSchema.optional(),
  user_id: userIdSchema.optional(),
});

/** One entry of the audit log. */
export const auditEntrySchema = z
  .object({
    id: z.string(),
    /** e.g. `ban`, `unban`, `mute`, `unmute`, `flag`, `block`, `freeze`, `message.delete`, `channel_type.update`. */
    action: z.string(),
    /** Who acted; null for the server. */
    actor_id: userIdSchema.nullable(),
    target_user_id: userIdSchema.nullable(),
    cid: cidSchema.nullable(),
    message_id: messageIdSchema.nullable(),
    reason: z.string().nullable(),
    /** What else the action carried (expiry, a channel type's settings…). */
    data: z.record(z.string(), z.unknown()),
    created_at: timestampSchema,
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Query string of `GET /audit-log`: newest first. */
export const queryAuditLogRequestSchema = z.strictObject({
  cid: cidSchema.optional(),
  actor_id: userIdSchema.optional(),
  target_user_id: userIdSchema.optional(),
  action: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE.usersMax).default(50),
  cursor: z.string().max(400).optional(),
});
export const queryAuditLogResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  next_cursor: z.string().nullable(),
});
export type QueryAuditLogResponse = z.infer<typeof queryAuditLogResponseSchema>;
