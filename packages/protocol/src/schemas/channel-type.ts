import { z } from 'zod';
import { channelTypeSchema, timestampSchema } from './ids.js';

/**
 * What a channel type's settings allow or forbid, each to a list of roles. Reading is
 * not among them: members (and app admins) read, and bans take it away.
 */
export const channelActionSchema = z.enum([
  'send',
  'reply',
  'react',
  'upload',
  'mention',
  'edit_others',
  'delete_others',
  'hard_delete',
  'pin',
  'add_members',
  'remove_members',
  'assign_roles',
  'update_channel',
  'delete_channel',
  'moderate',
  'skip_slow_mode',
]);
export type ChannelAction = z.infer<typeof channelActionSchema>;
export const channelActions: readonly ChannelAction[] = channelActionSchema.options;

/**
 * Who a permission names: a member's role in the channel, or `admin` for an app admin
 * (member or not). Server-side calls (the secret) are allowed everything.
 */
export const permissionRoleSchema = z.enum(['owner', 'moderator', 'member', 'admin']);
export type PermissionRole = z.infer<typeof permissionRoleSchema>;

/** The roles allowed an action, by action. */
export const channelPermissionsSchema = z.strictObject(
  Object.fromEntries(
    channelActions.map((action) => [action, z.array(permissionRoleSchema).max(4)]),
  ) as Record<ChannelAction, z.ZodArray<typeof permissionRoleSchema>>,
);
export type ChannelPermissions = z.infer<typeof channelPermissionsSchema>;

/**
 * A blocklist entry: `pattern` is a word (case- and accent-insensitive, whole words) in
 * which `*` stands for any letters (`spam*` matches "spammer"). `flag` stores the
 * message and queues a flag; `block` refuses it (`message_blocked`); `mask` stores it with
 * each match replaced by `***`.
 */
export const blocklistEntrySchema = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[^\s]+$/, 'a pattern is one word, without spaces'),
  action: z.enum(['flag', 'block', 'mask']),
});
export type BlocklistEntry = z.infer<typeof blocklistEntrySchema>;

/** Settings of a channel type, as sent to create or change one (all optional on PATCH). */
const channelTypeFields = {
  /** Per action: every action left out keeps its value (on create: the `messaging` default). */
  permissions: channelPermissionsSchema.partial(),
  /** Longest message text in this type; null: the server's `maxMessageLength`. */
  max_message_length: z.number().int().min(1).max(1_000_000).nullable(),
  /** Seconds a user waits between messages in one channel; 0 turns slow mode off. */
  slow_mode_s: z.number().int().min(0).max(86_400),
  blocklist: z.array(blocklistEntrySchema).max(1_000),
};

/** `POST /channel-types/:name` (server only). */
export const createChannelTypeRequestSchema = z.strictObject(channelTypeFields).partial();
export type CreateChannelTypeRequest = z.infer<typeof createChannelTypeRequestSchema>;

/** `PATCH /channel-types/:name` (server only): only what is given changes. */
export const updateChannelTypeRequestSchema = createChannelTypeRequestSchema;
export type UpdateChannelTypeRequest = z.infer<typeof updateChannelTypeRequestSchema>;

/** A channel type with all its settings. */
export const channelTypeSettingsSchema = z
  .object({
    name: channelTypeSchema,
    permissions: channelPermissionsSchema,
    max_message_length: z.number().int().positive().nullable(),
    slow_mode_s: z.number().int().nonnegative(),
    blocklist: z.array(blocklistEntrySchema),
    /** `messaging` and `team`: they exist without being created. */
    built_in: z.boolean(),
    /** Null for a built-in type never changed. */
    created_at: timestampSchema.nullable(),
    updated_at: timestampSchema.nullable(),
  })
  .meta({ id: 'ChannelType' });
export type ChannelTypeSettings = z.infer<typeof channelTypeSettingsSchema>;

export const channelTypeResponseSchema = z.object({ channel_type: channelTypeSettingsSchema });
export type ChannelTypeResponse = z.infer<typeof channelTypeResponseSchema>;

export const listChannelTypesResponseSchema = z.object({
  channel_types: z.array(channelTypeSettingsSchema),
});
export type ListChannelTypesResponse = z.infer<typeof listChannelTypesResponseSchema>;

/** Path of `/channel-types/:name`. */
export const channelTypeNameParamsSchema = z.strictObject({ name: channelTypeSchema });

/** Today's rules: what `messaging` allows, and what a new type starts from. */
export const DEFAULT_PERMISSIONS: ChannelPermissions = {
  send: ['owner', 'moderator', 'member', 'admin'],
  reply: ['owner', 'moderator', 'member', 'admin'],
  react: ['owner', 'moderator', 'member', 'admin'],
  upload: ['owner', 'moderator', 'member', 'admin'],
  mention: ['owner', 'moderator', 'member', 'admin'],
  edit_others: [],
  delete_others: ['owner', 'moderator', 'admin'],
  hard_delete: ['admin'],
  pin: ['owner', 'moderator', 'admin'],
  add_members: ['owner', 'moderator', 'admin'],
  remove_members: ['owner', 'moderator', 'admin'],
  assign_roles: ['owner', 'admin'],
  update_channel: ['owner', 'moderator', 'admin'],
  delete_channel: ['owner', 'admin'],
  moderate: ['owner', 'moderator', 'admin'],
  skip_slow_mode: ['owner', 'moderator', 'admin'],
};

/**
 * The built-in `team` type, an internal team chat among colleagues: any member may also add
 * members, change the channel's data and pin; deleting others' messages, removing members
 * and moderating stay with owners, moderators and admins, as in `messaging`.
 */
export const TEAM_PERMISSIONS: ChannelPermissions = {
  ...DEFAULT_PERMISSIONS,
  pin: ['owner', 'moderator', 'member', 'admin'],
  add_members: ['owner', 'moderator', 'member', 'admin'],
  update_channel: ['owner', 'moderator', 'member', 'admin'],
};

/** The types every server has; a channel of a type never created follows `messaging`. */
export const BUILT_IN_CHANNEL_TYPES = ['messaging', 'team'] as const;
