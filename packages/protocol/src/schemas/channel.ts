import { z } from 'zod';
import { DEFAULT_LIMITS, PAGE } from '../limits.js';
import {
  anyChannelIdSchema,
  channelTypeSchema,
  cidSchema,
  customDataSchema,
  messageIdSchema,
  timestampSchema,
  userIdSchema,
} from './ids.js';
import { messageSchema } from './message.js';
import { userSchema } from './user.js';

/** A member's role in one channel. Owners and moderators manage members and data. */
export const memberRoleSchema = z.enum(['owner', 'moderator', 'member']);
export type MemberRole = z.infer<typeof memberRoleSchema>;

/** A channel as the server returns it. */
export const channelSchema = z
  .object({
    cid: cidSchema,
    type: channelTypeSchema,
    id: anyChannelIdSchema,
    data: customDataSchema,
    /** True for a channel identified by its member list (a DM). */
    distinct: z.boolean(),
    created_by_id: userIdSchema.nullable(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
    last_message_at: timestampSchema.nullable(),
    member_count: z.number().int().nonnegative(),
    /** The seq of the latest event in the channel; 0 before any. */
    last_seq: z.number().int().nonnegative(),
    /** True while the channel is read-only for users (see `channel.frozen`); absent means false. */
    frozen: z.boolean().optional(),
  })
  .meta({ id: 'Channel' });
export type Channel = z.infer<typeof channelSchema>;

export const channelMemberSchema = z
  .object({
    user_id: userIdSchema,
    user: userSchema,
    role: memberRoleSchema,
    created_at: timestampSchema,
  })
  .meta({ id: 'Member' });
export type ChannelMember = z.infer<typeof channelMemberSchema>;

/** How far one member has read a channel. */
export const readStateSchema = z
  .object({
    user_id: userIdSchema,
    last_read_message_id: messageIdSchema.nullable(),
    /** The seq of the last message read; 0 when nothing has been read. */
    last_read_seq: z.number().int().nonnegative(),
    last_read_at: timestampSchema.nullable(),
  })
  .meta({ id: 'ReadState' });
export type ReadState = z.infer<typeof readStateSchema>;

/** A channel with what a client needs to show it. */
export const channelStateSchema = z
  .object({
    channel: channelSchema,
    members: z.array(channelMemberSchema),
    /** The latest messages, oldest first. */
    messages: z.array(messageSchema),
    /** Whether older messages exist than the first in `messages`. */
    has_more_messages: z.boolean(),
    read: z.array(readStateSchema),
    /** The caller's membership; null for server-side calls. */
    membership: channelMemberSchema.nullable(),
    /** Messages from others after the caller's last read position. */
    unread_count: z.number().int().nonnegative(),
    /** Those of them that mention the caller. */
    unread_mentions: z.number().int().nonnegative(),
  })
  .meta({ id: 'ChannelState' });
export type ChannelState = z.infer<typeof channelStateSchema>;

const memberListSchema = z.array(userIdSchema).min(1).max(DEFAULT_LIMITS.maxMembersPerRequest);

/** `POST /channels/:type/:id`: get the channel, creating it if it does not exist. */
export const getOrCreateChannelRequestSchema = z.strictObject({
  /** Members of a new channel. A user caller is always added as owner. Ignored if it exists. */
  members: memberListSchema.optional(),
  /** Custom data of a new channel. Ignored if it exists. */
  data: customDataSchema.optional(),
  /** Server-side calls: who creates the channel (becomes its owner). */
  created_by_id: userIdSchema.optional(),
  /** How many latest messages to include (default 25). */
  message_limit: z.number().int().min(0).max(PAGE.messagesMax).optional(),
});
export type GetOrCreateChannelRequest = z.infer<typeof getOrCreateChannelRequestSchema>;

/** `POST /channels/:type`: the distinct channel of a member list (a DM when two). */
export const getOrCreateDistinctChannelRequestSchema = z.strictObject({
  /** The members; a user caller is added if missing, so `["bob"]` is the caller's DM with bob. */
  members: z.array(userIdSchema).min(1).max(DEFAULT_LIMITS.maxMembersPerRequest),
  data: customDataSchema.optional(),
  created_by_id: userIdSchema.optional(),
  message_limit: z.number().int().min(0).max(PAGE.messagesMax).optional(),
});
export type GetOrCreateDistinctChannelRequest = z.infer<
  typeof getOrCreateDistinctChannelRequestSchema
>;

export const getOrCreateChannelResponseSchema = channelStateSchema.extend({
  /** True when this call created the channel. */
  created: z.boolean(),
});
export type GetOrCreateChannelResponse = z.infer<typeof getOrCreateChannelResponseSchema>;

/** Query string of `GET /channels/:type/:id`. */
export const getChannelRequestSchema = z.strictObject({
  message_limit: z.coerce.number().int().min(0).max(PAGE.messagesMax).optional(),
});

/** `PATCH /channels/:type/:id`: change custom data. */
export const updateChannelRequestSchema = z
  .strictObject({
    /** Keys to set (shallow merge into `data`). */
    set: customDataSchema.optional(),
    /** Keys to remove from `data`. */
    unset: z.array(z.string().min(1).max(200)).max(100).optional(),
  })
  .refine((r) => r.set !== undefined || r.unset !== undefined, 'give set, unset or both');
export type UpdateChannelRequest = z.infer<typeof updateChannelRequestSchema>;

export const updateChannelResponseSchema = z.object({ channel: channelSchema });
export type UpdateChannelResponse = z.infer<typeof updateChannelResponseSchema>;

/** `POST /channels/:type/:id/members`: add members. */
export const changeMembersRequestSchema = z.strictObject({
  user_ids: memberListSchema,
  /** Role of added members (default `member`). Only owners, admins and the server may set it. */
  role: memberRoleSchema.optional(),
});
export type ChangeMembersRequest = z.infer<typeof changeMembersRequestSchema>;

/** `DELETE /channels/:type/:id/members`. A member may always remove just themselves. */
/** No `role`: removing is not demoting, so a role here is refused rather than ignored. */
export const removeMembersRequestSchema = z.strictObject({ user_ids: memberListSchema });
export type RemoveMembersRequest = z.infer<typeof removeMembersRequestSchema>;

export const changeMembersResponseSchema = z.object({
  channel: channelSchema,
  members: z.array(channelMemberSchema),
});
export type ChangeMembersResponse = z.infer<typeof changeMembersResponseSchema>;

/** Query string of `GET /channels`: the caller's channels, most recent activity first. */
export const queryChannelsRequestSchema = z.strictObject({
  /** Only channels of this type. */
  type: channelTypeSchema.optional(),
  /** Server-side calls: whose channels; left out, every channel (seen by no member). */
  user_id: userIdSchema.optional(),
  /**
   * `true`: every channel of the app, not the caller's (an operator's console): the server
   * and app admins; anyone else gets `403 forbidden`.
   */
  all: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE.channelsMax).default(PAGE.channelsDefault),
  /** Latest messages per channel (default 1). */
  message_limit: z.coerce.number().int().min(0).max(PAGE.messagesMax).default(1),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(400).optional(),
});
export type QueryChannelsRequest = z.input<typeof queryChannelsRequestSchema>;

export const queryChannelsResponseSchema = z.object({
  channels: z.array(channelStateSchema),
  next_cursor: z.string().nullable(),
});
export type QueryChannelsResponse = z.infer<typeof queryChannelsResponseSchema>;

/** `POST /channels/:type/:id/read`: mark read up to a message (default: the latest). */
export const markReadRequestSchema = z.strictObject({
  message_id: messageIdSchema.optional(),
  /** Server-side calls: whose read state. */
  user_id: userIdSchema.optional(),
});
export type MarkReadRequest = z.infer<typeof markReadRequestSchema>;

export const markReadResponseSchema = z.object({
  read: readStateSchema,
  unread_count: z.number().int().nonnegative(),
  total_unread_count: z.number().int().nonnegative(),
  unread_channels: z.number().int().nonnegative(),
});
export type MarkReadResponse = z.infer<typeof markReadResponseSchema>;

/** Unread totals of one user. */
export const unreadSummarySchema = z.object({
  total_unread_count: z.number().int().nonnegative(),
  /** Channels with at least one unread message. */
  unread_channels: z.number().int().nonnegative(),
  /** Unread messages that mention the user, in all channels. */
  total_unread_mentions: z.number().int().nonnegative(),
  channels: z.array(
    z.object({
      cid: cidSchema,
      unread_count: z.number().int().positive(),
      unread_mentions: z.number().int().nonnegative(),
    }),
  ),
});
export type UnreadSummary = z.infer<typeof unreadSummarySchema>;

/** Query string of `GET /unread`. */
export const getUnreadRequestSchema = z.strictObject({ user_id: userIdSchema.optional() });

export const deleteChannelResponseSchema = z.object({ cid: cidSchema, deleted: z.literal(true) });
export type DeleteChannelResponse = z.infer<typeof deleteChannelResponseSchema>;

/** Identifies a channel in frames. */
export const channelRefSchema = z.strictObject({ cid: cidSchema });
